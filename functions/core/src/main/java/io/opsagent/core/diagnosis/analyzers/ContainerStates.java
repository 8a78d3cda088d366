package io.opsagent.core.diagnosis.analyzers;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.Pod;
import io.opsagent.core.diagnosis.AnalysisContext;
import io.opsagent.core.diagnosis.PodContainer;
import io.opsagent.core.diagnosis.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/** Shared predicates on container states, so that analyzers agree on who reports what. */
final class ContainerStates {
    static final Set<String> CONFIG_REASONS = Set.of("CreateContainerConfigError", "CreateContainerError",
            "RunContainerError", "ContainerCannotRun");
    static final Set<String> IMAGE_REASONS = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName",
            "ErrImageNeverPull", "RegistryUnavailable");

    private ContainerStates() {
    }

    static boolean oomKilled(PodContainer c) {
        ContainerStateTerminated t = c.latestTermination();
        return t != null && "OOMKilled".equals(t.getReason());
    }

    static int exitCode(PodContainer c) {
        ContainerStateTerminated t = c.latestTermination();
        return t == null || t.getExitCode() == null ? 0 : t.getExitCode();
    }

    static boolean ownedByJob(AnalysisContext ctx, Pod pod) {
        return ctx.ownerChain(pod).stream().anyMatch(k -> k.kind().equals("Job"));
    }

    static boolean succeeded(Pod pod) {
        return pod.getStatus() != null && "Succeeded".equals(pod.getStatus().getPhase());
    }

    /** An app container that crashes (not OOM: that is reported as OOMKilled); false for completed Job pods. */
    static boolean crashing(AnalysisContext ctx, PodContainer c) {
        if (c.init() || oomKilled(c) || succeeded(c.pod()) || evicted(c.pod())) return false;
        String w = c.waitingReason();
        if (w != null && (CONFIG_REASONS.contains(w) || IMAGE_REASONS.contains(w))) return false;
        if ("CrashLoopBackOff".equals(w)) return true;
        if (c.terminated() != null && exitCode(c) != 0 && !ownedByJob(ctx, c.pod())) return true;
        return c.lastTerminated() != null && c.restarts() > 0
                && (exitCode(c) != 0 || !"Completed".equals(c.lastTerminated().getReason()));
    }

    /** An evicted pod's containers were stopped by the kubelet: the Evicted finding explains them, not a crash. */
    static boolean evicted(io.fabric8.kubernetes.api.model.Pod pod) {
        return pod.getStatus() != null && "Evicted".equals(pod.getStatus().getReason());
    }

    /** How bad a crash (or OOM kill) is: critical unless the container is running and ready again. */
    static Severity crashSeverity(AnalysisContext ctx, PodContainer c) {
        if ("CrashLoopBackOff".equals(c.waitingReason()) || c.terminated() != null || !c.ready() || !c.running()) {
            return Severity.CRITICAL;
        }
        return c.restarts() >= 3 && recent(ctx, c) ? Severity.WARNING : Severity.INFO;
    }

    /** True when the last termination happened within an hour of the snapshot's time (or either is unknown). */
    static boolean recent(AnalysisContext ctx, PodContainer c) {
        Instant now = ctx.now();
        ContainerStateTerminated t = c.latestTermination();
        Instant at = t == null ? null : AnalysisContext.parse(t.getFinishedAt());
        if (now == null || at == null) return true;
        return Duration.between(at, now).compareTo(Duration.ofHours(1)) <= 0;
    }

    /** {@code reason: OOMKilled, exitCode: 137, finishedAt: ...} for evidence. */
    static String describe(ContainerStateTerminated t) {
        StringBuilder b = new StringBuilder();
        if (t.getReason() != null) b.append("reason: ").append(t.getReason()).append(", ");
        b.append("exitCode: ").append(t.getExitCode());
        if (t.getSignal() != null) b.append(", signal: ").append(t.getSignal());
        if (t.getMessage() != null && !t.getMessage().isBlank()) b.append(", message: ").append(t.getMessage().strip());
        if (t.getFinishedAt() != null) b.append(", finishedAt: ").append(t.getFinishedAt());
        return b.toString();
    }
}
