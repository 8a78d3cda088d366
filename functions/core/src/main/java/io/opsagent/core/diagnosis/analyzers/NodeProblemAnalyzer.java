package io.opsagent.core.diagnosis.analyzers;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.opsagent.core.diagnosis.AnalysisContext;
import io.opsagent.core.diagnosis.Analyzer;
import io.opsagent.core.diagnosis.Category;
import io.opsagent.core.diagnosis.EvidenceSource;
import io.opsagent.core.diagnosis.Finding;
import io.opsagent.core.diagnosis.FindingBuilder;
import io.opsagent.core.diagnosis.Severity;
import java.util.ArrayList;
import java.util.List;

/** Nodes that are NotReady, under memory/disk/PID pressure, without network, or cordoned. */
public final class NodeProblemAnalyzer implements Analyzer {

    @Override
    public List<Finding> analyze(AnalysisContext ctx) {
        List<Finding> out = new ArrayList<>();
        for (Node n : ctx.snapshot().nodes()) {
            String name = n.getMetadata().getName();
            List<String> problems = new ArrayList<>();
            List<String> fixes = new ArrayList<>();
            Severity sev = null;
            FindingBuilder b = null;
            List<NodeCondition> conds = n.getStatus() == null || n.getStatus().getConditions() == null ? List.of()
                    : n.getStatus().getConditions();
            List<Object[]> evidence = new ArrayList<>();
            for (int i = 0; i < conds.size(); i++) {
                NodeCondition c = conds.get(i);
                String type = c.getType();
                boolean bad = "Ready".equals(type) ? !"True".equals(c.getStatus())
                        : List.of("MemoryPressure", "DiskPressure", "PIDPressure", "NetworkUnavailable").contains(type)
                        && "True".equals(c.getStatus());
                if (!bad) continue;
                String reason = c.getReason() == null ? "" : " (" + c.getReason() + ")";
                evidence.add(new Object[]{"status.conditions[" + i + "]", type + "=" + c.getStatus() + reason
                        + (c.getMessage() == null ? "" : ": " + c.getMessage())});
                switch (type) {
                    case "Ready" -> {
                        String why = java.util.stream.Stream.of(c.getReason(), c.getMessage())
                                .filter(java.util.Objects::nonNull).collect(java.util.stream.Collectors.joining(": "));
                        problems.add("is NotReady" + (why.isEmpty() ? "" : " (" + why + ")"));
                        sev = Severity.CRITICAL;
                        fixes.add("Check the kubelet and container runtime on the node (kubectl describe node " + name
                                + "; on EKS use SSM: journalctl -u kubelet)");
                        fixes.add("If it does not recover, replace it: kubectl drain " + name
                                + " --ignore-daemonsets --delete-emptydir-data, then terminate the instance (the node group replaces it)");
                    }
                    case "MemoryPressure" -> {
                        problems.add("has MemoryPressure");
                        sev = worse(sev, Severity.WARNING);
                        fixes.add("Set memory requests/limits on the pods of this node so the scheduler does not overcommit it: kubectl top pod -A --sort-by=memory");
                    }
                    case "DiskPressure" -> {
                        problems.add("has DiskPressure");
                        sev = worse(sev, Severity.WARNING);
                        fixes.add("Free disk on the node (unused images: crictl rmi --prune; large logs/emptyDirs) or enlarge the node volume in the node group's launch template");
                    }
                    case "PIDPressure" -> {
                        problems.add("has PIDPressure");
                        sev = worse(sev, Severity.WARNING);
                        fixes.add("Find the pod that forks too many processes and fix it; set the kubelet podPidsLimit");
                    }
                    default -> {
                        problems.add("has NetworkUnavailable");
                        sev = Severity.CRITICAL;
                        fixes.add("Check the CNI (aws-node pods in kube-system) on this node");
                    }
                }
            }
            // at its pod capacity: the scheduler places no new pod on it, whatever its CPU and memory
            int running = runningPods(ctx, n);
            Integer capacity = podCapacity(n);
            if (capacity != null && capacity > 0 && running >= capacity) {
                problems.add("runs " + running + " pods, its whole pod capacity of " + capacity + " (too many pods: no"
                        + " new pod can be scheduled on it)");
                sev = worse(sev, Severity.WARNING);
                evidence.add(new Object[]{n.getStatus().getAllocatable() != null && n.getStatus().getAllocatable().get("pods") != null
                        ? "status.allocatable.pods" : "status.capacity.pods", "pods: " + capacity + "; running: " + running});
                fixes.add("Spread the load: add nodes (the node group's desired size) or raise the pods per node"
                        + " (on EKS the VPC CNI's max pods, prefix delegation); move pods off " + name + " with kubectl drain");
            }
            boolean cordoned = n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable());
            if (cordoned) {
                problems.add("is cordoned (SchedulingDisabled)");
                sev = worse(sev, Severity.WARNING);
                fixes.add("kubectl uncordon " + name + " when maintenance is over");
            }
            if (problems.isEmpty()) continue;
            b = ctx.finding(Category.NodeProblem, sev, AnalysisContext.key(n))
                    .summary("Node " + name + " " + String.join(", ", problems) + ".");
            for (Object[] e : evidence) b.evidence(ctx.evidence(n, (String) e[0], EvidenceSource.STATUS, (String) e[1]));
            if (cordoned) b.evidence(ctx.evidence(n, "spec.unschedulable", EvidenceSource.SPEC, "unschedulable: true"));
            FindingBuilder fb = b;
            ctx.warnings(n).stream().limit(2).forEach(e -> fb.evidence(ctx.evidence(e)));
            fixes.forEach(b::fix);
            out.add(b.build());
        }
        return out;
    }

    /** Pods not terminated on the node: those of the snapshot, or the count a described node states if higher. */
    private static int runningPods(AnalysisContext ctx, Node n) {
        int counted = (int) ctx.snapshot().pods().stream().filter(p -> p.getSpec() != null
                && n.getMetadata().getName().equals(p.getSpec().getNodeName()) && (p.getStatus() == null
                || !List.of("Succeeded", "Failed").contains(p.getStatus().getPhase()))).count();
        String stated = n.getMetadata().getAnnotations() == null ? null
                : n.getMetadata().getAnnotations().get(io.opsagent.core.cluster.KubeKinds.NON_TERMINATED_PODS);
        return stated != null && stated.matches("\\d{1,6}") ? Math.max(counted, Integer.parseInt(stated)) : counted;
    }

    /** The node's allocatable pods (else its capacity), or null when unknown. */
    private static Integer podCapacity(Node n) {
        if (n.getStatus() == null) return null;
        for (var m : java.util.Arrays.asList(n.getStatus().getAllocatable(), n.getStatus().getCapacity())) {
            if (m != null && m.get("pods") != null) {
                try {
                    return Integer.parseInt(m.get("pods").getAmount());
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static Severity worse(Severity a, Severity b) {
        return a == null ? b : a.compareTo(b) <= 0 ? a : b;
    }
}
