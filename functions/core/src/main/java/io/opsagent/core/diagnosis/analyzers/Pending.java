package io.opsagent.core.diagnosis.analyzers;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.opsagent.core.diagnosis.AnalysisContext;
import io.opsagent.core.diagnosis.EventGroup;
import io.opsagent.core.diagnosis.Evidence;
import io.opsagent.core.diagnosis.EvidenceSource;
import java.util.List;
import java.util.Optional;

/** The scheduler's verdict on a pending pod: the PodScheduled condition or the latest FailedScheduling event. */
record Pending(Pod pod, String message, Evidence evidence) {

    static Optional<Pending> of(AnalysisContext ctx, Pod pod) {
        if (pod.getStatus() == null || !"Pending".equals(pod.getStatus().getPhase())) return Optional.empty();
        String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        if (nodeName != null && !nodeName.isBlank() && !nodeName.equals("<none>")) {
            return Optional.empty();
        }
        List<PodCondition> conds = pod.getStatus().getConditions() == null ? List.of() : pod.getStatus().getConditions();
        for (int i = 0; i < conds.size(); i++) {
            PodCondition c = conds.get(i);
            if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()) && c.getMessage() != null
                    && !c.getMessage().isBlank()) {
                return Optional.of(new Pending(pod, c.getMessage(), ctx.evidence(pod, "status.conditions[" + i + "].message",
                        EvidenceSource.STATUS, "PodScheduled=False (" + c.getReason() + "): " + c.getMessage())));
            }
        }
        List<EventGroup> ev = ctx.warnings(pod, "FailedScheduling");
        if (!ev.isEmpty()) {
            return Optional.of(new Pending(pod, ev.get(0).message(), ctx.evidence(ev.get(0))));
        }
        return Optional.empty();
    }

    boolean aboutVolumes() {
        String m = message.toLowerCase(java.util.Locale.ROOT);
        return m.contains("persistentvolumeclaim") || m.contains("volume node affinity") || m.contains("unbound");
    }
}
