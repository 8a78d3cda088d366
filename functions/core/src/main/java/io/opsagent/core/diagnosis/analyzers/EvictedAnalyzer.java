package io.opsagent.core.diagnosis.analyzers;

import io.fabric8.kubernetes.api.model.Pod;
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
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Pods evicted by the kubelet (node low on memory/disk) — linked by the engine to their node's problem. */
public final class EvictedAnalyzer implements Analyzer {
    private static final Pattern RESOURCE = Pattern.compile("low on resource: ([\\w-]+)");
    private static final Pattern USAGE = Pattern.compile("Container (\\S+) was using (\\S+), (?:request is|which exceeds its request of) (\\S+?)\\.?(?:\\s|$)");

    @Override
    public List<Finding> analyze(AnalysisContext ctx) {
        Map<ObjectKey, List<Pod>> byWorkload = new LinkedHashMap<>();
        for (Pod p : ctx.snapshot().pods()) {
            if (p.getStatus() != null && "Failed".equals(p.getStatus().getPhase()) && "Evicted".equals(p.getStatus().getReason())) {
                byWorkload.computeIfAbsent(ctx.workloadOf(p), k -> new ArrayList<>()).add(p);
            }
        }
        List<Finding> out = new ArrayList<>();
        byWorkload.forEach((w, pods) -> out.add(finding(ctx, w, pods)));
        return out;
    }

    private Finding finding(AnalysisContext ctx, ObjectKey workload, List<Pod> pods) {
        Pod p = pods.get(0);
        String msg = p.getStatus().getMessage() == null ? "" : p.getStatus().getMessage().strip();
        boolean known = ctx.find(workload.kind(), workload.namespace(), workload.name()).isPresent();
        ObjectKey subject = !known && pods.size() == 1 ? AnalysisContext.key(p) : workload;
        String what = subject.kind().equals("Pod") ? "Pod " + p.getMetadata().getNamespace() + "/" + p.getMetadata().getName() + " was"
                : Workloads.podList(pods) + " of " + Workloads.describe(subject) + (pods.size() == 1 ? " was" : " were");
        List<String> nodes = pods.stream().map(x -> x.getSpec() == null ? null : x.getSpec().getNodeName())
                .filter(Objects::nonNull).distinct().toList();
        String s = OOMKilledAnalyzer.capitalize(what) + " evicted" + (nodes.isEmpty() ? "" : " from node " + String.join(", ", nodes))
                + (msg.isEmpty() ? "" : ": " + msg) + (msg.endsWith(".") ? "" : ".");
        FindingBuilder b = ctx.finding(Category.Evicted, Severity.WARNING, subject).summary(s)
                .about(pods.stream().map(AnalysisContext::key).toList());
        nodes.forEach(n -> b.related(new ObjectKey("Node", null, n)));
        b.evidence(ctx.evidence(p, "status.message", EvidenceSource.STATUS, "phase: Failed, reason: Evicted, message: " + msg));
        ctx.warnings(p, "Evicted").stream().limit(1).forEach(e -> b.evidence(ctx.evidence(e)));
        Matcher r = RESOURCE.matcher(msg);
        Matcher u = USAGE.matcher(msg);
        if (u.find()) {
            b.fix("Set the memory request of container " + u.group(1) + " near its real usage (" + u.group(2) + "): "
                    + Workloads.setResources(workload, u.group(1), "--requests=" + (r.find() ? r.group(1) : "memory") + "=" + u.group(2),
                    "resources.requests"));
        } else {
            b.fix("Set requests close to real usage so the scheduler does not overcommit the node: kubectl top pod -n "
                    + p.getMetadata().getNamespace());
        }
        if (!nodes.isEmpty()) b.fix("Check the node: kubectl describe node " + nodes.get(0));
        b.fix("Remove the evicted pods: kubectl delete pod -n " + p.getMetadata().getNamespace()
                + " --field-selector=status.phase=Failed");
        return b.build();
    }
}
