package io.opsagent.core.diagnosis.analyzers;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.opsagent.core.cluster.ObjectKey;
import io.opsagent.core.diagnosis.AnalysisContext;
import io.opsagent.core.diagnosis.Analyzer;
import io.opsagent.core.diagnosis.Category;
import io.opsagent.core.diagnosis.EventGroup;
import io.opsagent.core.diagnosis.EvidenceSource;
import io.opsagent.core.diagnosis.Finding;
import io.opsagent.core.diagnosis.FindingBuilder;
import io.opsagent.core.diagnosis.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pods that controllers cannot create because a ResourceQuota is exhausted or demands limits (FailedCreate
 * "exceeded quota" / "must specify"). One finding per quota, covering every workload it blocks.
 */
public final class QuotaExceededAnalyzer implements Analyzer {
    private static final Pattern EXCEEDED = Pattern.compile("exceeded quota: ([\\w.-]+), requested: ([^,]+(?:,[^,=]+=[^,]+)*?), used: (.+?), limited: (.+)$");
    private static final Pattern QUOTA_NAME = Pattern.compile("(?:exceeded|failed) quota: ([\\w.-]+)");
    private static final Pattern MUST = Pattern.compile("must specify ([^;]+(?:;[^;]+)*)");

    /** The FailedCreate events (and controllers) attributed to one quota. */
    private record Blocked(String namespace, String quota, List<EventGroup> events, Set<ObjectKey> workloads) {
    }

    @Override
    public List<Finding> analyze(AnalysisContext ctx) {
        Map<String, Blocked> byQuota = new LinkedHashMap<>();
        Set<String> seenObjects = new LinkedHashSet<>();
        for (Event e : ctx.snapshot().events()) {
            if (e.getInvolvedObject() == null || !"FailedCreate".equals(e.getReason()) || e.getMessage() == null
                    || !(e.getMessage().contains("exceeded quota") || e.getMessage().contains("failed quota"))) {
                continue;
            }
            var io = e.getInvolvedObject();
            String objKey = io.getKind() + "/" + io.getNamespace() + "/" + io.getName();
            if (!seenObjects.add(objKey)) continue;
            ObjectKey obj = new ObjectKey(io.getKind(), io.getNamespace(), io.getName());
            for (EventGroup g : ctx.events(io.getKind(), io.getNamespace(), io.getName())) {
                if (!"FailedCreate".equals(g.reason()) || !(g.message().contains("exceeded quota") || g.message().contains("failed quota"))) continue;
                Matcher m = QUOTA_NAME.matcher(g.message());
                String quota = m.find() ? m.group(1) : "";
                Blocked b = byQuota.computeIfAbsent(io.getNamespace() + "/" + quota,
                        k -> new Blocked(io.getNamespace(), quota, new ArrayList<>(), new LinkedHashSet<>()));
                b.events().add(g);
                b.workloads().add(obj);
                b.workloads().addAll(ctx.ownersOf(obj));
            }
        }
        List<Finding> out = new ArrayList<>();
        byQuota.values().forEach(b -> out.add(finding(ctx, b)));
        return out;
    }

    private Finding finding(AnalysisContext ctx, Blocked bl) {
        String ns = bl.namespace();
        EventGroup e = bl.events().get(0);
        Optional<HasMetadata> quota = bl.quota().isEmpty() ? Optional.empty()
                : ctx.find("ResourceQuota", ns, bl.quota());
        ObjectKey subject = bl.quota().isEmpty() ? bl.workloads().iterator().next()
                : new ObjectKey("ResourceQuota", ns, bl.quota());
        List<ObjectKey> top = bl.workloads().stream().filter(k -> !k.kind().equals("ReplicaSet")
                || bl.workloads().stream().noneMatch(o -> o.kind().equals("Deployment"))).toList();
        String blocked = AnalysisContext.names(top.stream().map(Workloads::describe), 3);
        Matcher m = EXCEEDED.matcher(e.message());
        Matcher must = MUST.matcher(e.message());
        String s;
        List<String> fixes = new ArrayList<>();
        if (m.find()) {
            s = "ResourceQuota " + ns + "/" + bl.quota() + " is exhausted, so new pods of " + blocked
                    + " cannot be created: requested " + m.group(2).strip() + ", used " + m.group(3).strip()
                    + ", limited " + m.group(4).strip() + ".";
            String res = m.group(2).split("=")[0].strip();
            fixes.add("Raise the quota: kubectl patch resourcequota " + bl.quota() + " -n " + ns
                    + " --type=merge -p '{\"spec\":{\"hard\":{\"" + res + "\":\"<higher>\"}}}'");
            fixes.add("Or lower the requests/limits of the blocked workload's containers (kubectl set resources ...), "
                    + "or scale down other workloads in namespace " + ns);
        } else if (must.find()) {
            s = "ResourceQuota " + ns + "/" + bl.quota() + " rejects the pods of " + blocked + ": they must specify "
                    + must.group(1).strip() + ".";
            fixes.add("Set resources on every container of the pod template (kubectl set resources ... --requests=... --limits=...) "
                    + "or add a LimitRange with defaults to namespace " + ns);
        } else {
            s = "A ResourceQuota in namespace " + ns + " rejects the pods of " + blocked + ": " + e.message() + ".";
            fixes.add("kubectl describe resourcequota -n " + ns);
        }
        FindingBuilder b = ctx.finding(Category.QuotaExceeded, Severity.CRITICAL, subject).summary(s).about(bl.workloads());
        bl.events().stream().limit(2).forEach(x -> b.evidence(ctx.evidence(x)));
        quota.ifPresent(q -> {
            ResourceQuota rq = (ResourceQuota) q;
            if (rq.getStatus() != null && rq.getStatus().getHard() != null) {
                Map<String, Quantity> used = rq.getStatus().getUsed() == null ? Map.of() : rq.getStatus().getUsed();
                List<String> parts = new ArrayList<>();
                rq.getStatus().getHard().forEach((k, v) -> parts.add(k + " " + used.getOrDefault(k, new Quantity("0")) + "/" + v));
                b.evidence(ctx.evidence(rq, "status", EvidenceSource.STATUS, "used/hard: " + String.join(", ", parts)));
            }
        });
        fixes.forEach(b::fix);
        return b.build();
    }
}
