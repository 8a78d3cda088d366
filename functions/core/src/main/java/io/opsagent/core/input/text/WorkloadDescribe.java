package io.opsagent.core.input.text;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobTemplateSpec;
import io.fabric8.kubernetes.api.model.Event;
import io.opsagent.core.cluster.TextOrigin;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code kubectl describe} of Deployment, ReplicaSet, StatefulSet, DaemonSet, Job and CronJob. */
final class WorkloadDescribe {
    private static final Pattern NUMBER_WORD = Pattern.compile("(\\d+)\\s+([A-Za-z]+)");
    private static final Pattern RS_LINE = Pattern.compile("^(\\S+)\\s+\\((\\d+)/(\\d+) replicas created\\)$");

    private WorkloadDescribe() {
    }

    /** "3 desired | 1 updated | 4 total | 2 available | 2 unavailable" → {desired:3, updated:1, …}. */
    static Map<String, Integer> counts(String text) {
        Map<String, Integer> out = new java.util.LinkedHashMap<>();
        if (text == null) return out;
        Matcher m = NUMBER_WORD.matcher(text);
        while (m.find()) out.put(m.group(2).toLowerCase(), Integer.parseInt(m.group(1)));
        return out;
    }

    private static LabelSelector selector(List<DNode> roots) {
        String s = DNode.value(roots, "Selector");
        if (s == null) return null;
        LabelSelector sel = new LabelSelector();
        Map<String, String> kv = Values.keyValues(List.of(s));
        kv.entrySet().removeIf(e -> e.getKey().contains("!") || e.getKey().contains(" "));
        sel.setMatchLabels(kv);
        return sel;
    }

    static void deployment(List<DNode> roots, Section s, TextOrigin origin, Collected out) {
        Deployment d = new Deployment();
        d.setApiVersion("apps/v1");
        d.setKind("Deployment");
        ObjectMeta meta = DescribeCommon.metadata(roots, s.namespaceHint(), origin);
        d.setMetadata(meta);
        DeploymentSpec spec = new DeploymentSpec();
        DeploymentStatus status = new DeploymentStatus();
        d.setSpec(spec);
        d.setStatus(status);
        spec.setSelector(selector(roots));
        DNode replicas = DNode.find(roots, "Replicas");
        if (replicas != null) {
            Map<String, Integer> c = counts(replicas.value);
            spec.setReplicas(c.get("desired"));
            status.setUpdatedReplicas(c.get("updated"));
            status.setReplicas(c.get("total"));
            status.setAvailableReplicas(c.get("available"));
            status.setReadyReplicas(c.get("available"));
            status.setUnavailableReplicas(c.get("unavailable"));
            for (String f : List.of("spec.replicas", "status.replicas", "status.updatedReplicas",
                    "status.availableReplicas", "status.readyReplicas", "status.unavailableReplicas")) {
                origin.field(f, replicas.number());
            }
        }
        String strategy = DNode.value(roots, "StrategyType");
        if (strategy != null) {
            io.fabric8.kubernetes.api.model.apps.DeploymentStrategy ds = new io.fabric8.kubernetes.api.model.apps.DeploymentStrategy();
            ds.setType(strategy);
            spec.setStrategy(ds);
        }
        Integer minReady = Values.integer(DNode.value(roots, "MinReadySeconds"));
        if (minReady != null) spec.setMinReadySeconds(minReady);
        spec.setTemplate(PodDescribe.template(DNode.find(roots, "Pod Template"), "spec.template", origin));
        DNode conditions = DNode.find(roots, "Conditions");
        if (conditions != null) {
            List<DeploymentCondition> list = new ArrayList<>();
            origin.field("status.conditions", conditions.number());
            for (Table.Row r : DescribeCommon.table(conditions).rows) {
                DeploymentCondition c = new DeploymentCondition();
                c.setType(r.get("TYPE"));
                c.setStatus(r.get("STATUS"));
                c.setReason(r.get("REASON"));
                if (r.has("MESSAGE")) c.setMessage(r.get("MESSAGE"));
                origin.field("status.conditions[" + list.size() + "]", r.line().number());
                list.add(c);
            }
            status.setConditions(list);
        }
        // describe shows no condition messages; the deployment controller's message for this reason is fixed
        String newRs = DNode.value(roots, "NewReplicaSet");
        if (newRs != null && status.getConditions() != null) {
            String rsName = newRs.split("\\s+")[0];
            status.getConditions().stream().filter(c -> "ProgressDeadlineExceeded".equals(c.getReason()) && c.getMessage() == null)
                    .forEach(c -> c.setMessage("ReplicaSet \"" + rsName + "\" has timed out progressing."));
        }
        out.add(d, origin);
        // the ReplicaSets it names, so pods (Controlled By: ReplicaSet/x) can be traced to this Deployment
        for (String key : List.of("NewReplicaSet", "OldReplicaSets")) {
            DNode n = DNode.find(roots, key);
            if (n == null) continue;
            for (String v : n.valueLines()) {
                for (String part : v.split(",\\s*(?=\\S+\\s+\\()")) {
                    Matcher m = RS_LINE.matcher(part.trim());
                    if (!m.matches()) continue;
                    out.add(replicaSetOf(d, m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))),
                            new TextOrigin(s.file(), n.number()));
                }
            }
        }
        EventRows.fromDescribe(DNode.find(roots, "Events"), "Deployment", meta.getNamespace(), meta.getName(), s.file(), out);
    }

    private static ReplicaSet replicaSetOf(Deployment d, String name, int created, int desired) {
        ReplicaSet rs = new ReplicaSet();
        rs.setApiVersion("apps/v1");
        rs.setKind("ReplicaSet");
        ObjectMeta m = new ObjectMeta();
        m.setName(name);
        m.setNamespace(d.getMetadata().getNamespace());
        String prefix = d.getMetadata().getName() + "-";
        if (name.startsWith(prefix)) m.setLabels(new java.util.LinkedHashMap<>(Map.of("pod-template-hash", name.substring(prefix.length()))));
        m.setOwnerReferences(new ArrayList<>(List.of(owner("Deployment", d.getMetadata().getName()))));
        rs.setMetadata(m);
        ReplicaSetSpec spec = new ReplicaSetSpec();
        spec.setReplicas(desired);
        rs.setSpec(spec);
        ReplicaSetStatus st = new ReplicaSetStatus();
        st.setReplicas(created);
        rs.setStatus(st);
        return rs;
    }

    static OwnerReference owner(String kind, String name) {
        OwnerReference r = new OwnerReference();
        r.setKind(kind);
        r.setName(name);
        r.setApiVersion(Kinds.apiVersion(kind));
        r.setController(true);
        return r;
    }

    static void replicaSet(List<DNode> roots, Section s, TextOrigin origin, Collected out) {
        ReplicaSet rs = new ReplicaSet();
        rs.setApiVersion("apps/v1");
        rs.setKind("ReplicaSet");
        ObjectMeta meta = DescribeCommon.metadata(roots, s.namespaceHint(), origin);
        rs.setMetadata(meta);
        ReplicaSetSpec spec = new ReplicaSetSpec();
        ReplicaSetStatus status = new ReplicaSetStatus();
        rs.setSpec(spec);
        rs.setStatus(status);
        spec.setSelector(selector(roots));
        DNode replicas = DNode.find(roots, "Replicas");
        if (replicas != null) {
            Map<String, Integer> c = counts(replicas.value);
            spec.setReplicas(c.get("desired"));
            status.setReplicas(c.get("current"));
            origin.field("spec.replicas", replicas.number()).field("status.replicas", replicas.number());
        }
        podsStatus(roots, origin, (running, waiting) -> {
            status.setReadyReplicas(running);
            status.setAvailableReplicas(running);
        });
        spec.setTemplate(PodDescribe.template(DNode.find(roots, "Pod Template"), "spec.template", origin));
        DNode conditions = DNode.find(roots, "Conditions");
        if (conditions != null) {
            List<ReplicaSetCondition> list = new ArrayList<>();
            origin.field("status.conditions", conditions.number());
            for (Table.Row r : DescribeCommon.table(conditions).rows) {
                ReplicaSetCondition c = new ReplicaSetCondition();
                c.setType(r.get("TYPE"));
                c.setStatus(r.get("STATUS"));
                c.setReason(r.get("REASON"));
                if (r.has("MESSAGE")) c.setMessage(r.get("MESSAGE"));
                origin.field("status.conditions[" + list.size() + "]", r.line().number());
                list.add(c);
            }
            status.setConditions(list);
        }
        out.add(rs, origin);
        EventRows.fromDescribe(DNode.find(roots, "Events"), "ReplicaSet", meta.getNamespace(), meta.getName(), s.file(), out);
    }

    private interface PodCounts {
        void accept(Integer running, Integer waiting);
    }

    private static void podsStatus(List<DNode> roots, TextOrigin origin, PodCounts sink) {
        DNode ps = DNode.find(roots, "Pods Status");
        if (ps == null) return;
        Map<String, Integer> c = counts(ps.value);
        sink.accept(c.get("running"), c.get("waiting"));
        origin.field("status.readyReplicas", ps.number()).field("status.availableReplicas", ps.number())
                .field("status.numberReady", ps.number());
    }

    static void statefulSet(List<DNode> roots, Section s, TextOrigin origin, Collected out) {
        StatefulSet ss = new StatefulSet();
        ss.setApiVersion("apps/v1");
        ss.setKind("StatefulSet");
        ObjectMeta meta = DescribeCommon.metadata(roots, s.namespaceHint(), origin);
        ss.setMetadata(meta);
        StatefulSetSpec spec = new StatefulSetSpec();
        StatefulSetStatus status = new StatefulSetStatus();
        ss.setSpec(spec);
        ss.setStatus(status);
        spec.setSelector(selector(roots));
        DNode replicas = DNode.find(roots, "Replicas");
        if (replicas != null) {
            Map<String, Integer> c = counts(replicas.value);
            spec.setReplicas(c.get("desired"));
            status.setReplicas(c.get("total"));
            origin.field("spec.replicas", replicas.number()).field("status.replicas", replicas.number());
        }
        podsStatus(roots, origin, (running, waiting) -> {
            status.setReadyReplicas(running);
            status.setAvailableReplicas(running);
        });
        spec.setTemplate(PodDescribe.template(DNode.find(roots, "Pod Template"), "spec.template", origin));
        out.add(ss, origin);
        EventRows.fromDescribe(DNode.find(roots, "Events"), "StatefulSet", meta.getNamespace(), meta.getName(), s.file(), out);
    }

    static void daemonSet(List<DNode> roots, Section s, TextOrigin origin, Collected out) {
        DaemonSet ds = new DaemonSet();
        ds.setApiVersion("apps/v1");
        ds.setKind("DaemonSet");
        ObjectMeta meta = DescribeCommon.metadata(roots, s.namespaceHint(), origin);
        ds.setMetadata(meta);
        DaemonSetSpec spec = new DaemonSetSpec();
        DaemonSetStatus status = new DaemonSetStatus();
        ds.setSpec(spec);
        ds.setStatus(status);
        spec.setSelector(selector(roots));
        status.setDesiredNumberScheduled(Values.integer(DNode.value(roots, "Desired Number of Nodes Scheduled")));
        status.setCurrentNumberScheduled(Values.integer(DNode.value(roots, "Current Number of Nodes Scheduled")));
        status.setUpdatedNumberScheduled(Values.integer(DNode.value(roots, "Number of Nodes Scheduled with Up-to-date Pods")));
        status.setNumberAvailable(Values.integer(DNode.value(roots, "Number of Nodes Scheduled with Available Pods")));
        status.setNumberMisscheduled(Values.integer(DNode.value(roots, "Number of Nodes Misscheduled")));
        podsStatus(roots, origin, (running, waiting) -> status.setNumberReady(running));
        DNode desired = DNode.find(roots, "Desired Number of Nodes Scheduled");
        if (desired != null) origin.field("status.desiredNumberScheduled", desired.number());
        spec.setTemplate(PodDescribe.template(DNode.find(roots, "Pod Template"), "spec.template", origin));
        out.add(ds, origin);
        EventRows.fromDescribe(DNode.find(roots, "Events"), "DaemonSet", meta.getNamespace(), meta.getName(), s.file(), out);
    }

    static void job(List<DNode> roots, Section s, TextOrigin origin, Collected out) {
        Job job = new Job();
        job.setApiVersion("batch/v1");
        job.setKind("Job");
        ObjectMeta meta = DescribeCommon.metadata(roots, s.namespaceHint(), origin);
        job.setMetadata(meta);
        JobSpec spec = new JobSpec();
        JobStatus status = new JobStatus();
        job.setSpec(spec);
        job.setStatus(status);
        spec.setParallelism(Values.integer(DNode.value(roots, "Parallelism")));
        spec.setCompletions(Values.integer(DNode.value(roots, "Completions")));
        spec.setBackoffLimit(Values.integer(DNode.value(roots, "Backoff Limit")));
        spec.setSuspend(Values.bool(DNode.value(roots, "Suspend")));
        Integer deadline = Values.seconds(DNode.value(roots, "Active Deadline Seconds"));
        if (deadline != null) spec.setActiveDeadlineSeconds(deadline.longValue());
        status.setStartTime(Values.time(DNode.value(roots, "Start Time")));
        status.setCompletionTime(Values.time(DNode.value(roots, "Completed At")));
        DNode ps = DNode.find(roots, "Pods Statuses");
        if (ps != null) {
            Map<String, Integer> c = counts(ps.value);
            status.setActive(c.get("active") != null ? c.get("active") : c.get("running"));
            status.setSucceeded(c.get("succeeded"));
            status.setFailed(c.get("failed"));
            status.setReady(c.get("ready"));
            origin.field("status.active", ps.number()).field("status.succeeded", ps.number())
                    .field("status.failed", ps.number());
        }
        DNode bl = DNode.find(roots, "Backoff Limit");
        if (bl != null) origin.field("spec.backoffLimit", bl.number());
        spec.setTemplate(PodDescribe.template(DNode.find(roots, "Pod Template"), "spec.template", origin));
        List<JobCondition> conditions = new ArrayList<>();
        DNode cond = DNode.find(roots, "Conditions");
        if (cond != null) {
            origin.field("status.conditions", cond.number());
            for (Table.Row r : DescribeCommon.table(cond).rows) {
                JobCondition c = new JobCondition();
                c.setType(r.get("TYPE"));
                c.setStatus(r.get("STATUS"));
                c.setReason(r.get("REASON"));
                if (r.has("MESSAGE")) c.setMessage(r.get("MESSAGE"));
                origin.field("status.conditions[" + conditions.size() + "]", r.line().number());
                conditions.add(c);
            }
        }
        int eventsBefore = out.events.size();
        EventRows.fromDescribe(DNode.find(roots, "Events"), "Job", meta.getNamespace(), meta.getName(), s.file(), out);
        if (conditions.isEmpty()) {
            // describe job shows no conditions; the job controller's terminal events state them
            for (Collected.Obj o : out.events.subList(eventsBefore, out.events.size())) {
                Event e = (Event) o.object();
                String reason = e.getReason();
                if ("BackoffLimitExceeded".equals(reason) || "DeadlineExceeded".equals(reason)
                        || "PodFailurePolicy".equals(reason) || "MaxFailedIndexesExceeded".equals(reason)) {
                    conditions.add(condition("Failed", reason, e.getMessage()));
                    origin.field("status.conditions[" + (conditions.size() - 1) + "]", o.origin().line());
                    origin.field("status.conditions", o.origin().line());
                } else if ("Completed".equals(reason) && "job-controller".equals(
                        e.getSource() == null ? null : e.getSource().getComponent())) {
                    conditions.add(condition("Complete", null, e.getMessage()));
                    origin.field("status.conditions[" + (conditions.size() - 1) + "]", o.origin().line());
                }
            }
        }
        if (!conditions.isEmpty()) status.setConditions(conditions);
        out.objects.add(new Collected.Obj(job, origin));
    }

    private static JobCondition condition(String type, String reason, String message) {
        JobCondition c = new JobCondition();
        c.setType(type);
        c.setStatus("True");
        c.setReason(reason);
        c.setMessage(message);
        return c;
    }

    static void cronJob(List<DNode> roots, Section s, TextOrigin origin, Collected out) {
        CronJob cj = new CronJob();
        cj.setApiVersion("batch/v1");
        cj.setKind("CronJob");
        ObjectMeta meta = DescribeCommon.metadata(roots, s.namespaceHint(), origin);
        cj.setMetadata(meta);
        CronJobSpec spec = new CronJobSpec();
        cj.setSpec(spec);
        spec.setSchedule(DNode.value(roots, "Schedule"));
        spec.setConcurrencyPolicy(DNode.value(roots, "Concurrency Policy"));
        spec.setSuspend(Values.bool(DNode.value(roots, "Suspend")));
        JobTemplateSpec jt = new JobTemplateSpec();
        JobSpec js = new JobSpec();
        js.setBackoffLimit(Values.integer(DNode.value(roots, "Backoff Limit")));
        js.setTemplate(PodDescribe.template(DNode.find(roots, "Pod Template"), "spec.jobTemplate.spec.template", origin));
        jt.setSpec(js);
        spec.setJobTemplate(jt);
        io.fabric8.kubernetes.api.model.batch.v1.CronJobStatus st = new io.fabric8.kubernetes.api.model.batch.v1.CronJobStatus();
        st.setLastScheduleTime(Values.time(DNode.value(roots, "Last Schedule Time")));
        cj.setStatus(st);
        out.add(cj, origin);
        EventRows.fromDescribe(DNode.find(roots, "Events"), "CronJob", meta.getNamespace(), meta.getName(), s.file(), out);
    }
}
