package io.opsagent.core.diagnosis.analyzers;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerCondition;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricStatus;
import io.opsagent.core.cluster.ObjectKey;
import io.opsagent.core.diagnosis.AnalysisContext;
import io.opsagent.core.diagnosis.Analyzer;
import io.opsagent.core.diagnosis.Category;
import io.opsagent.core.diagnosis.EvidenceSource;
import io.opsagent.core.diagnosis.Finding;
import io.opsagent.core.diagnosis.FindingBuilder;
import io.opsagent.core.diagnosis.Severity;
import java.util.ArrayList;
import java.util.List;

/**
 * HorizontalPodAutoscalers that cannot scale as needed: pinned at maxReplicas with the metric above its target
 * (ScalingLimited/TooManyReplicas), or unable to read metrics (ScalingActive=False, e.g. missing cpu requests).
 */
public final class HpaLimitedAnalyzer implements Analyzer {

    @Override
    public List<Finding> analyze(AnalysisContext ctx) {
        List<Finding> out = new ArrayList<>();
        for (HorizontalPodAutoscaler h : ctx.snapshot().hpas()) {
            if (h.getSpec() == null || h.getStatus() == null) continue;
            int max = h.getSpec().getMaxReplicas() == null ? Integer.MAX_VALUE : h.getSpec().getMaxReplicas();
            int current = h.getStatus().getCurrentReplicas() == null ? 0 : h.getStatus().getCurrentReplicas();
            List<HorizontalPodAutoscalerCondition> conds = h.getStatus().getConditions() == null ? List.of() : h.getStatus().getConditions();
            int limitedIdx = -1;
            int inactiveIdx = -1;
            for (int i = 0; i < conds.size(); i++) {
                var c = conds.get(i);
                if ("ScalingLimited".equals(c.getType()) && "True".equals(c.getStatus()) && "TooManyReplicas".equals(c.getReason())) limitedIdx = i;
                if (("ScalingActive".equals(c.getType()) || "AbleToScale".equals(c.getType())) && "False".equals(c.getStatus())) inactiveIdx = i;
            }
            String above = metricsAboveTarget(h);
            boolean atMax = current >= max && (limitedIdx >= 0 || above != null);
            if (!atMax && inactiveIdx < 0) continue;
            out.add(finding(ctx, h, atMax, current, max, above, limitedIdx, inactiveIdx, conds));
        }
        return out;
    }

    private Finding finding(AnalysisContext ctx, HorizontalPodAutoscaler h, boolean atMax, int current, int max, String above,
                            int limitedIdx, int inactiveIdx, List<HorizontalPodAutoscalerCondition> conds) {
        String ns = h.getMetadata().getNamespace();
        String name = h.getMetadata().getName();
        var ref = h.getSpec().getScaleTargetRef();
        ObjectKey target = ref == null ? null : new ObjectKey(ref.getKind(), ns, ref.getName());
        StringBuilder s = new StringBuilder("HorizontalPodAutoscaler " + ns + "/" + name);
        if (target != null) s.append(" (").append(Workloads.describe(target)).append(")");
        List<String> parts = new ArrayList<>();
        if (atMax) parts.add("is at its maximum of " + max + " replicas" + (above == null ? "" : " while " + above));
        if (inactiveIdx >= 0) {
            var c = conds.get(inactiveIdx);
            parts.add("cannot scale (" + c.getType() + "=False, " + c.getReason() + ": " + c.getMessage() + ")");
        }
        s.append(' ').append(String.join(" and ", parts)).append('.');
        FindingBuilder b = ctx.finding(Category.HPALimited, Severity.WARNING, AnalysisContext.key(h)).summary(s.toString());
        if (target != null) {
            b.about(target);
            b.related(target);
        }
        b.evidence(ctx.evidence(h, "status.currentReplicas", EvidenceSource.STATUS, "currentReplicas: " + current
                + ", desiredReplicas: " + h.getStatus().getDesiredReplicas() + ", maxReplicas: " + h.getSpec().getMaxReplicas()));
        for (int i : new int[]{limitedIdx, inactiveIdx}) {
            if (i < 0) continue;
            var c = conds.get(i);
            b.evidence(ctx.evidence(h, "status.conditions[" + i + "]", EvidenceSource.STATUS,
                    c.getType() + "=" + c.getStatus() + " (" + c.getReason() + "): " + c.getMessage()));
        }
        ctx.warnings(h).stream().limit(1).forEach(e -> b.evidence(ctx.evidence(e)));
        if (atMax) {
            b.fix("Raise the ceiling if the cluster has room: kubectl patch hpa " + name + " -n " + ns
                    + " -p '{\"spec\":{\"maxReplicas\":" + Math.max(max * 2, max + 1) + "}}'");
            b.fix("Or make each replica handle more load (raise its cpu/memory) and check the nodes can hold more pods");
        }
        if (inactiveIdx >= 0) {
            b.fix("Make the metric readable: check metrics-server (kubectl top pods -n " + ns
                    + ") and set resources.requests for the metric's resource on every container of the target");
        }
        return b.build();
    }

    /** "cpu utilization is 180% (target 70%)" for the first metric above target, or null. */
    private static String metricsAboveTarget(HorizontalPodAutoscaler h) {
        if (h.getSpec().getMetrics() == null || h.getStatus().getCurrentMetrics() == null) return null;
        for (MetricSpec spec : h.getSpec().getMetrics()) {
            if (spec.getResource() == null || spec.getResource().getTarget() == null) continue;
            String res = spec.getResource().getName();
            Integer target = spec.getResource().getTarget().getAverageUtilization();
            for (MetricStatus st : h.getStatus().getCurrentMetrics()) {
                if (st.getResource() == null || !res.equals(st.getResource().getName()) || st.getResource().getCurrent() == null) continue;
                Integer cur = st.getResource().getCurrent().getAverageUtilization();
                if (target != null && cur != null && cur > target) {
                    return res + " utilization is " + cur + "% (target " + target + "%)";
                }
            }
        }
        return null;
    }
}
