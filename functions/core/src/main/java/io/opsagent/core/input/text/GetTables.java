package io.opsagent.core.input.text;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateRunning;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeSystemInfo;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.opsagent.core.cluster.TextOrigin;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code kubectl get} tables (default and {@code -o wide}, with or without {@code -A}/{@code --show-labels}) →
 * minimal objects: pods, nodes, deployments, PVCs, jobs, services; event tables go to {@link EventRows}. Also
 * header-less pod rows as left by {@code kubectl get pods -A -o wide | grep NAME}.
 */
final class GetTables {
    private static final Pattern READY = Pattern.compile("^(\\d+)/(\\d+)$");
    private static final Pattern RESTARTS = Pattern.compile("^(\\d+)(?:\\s+\\((.*) ago\\))?$");
    /** A pod row without header: [NAMESPACE] NAME READY STATUS RESTARTS AGE [IP NODE NOMINATED READINESS [LABELS]]. */
    private static final Pattern HEADERLESS_POD = Pattern.compile(
            "^(?:(\\S+)\\s+)?(\\S+)\\s+(\\d+/\\d+)\\s+([A-Za-z][\\w:/-]*)\\s+(\\d+(?:\\s+\\([^)]*ago\\))?)\\s+(\\S+)"
                    + "(?:\\s+(\\S+)\\s+(\\S+)(?:\\s+(\\S+)\\s+(\\S+))?(?:\\s+(\\S+))?)?\\s*$");
    /** A deployment row without header: [NAMESPACE] NAME READY UP-TO-DATE AVAILABLE AGE [CONTAINERS IMAGES SELECTOR [LABELS]]. */
    private static final Pattern HEADERLESS_DEPLOYMENT = Pattern.compile(
            "^(?:(\\S+)\\s+)?(\\S+)\\s+(\\d+/\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+[smhdy]\\S*)"
                    + "(?:\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)(?:\\s+(\\S+))?)?\\s*$");
    private static final Set<String> WAITING_REASONS = Set.of("CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull",
            "CreateContainerConfigError", "CreateContainerError", "InvalidImageName", "RunContainerError",
            "ContainerCreating", "PodInitializing", "ErrImageNeverPull", "PreCreateHookError", "PostStartHookError");

    private GetTables() {
    }

    /** True when the first line is a table header kubectl prints. */
    static boolean looksLikeHeader(String line) {
        List<String> cols = Table.headerNames(line);
        return cols.size() >= 2 && (cols.get(0).equals("NAME") || cols.get(0).equals("NAMESPACE")
                || cols.get(0).equals("LAST SEEN")) && cols.stream().allMatch(c -> c.matches("[A-Z0-9 ()_.-]+"));
    }

    static boolean looksLikeHeaderlessPods(List<Line> lines) {
        return allMatch(lines, HEADERLESS_POD) || allMatch(lines, HEADERLESS_DEPLOYMENT);
    }

    private static boolean allMatch(List<Line> lines, Pattern p) {
        int matched = 0;
        for (Line l : lines) {
            if (l.isBlank()) continue;
            if (!p.matcher(l.text().trim()).matches()) return false;
            matched++;
        }
        return matched > 0;
    }

    /**
     * Reads the blank-line-separated tables at the start of the section.
     *
     * @return the lines after the last table (other output or prose that follows), empty if all were tables
     */
    static List<Line> read(Section s, Collected out) {
        List<Line> lines = s.lines();
        int start = 0;
        while (start < lines.size()) {
            int end = start;
            while (end < lines.size() && !lines.get(end).isBlank()) end++;
            List<Line> block = lines.subList(start, end);
            if (!block.isEmpty()) {
                boolean table = looksLikeHeader(block.get(0).text()) || looksLikeHeaderlessPods(block);
                if (!table && start > 0) return lines.subList(start, lines.size());
                readBlock(s, block, out);
            }
            start = end + 1;
        }
        return List.of();
    }

    private static int readBlock(Section s, List<Line> block, Collected out) {
        if (block.isEmpty()) return 0;
        if (!looksLikeHeader(block.get(0).text())) {
            if (looksLikeHeaderlessPods(block)) return headerlessPods(s, block, out);
            out.skipped.add(new SkippedInput(s.file(), block.get(0).number(), "text that is not a kubectl table"));
            return 0;
        }
        Table t = Table.parse(block);
        if (EventRows.isEventHeader(t.columns)) {
            int before = out.events.size();
            EventRows.fromTable(t, s.namespaceHint(), s.file(), out);
            return out.events.size() - before;
        }
        if ("top".equals(s.command().verb())) return 0; // resource usage, not object state
        String tableKind = kindOf(t.columns, s.command().kind());
        int n = 0;
        for (Table.Row r : t.rows) {
            String name = r.get("NAME");
            if (name == null) continue;
            name = name.replaceFirst("^[\\s│├└─|`-]+", ""); // kubectl lineage tree drawing
            String kind = tableKind;
            if (name.contains("/")) {
                kind = Kinds.canonical(name.substring(0, name.indexOf('/')));
                name = name.substring(name.indexOf('/') + 1);
                if (kind.equals("Pod") || kind.equals("Deployment") || kind.equals("Service") || kind.equals("Job")
                        || kind.equals("StatefulSet") || kind.equals("ReplicaSet") || kind.equals("DaemonSet")) {
                    // `kubectl get all`: the table's columns fit the kind given by the name prefix
                } else if (!Kinds.known(kind)) {
                    continue;
                }
            }
            if (kind == null) continue;
            String ns = r.get("NAMESPACE") != null ? r.get("NAMESPACE") : s.namespaceHint();
            TextOrigin o = new TextOrigin(s.file(), r.line().number());
            HasMetadata obj = switch (kind) {
                case "Pod" -> pod(name, ns, r.get("READY"), r.raw("STATUS"), r.raw("RESTARTS"), r.get("IP"),
                        r.get("NODE"), r.get("LABELS"), o);
                case "Node" -> node(name, r, o);
                case "Deployment" -> deployment(name, ns, r, o);
                case "PersistentVolumeClaim" -> pvc(name, ns, r, o);
                case "Job" -> job(name, ns, r, o);
                case "Service" -> service(name, ns, r, o);
                case "StatefulSet" -> statefulSet(name, ns, r, o);
                case "ReplicaSet" -> replicaSet(name, ns, r, o);
                case "DaemonSet" -> daemonSet(name, ns, r, o);
                case "NetworkPolicy" -> networkPolicy(name, ns);
                default -> null;
            };
            if (obj != null) {
                out.addRow(obj, o);
                n++;
            }
        }
        if (n == 0) out.skipped.add(new SkippedInput(s.file(), block.get(0).number(),
                "kubectl get table of a kind that is not read (columns " + t.columns + ")"));
        return n;
    }

    private static String kindOf(List<String> c, String commandKind) {
        if (c.contains("READY") && c.contains("STATUS") && c.contains("RESTARTS")) return "Pod";
        if (c.contains("ROLES") && c.contains("VERSION")) return "Node";
        if (c.contains("UP-TO-DATE") && c.contains("AVAILABLE") && !c.contains("DESIRED")) return "Deployment";
        if (c.contains("ACCESS MODES") && c.contains("STORAGECLASS") && !c.contains("RECLAIM POLICY")) return "PersistentVolumeClaim";
        if (c.contains("COMPLETIONS")) return "Job";
        if (c.contains("NODE SELECTOR") && c.contains("DESIRED")) return "DaemonSet";
        if (c.contains("DESIRED") && c.contains("CURRENT") && c.contains("READY")) return "ReplicaSet";
        if (c.contains("REFERENCE") && c.contains("MINPODS")) return "HorizontalPodAutoscaler";
        if (c.contains("SCHEDULE") && c.contains("SUSPEND")) return "CronJob";
        if (c.contains("READY") && c.contains("AGE") && !c.contains("STATUS") && "StatefulSet".equals(commandKind)) {
            return "StatefulSet";
        }
        if (c.contains("CLUSTER-IP") && c.contains("PORT(S)")) return "Service";
        return null; // other columns (kubectl top, custom-columns…) do not describe an object's state
    }

    private static int headerlessPods(Section s, List<Line> block, Collected out) {
        if (allMatch(block, HEADERLESS_DEPLOYMENT)) return headerlessDeployments(s, block, out);
        int n = 0;
        for (Line l : block) {
            Matcher m = HEADERLESS_POD.matcher(l.text().trim());
            if (!m.matches()) continue;
            String ns = m.group(1) != null ? m.group(1) : s.namespaceHint();
            TextOrigin o = new TextOrigin(s.file(), l.number());
            out.addRow(pod(m.group(2), ns, m.group(3), m.group(4), m.group(5), Values.clean(m.group(7)),
                    Values.clean(m.group(8)), Values.clean(m.group(11)), o), o);
            n++;
        }
        return n;
    }

    private static int headerlessDeployments(Section s, List<Line> block, Collected out) {
        int n = 0;
        for (Line l : block) {
            Matcher m = HEADERLESS_DEPLOYMENT.matcher(l.text().trim());
            if (!m.matches()) continue;
            Map<String, String> cells = new LinkedHashMap<>();
            cells.put("READY", m.group(3));
            cells.put("UP-TO-DATE", m.group(4));
            cells.put("AVAILABLE", m.group(5));
            cells.put("LABELS", m.group(10));
            TextOrigin o = new TextOrigin(s.file(), l.number());
            String ns = m.group(1) != null ? m.group(1) : s.namespaceHint();
            out.addRow(deployment(m.group(2), ns, new Table.Row(l, cells), o), o);
            n++;
        }
        return n;
    }

    private static ObjectMeta meta(String name, String ns, String labels) {
        ObjectMeta m = new ObjectMeta();
        m.setName(name);
        m.setNamespace(ns);
        if (labels != null) {
            Map<String, String> l = Values.keyValues(List.of(labels));
            if (!l.isEmpty()) m.setLabels(l);
        }
        return m;
    }

    /** A pod from one row: phase, and the container state the STATUS column shows. */
    static Pod pod(String name, String ns, String ready, String statusText, String restartsText, String ip,
                   String node, String labels, TextOrigin o) {
        Pod p = new Pod();
        p.setApiVersion("v1");
        p.setKind("Pod");
        p.setMetadata(meta(name, ns, labels));
        PodSpec spec = new PodSpec();
        spec.setNodeName(node);
        p.setSpec(spec);
        PodStatus st = new PodStatus();
        p.setStatus(st);
        if (ip != null) st.setPodIP(ip);
        int line = o.line();
        String status = statusText == null ? "" : statusText.trim();
        int restarts = 0;
        Matcher rm = RESTARTS.matcher(restartsText == null ? "" : restartsText.trim());
        if (rm.matches()) restarts = Integer.parseInt(rm.group(1));
        int readyCount = 0, total = 0;
        Matcher ready2 = READY.matcher(ready == null ? "" : ready);
        if (ready2.matches()) {
            readyCount = Integer.parseInt(ready2.group(1));
            total = Integer.parseInt(ready2.group(2));
        }
        ContainerState state = new ContainerState();
        ContainerState last = new ContainerState();
        String phase;
        boolean init = status.startsWith("Init:");
        String reason = init ? status.substring(5) : status;
        switch (reason) {
            case "Running", "NotReady" -> { phase = "Running"; state.setRunning(new ContainerStateRunning()); }
            case "Pending", "SchedulingGated" -> phase = "Pending";
            case "Completed", "Succeeded" -> { phase = "Succeeded"; state.setTerminated(terminated("Completed", 0)); }
            case "Error", "OOMKilled", "ContainerCannotRun", "DeadlineExceeded" -> {
                phase = restarts > 0 ? "Running" : "Failed";
                state.setTerminated(terminated(reason, null));
                if (restarts > 0) last.setTerminated(terminated(reason, null));
            }
            case "Terminating" -> { phase = "Running"; p.getMetadata().setDeletionTimestamp("1970-01-01T00:00:00Z"); }
            case "Unknown", "NodeLost" -> phase = "Unknown";
            case "Evicted", "OutOfcpu", "OutOfmemory", "OutOfpods", "NodeAffinity", "UnexpectedAdmissionError",
                    "Shutdown", "Terminated", "NodeShutdown" -> {
                phase = "Failed";
                st.setReason(reason);
            }
            default -> {
                if (WAITING_REASONS.contains(reason) || reason.matches("[A-Z][A-Za-z]+")) {
                    ContainerStateWaiting w = new ContainerStateWaiting();
                    w.setReason(reason);
                    state.setWaiting(w);
                    phase = reason.equals("CrashLoopBackOff") || reason.equals("RunContainerError") ? "Running" : "Pending";
                } else {
                    phase = "Pending"; // Init:0/1 and the like
                }
            }
        }
        if (init) phase = "Pending";
        st.setPhase(phase);
        o.field("status.phase", line).field("status", line).field("spec.nodeName", line).field("metadata", line);
        if (restarts > 0 || init || state.getWaiting() != null || state.getTerminated() != null || state.getRunning() != null) {
            ContainerStatus cs = new ContainerStatus();
            cs.setName(""); // the table does not name containers
            cs.setReady(total > 0 && readyCount == total && !init);
            cs.setRestartCount(restarts);
            cs.setState(init ? waiting("PodInitializing") : state);
            cs.setLastState(last);
            if (init) {
                ContainerStatus ic = new ContainerStatus();
                ic.setState(state);
                ic.setLastState(last);
                ic.setRestartCount(restarts);
                ic.setReady(false);
                st.setInitContainerStatuses(new ArrayList<>(List.of(ic)));
            }
            st.setContainerStatuses(new ArrayList<>(List.of(cs)));
        }
        return p;
    }

    private static ContainerState waiting(String reason) {
        ContainerStateWaiting w = new ContainerStateWaiting();
        w.setReason(reason);
        ContainerState s = new ContainerState();
        s.setWaiting(w);
        return s;
    }

    private static ContainerStateTerminated terminated(String reason, Integer exitCode) {
        ContainerStateTerminated t = new ContainerStateTerminated();
        t.setReason(reason);
        t.setExitCode(exitCode);
        return t;
    }

    private static Node node(String name, Table.Row r, TextOrigin o) {
        Node n = new Node();
        n.setApiVersion("v1");
        n.setKind("Node");
        n.setMetadata(meta(name, null, r.get("LABELS")));
        NodeSpec spec = new NodeSpec();
        NodeStatus st = new NodeStatus();
        n.setSpec(spec);
        n.setStatus(st);
        String status = r.raw("STATUS");
        List<NodeCondition> conditions = new ArrayList<>();
        for (String part : status.split(",")) {
            if (part.equals("Ready") || part.equals("NotReady") || part.equals("Unknown")) {
                NodeCondition c = new NodeCondition();
                c.setType("Ready");
                c.setStatus(part.equals("Ready") ? "True" : part.equals("NotReady") ? "False" : "Unknown");
                conditions.add(c);
            } else if (part.equals("SchedulingDisabled")) {
                spec.setUnschedulable(true);
            }
        }
        st.setConditions(conditions);
        NodeSystemInfo info = new NodeSystemInfo();
        info.setKubeletVersion(r.get("VERSION"));
        info.setOsImage(r.get("OS-IMAGE"));
        info.setKernelVersion(r.get("KERNEL-VERSION"));
        info.setContainerRuntimeVersion(r.get("CONTAINER-RUNTIME"));
        st.setNodeInfo(info);
        o.field("status.conditions", o.line()).field("spec.unschedulable", o.line());
        return n;
    }

    private static Deployment deployment(String name, String ns, Table.Row r, TextOrigin o) {
        Deployment d = new Deployment();
        d.setApiVersion("apps/v1");
        d.setKind("Deployment");
        d.setMetadata(meta(name, ns, r.get("LABELS")));
        DeploymentSpec spec = new DeploymentSpec();
        DeploymentStatus st = new DeploymentStatus();
        d.setSpec(spec);
        d.setStatus(st);
        Matcher m = READY.matcher(r.raw("READY"));
        if (m.matches()) {
            st.setReadyReplicas(Integer.parseInt(m.group(1)));
            spec.setReplicas(Integer.parseInt(m.group(2)));
        }
        st.setUpdatedReplicas(Values.integer(r.get("UP-TO-DATE")));
        st.setAvailableReplicas(Values.integer(r.get("AVAILABLE")));
        o.field("status", o.line()).field("spec.replicas", o.line());
        return d;
    }

    private static PersistentVolumeClaim pvc(String name, String ns, Table.Row r, TextOrigin o) {
        PersistentVolumeClaim c = new PersistentVolumeClaim();
        c.setApiVersion("v1");
        c.setKind("PersistentVolumeClaim");
        c.setMetadata(meta(name, ns, r.get("LABELS")));
        PersistentVolumeClaimSpec spec = new PersistentVolumeClaimSpec();
        PersistentVolumeClaimStatus st = new PersistentVolumeClaimStatus();
        c.setSpec(spec);
        c.setStatus(st);
        st.setPhase(r.get("STATUS"));
        spec.setVolumeName(r.get("VOLUME"));
        spec.setStorageClassName(r.get("STORAGECLASS"));
        String access = r.get("ACCESS MODES");
        if (access != null) spec.setAccessModes(InfraDescribe.accessModes(access));
        String mode = r.get("VOLUMEMODE");
        if (mode != null) spec.setVolumeMode(mode);
        o.field("status.phase", o.line()).field("spec.storageClassName", o.line());
        return c;
    }

    private static Job job(String name, String ns, Table.Row r, TextOrigin o) {
        Job j = new Job();
        j.setApiVersion("batch/v1");
        j.setKind("Job");
        j.setMetadata(meta(name, ns, r.get("LABELS")));
        JobSpec spec = new JobSpec();
        JobStatus st = new JobStatus();
        j.setSpec(spec);
        j.setStatus(st);
        Matcher m = READY.matcher(r.raw("COMPLETIONS"));
        if (m.matches()) {
            st.setSucceeded(Integer.parseInt(m.group(1)));
            spec.setCompletions(Integer.parseInt(m.group(2)));
        }
        String status = r.get("STATUS");
        if (status != null && (status.equals("Failed") || status.equals("Complete"))) {
            JobCondition c = new JobCondition();
            c.setType(status);
            c.setStatus("True");
            st.setConditions(new ArrayList<>(List.of(c)));
        }
        o.field("status", o.line());
        return j;
    }

    private static io.fabric8.kubernetes.api.model.apps.StatefulSet statefulSet(String name, String ns, Table.Row r, TextOrigin o) {
        var ss = new io.fabric8.kubernetes.api.model.apps.StatefulSet();
        ss.setApiVersion("apps/v1");
        ss.setKind("StatefulSet");
        ss.setMetadata(meta(name, ns, r.get("LABELS")));
        var spec = new io.fabric8.kubernetes.api.model.apps.StatefulSetSpec();
        var st = new io.fabric8.kubernetes.api.model.apps.StatefulSetStatus();
        Matcher m = READY.matcher(r.raw("READY"));
        if (m.matches()) {
            st.setReadyReplicas(Integer.parseInt(m.group(1)));
            spec.setReplicas(Integer.parseInt(m.group(2)));
        }
        ss.setSpec(spec);
        ss.setStatus(st);
        o.field("status", o.line()).field("spec.replicas", o.line());
        return ss;
    }

    private static io.fabric8.kubernetes.api.model.apps.ReplicaSet replicaSet(String name, String ns, Table.Row r, TextOrigin o) {
        var rs = new io.fabric8.kubernetes.api.model.apps.ReplicaSet();
        rs.setApiVersion("apps/v1");
        rs.setKind("ReplicaSet");
        rs.setMetadata(meta(name, ns, r.get("LABELS")));
        var spec = new io.fabric8.kubernetes.api.model.apps.ReplicaSetSpec();
        var st = new io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus();
        spec.setReplicas(Values.integer(r.get("DESIRED")));
        st.setReplicas(Values.integer(r.get("CURRENT")));
        st.setReadyReplicas(Values.integer(r.get("READY")));
        rs.setSpec(spec);
        rs.setStatus(st);
        o.field("status", o.line()).field("spec.replicas", o.line());
        return rs;
    }

    private static io.fabric8.kubernetes.api.model.apps.DaemonSet daemonSet(String name, String ns, Table.Row r, TextOrigin o) {
        var ds = new io.fabric8.kubernetes.api.model.apps.DaemonSet();
        ds.setApiVersion("apps/v1");
        ds.setKind("DaemonSet");
        ds.setMetadata(meta(name, ns, r.get("LABELS")));
        var st = new io.fabric8.kubernetes.api.model.apps.DaemonSetStatus();
        st.setDesiredNumberScheduled(Values.integer(r.get("DESIRED")));
        st.setCurrentNumberScheduled(Values.integer(r.get("CURRENT")));
        st.setNumberReady(Values.integer(r.get("READY")));
        st.setUpdatedNumberScheduled(Values.integer(r.get("UP-TO-DATE")));
        st.setNumberAvailable(Values.integer(r.get("AVAILABLE")));
        ds.setSpec(new io.fabric8.kubernetes.api.model.apps.DaemonSetSpec());
        ds.setStatus(st);
        o.field("status", o.line());
        return ds;
    }

    private static Service service(String name, String ns, Table.Row r, TextOrigin o) {
        Service svc = new Service();
        svc.setApiVersion("v1");
        svc.setKind("Service");
        svc.setMetadata(meta(name, ns, r.get("LABELS")));
        ServiceSpec spec = new ServiceSpec();
        svc.setSpec(spec);
        spec.setType(r.get("TYPE"));
        spec.setClusterIP(r.get("CLUSTER-IP"));
        String sel = r.get("SELECTOR");
        if (sel != null) {
            Map<String, String> m = new LinkedHashMap<>(Values.keyValues(List.of(sel)));
            if (!m.isEmpty()) spec.setSelector(m);
        }
        return svc;
    }

    /** A NetworkPolicy known by its name (a listing or a lineage tree row: its rules are not in it). */
    private static HasMetadata networkPolicy(String name, String ns) {
        var n = new io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder().withNewMetadata().withName(name)
                .withNamespace(ns).endMetadata().build();
        n.setKind("NetworkPolicy");
        n.setApiVersion("networking.k8s.io/v1");
        return n;
    }
}
