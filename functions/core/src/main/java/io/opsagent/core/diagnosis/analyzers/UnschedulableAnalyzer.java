package io.opsagent.core.diagnosis.analyzers;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.opsagent.core.cluster.ObjectKey;
import io.opsagent.core.diagnosis.AnalysisContext;
import io.opsagent.core.diagnosis.Analyzer;
import io.opsagent.core.diagnosis.Category;
import io.opsagent.core.diagnosis.EvidenceSource;
import io.opsagent.core.diagnosis.Finding;
import io.opsagent.core.diagnosis.FindingBuilder;
import io.opsagent.core.diagnosis.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pods the scheduler cannot place: insufficient cpu/memory/GPU, nodeSelector or affinity that no node matches,
 * untolerated taints, cordoned nodes. Parses the scheduler's message. Volume-related messages are left to
 * {@link VolumeAnalyzer}.
 */
public final class UnschedulableAnalyzer implements Analyzer {
    private static final Pattern INSUFFICIENT = Pattern.compile("(\\d+) Insufficient ([\\w./-]*[\\w/-])");
    private static final Pattern SELECTOR = Pattern.compile("(\\d+) node\\(s\\) didn't match (?:Pod's )?node (?:affinity/selector|selector|affinity)");
    private static final Pattern TAINT = Pattern.compile("(\\d+) node\\(s\\) had (?:untolerated )?taints? \\{([^}]*)\\}");
    private static final Pattern CORDONED = Pattern.compile("(\\d+) node\\(s\\) were unschedulable");
    private static final Pattern ANTI = Pattern.compile("(\\d+) node\\(s\\) didn't match pod (?:anti-)?affinity rules");
    private static final Pattern PORTS = Pattern.compile("(\\d+) node\\(s\\) didn't have free ports");
    private static final Pattern TOO_MANY = Pattern.compile("(\\d+) Too many pods");

    @Override
    public List<Finding> analyze(AnalysisContext ctx) {
        Map<ObjectKey, List<Pending>> byWorkload = new LinkedHashMap<>();
        for (Pod pod : ctx.snapshot().pods()) {
            Pending.of(ctx, pod).filter(p -> !p.aboutVolumes())
                    .ifPresent(p -> byWorkload.computeIfAbsent(ctx.workloadOf(pod), k -> new ArrayList<>()).add(p));
        }
        List<Finding> out = new ArrayList<>();
        byWorkload.forEach((w, ps) -> out.add(finding(ctx, w, ps)));
        return out;
    }

    private Finding finding(AnalysisContext ctx, ObjectKey workload, List<Pending> ps) {
        Pending p = ps.get(0);
        Pod pod = p.pod();
        String ns = Workloads.ns(pod.getMetadata().getNamespace());
        boolean known = ctx.find(workload.kind(), workload.namespace(), workload.name()).isPresent();
        ObjectKey subject = !known && ps.size() == 1 ? AnalysisContext.key(pod) : workload;
        String target = Workloads.target(workload);
        String msg = p.message().split("(?i)preemption:")[0].strip();
        List<String> facts = new ArrayList<>();
        List<String> fixes = new ArrayList<>();
        List<ObjectKey> nodeCauses = new ArrayList<>();
        boolean otherReasons = false;
        FindingBuilder b = ctx.finding(Category.Unschedulable, Severity.CRITICAL, subject)
                .about(ps.stream().map(x -> AnalysisContext.key(x.pod())).toList());
        b.evidence(p.evidence());

        Matcher m = INSUFFICIENT.matcher(msg);
        while (m.find()) {
            otherReasons = true;
            String res = m.group(2);
            String req = requested(pod, res);
            facts.add("insufficient " + res + " on " + m.group(1) + " node(s)" + (req == null ? "" : " (the pod requests " + res + "=" + req + ")"));
            if (res.contains("gpu")) {
                fixes.add("Add a node group with " + res + " (GPU instances and the device plugin), or remove the " + res + " request");
            } else {
                String c = firstContainer(pod);
                fixes.add("Lower the request if it is larger than needed: "
                        + Workloads.setResources(workload, c, "--requests=" + res + "=<smaller>", "resources.requests." + res));
                fixes.add("Or add capacity: scale the node group (e.g. eksctl scale nodegroup --cluster <cluster> --name <nodegroup> --nodes <n+1>) or let Cluster Autoscaler/Karpenter add nodes");
            }
        }
        if (SELECTOR.matcher(msg).find()) {
            otherReasons = true;
            Map<String, String> sel = pod.getSpec() == null ? null : pod.getSpec().getNodeSelector();
            if (sel != null && !sel.isEmpty()) {
                String pairs = String.join(",", sel.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
                facts.add("no node matches the nodeSelector " + pairs + labelsSeen(ctx, sel));
                b.evidence(ctx.evidence(pod, "spec.nodeSelector", EvidenceSource.SPEC, "nodeSelector: " + pairs));
                fixes.add("Label a node that should run it: kubectl label node <node> " + String.join(" ",
                        sel.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
                fixes.add("Or remove the nodeSelector: " + (target == null ? "delete spec.nodeSelector from the pod manifest"
                        : "kubectl patch " + target + ns + " --type=json -p '[{\"op\":\"remove\",\"path\":\"/spec/template/spec/nodeSelector\"}]'"));
            } else {
                facts.add("no node matches the pod's node affinity");
                b.evidence(ctx.evidence(pod, "spec.affinity", EvidenceSource.SPEC, "affinity: "
                        + (pod.getSpec() == null || pod.getSpec().getAffinity() == null ? "(see spec)" : pod.getSpec().getAffinity().getNodeAffinity())));
                fixes.add("Fix spec.affinity.nodeAffinity in the pod template to match existing node labels (kubectl get nodes --show-labels)");
            }
        }
        Matcher t = TAINT.matcher(msg);
        while (t.find()) {
            String taint = t.group(2).strip();
            String key = taint.split(":")[0].strip();
            facts.add(t.group(1) + " node(s) have the taint {" + taint + "} that the pod does not tolerate");
            for (Node n : ctx.snapshot().nodes()) {
                if (n.getSpec() != null && n.getSpec().getTaints() != null
                        && n.getSpec().getTaints().stream().map(Taint::getKey).anyMatch(key::equals)) {
                    nodeCauses.add(AnalysisContext.key(n));
                }
            }
            if (key.startsWith("node.kubernetes.io/")) {
                fixes.add("The taint " + key + " is set by Kubernetes for a node condition: fix the node (see the NodeProblem finding)");
            } else {
                fixes.add("Add a toleration to the pod template: tolerations: [{key: \"" + key + "\", operator: \"Exists\"}]");
                fixes.add("Or remove the taint if it is not wanted: kubectl taint node <node> " + key + "-");
            }
        }
        Matcher cd = CORDONED.matcher(msg);
        if (cd.find()) {
            facts.add(cd.group(1) + " node(s) are cordoned (unschedulable)");
            for (Node n : ctx.snapshot().nodes()) {
                if (n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable())) {
                    nodeCauses.add(AnalysisContext.key(n));
                }
            }
            fixes.add("kubectl uncordon <node> once maintenance is over");
        }
        Matcher a = ANTI.matcher(msg);
        if (a.find()) {
            facts.add(a.group(1) + " node(s) conflict with the pod's (anti-)affinity rules");
            fixes.add("Relax spec.affinity.podAntiAffinity (preferred instead of required) or add nodes");
        }
        if (PORTS.matcher(msg).find()) {
            facts.add("the requested hostPort is already taken");
            fixes.add("Remove hostPort from the pod template or add nodes");
        }
        if (TOO_MANY.matcher(msg).find()) {
            facts.add("nodes reached their maximum number of pods");
            fixes.add("Add nodes or use larger instance types (pods per node is limited by ENIs on EKS)");
        }
        if (a.find(0) || PORTS.matcher(msg).find() || TOO_MANY.matcher(msg).find()) otherReasons = true;
        if (!otherReasons) nodeCauses.forEach(b::related); // the nodes' own problems explain it entirely
        if (facts.isEmpty()) {
            facts.add(msg);
            fixes.add("kubectl describe pod " + pod.getMetadata().getName() + ns + " and compare with kubectl describe nodes");
        }
        String what = subject.kind().equals("Pod") ? "Pod " + pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName()
                : Workloads.podList(ps.stream().map(Pending::pod).toList()) + " of " + Workloads.describe(subject);
        b.summary(OOMKilledAnalyzer.capitalize(what) + " cannot be scheduled: " + String.join("; ", facts)
                + " (scheduler: \"" + msg + "\").");
        fixes.forEach(b::fix);
        return b.build();
    }

    private static String labelsSeen(AnalysisContext ctx, Map<String, String> sel) {
        List<String> seen = new ArrayList<>();
        for (Node n : ctx.snapshot().nodes()) {
            Map<String, String> l = n.getMetadata().getLabels();
            if (l == null) continue;
            sel.keySet().forEach(k -> {
                if (l.containsKey(k)) seen.add(n.getMetadata().getName() + " has " + k + "=" + l.get(k));
            });
        }
        if (ctx.snapshot().nodes().isEmpty()) return "";
        return seen.isEmpty() ? " (no node has this label)" : " (" + AnalysisContext.names(seen.stream(), 3) + ")";
    }

    private static String requested(Pod pod, String res) {
        if (pod.getSpec() == null || pod.getSpec().getContainers() == null) return null;
        List<String> parts = new ArrayList<>();
        for (Container c : pod.getSpec().getContainers()) {
            if (c.getResources() == null || c.getResources().getRequests() == null) continue;
            Quantity q = c.getResources().getRequests().get(res);
            if (q != null) parts.add(q.toString());
        }
        return parts.isEmpty() ? null : String.join("+", parts);
    }

    private static String firstContainer(Pod pod) {
        return pod.getSpec() == null || pod.getSpec().getContainers() == null || pod.getSpec().getContainers().isEmpty()
                ? "<container>" : pod.getSpec().getContainers().get(0).getName();
    }
}
