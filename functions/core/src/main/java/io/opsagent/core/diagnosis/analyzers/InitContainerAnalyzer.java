package io.opsagent.core.diagnosis.analyzers;

import io.fabric8.kubernetes.api.model.Pod;
import io.opsagent.core.diagnosis.AnalysisContext;
import io.opsagent.core.diagnosis.Analyzer;
import io.opsagent.core.diagnosis.Category;
import io.opsagent.core.diagnosis.EvidenceSource;
import io.opsagent.core.diagnosis.Finding;
import io.opsagent.core.diagnosis.FindingBuilder;
import io.opsagent.core.diagnosis.LogExplanation;
import io.opsagent.core.diagnosis.PodContainer;
import io.opsagent.core.diagnosis.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Init containers that fail (non-zero exit, Init:CrashLoopBackOff) or never finish, so the app containers never
 * start. Image and configuration problems of init containers are reported by their own analyzers.
 */
public final class InitContainerAnalyzer implements Analyzer {

    @Override
    public List<Finding> analyze(AnalysisContext ctx) {
        List<Workloads.Hit> hits = new ArrayList<>();
        for (Pod pod : ctx.snapshot().pods()) {
            if (ContainerStates.succeeded(pod) || initialized(pod)) continue;
            for (PodContainer c : PodContainer.initOf(pod)) {
                String w = c.waitingReason();
                if (w != null && (ContainerStates.CONFIG_REASONS.contains(w) || ContainerStates.IMAGE_REASONS.contains(w))) {
                    continue;
                }
                if (ContainerStates.oomKilled(c)) continue;
                boolean failed = c.latestTermination() != null && ContainerStates.exitCode(c) != 0;
                boolean stuck = c.running() && !failed && runningLong(ctx, c);
                if (failed) hits.add(new Workloads.Hit(c, Severity.CRITICAL));
                else if (stuck) hits.add(new Workloads.Hit(c, Severity.WARNING));
                if (failed || stuck) break; // later init containers have not run yet
            }
        }
        List<Finding> out = new ArrayList<>();
        for (Workloads.Group g : Workloads.group(ctx, hits)) out.add(finding(ctx, g));
        return out;
    }

    /** Running for more than five minutes before the snapshot (or times unknown). */
    private static boolean runningLong(AnalysisContext ctx, PodContainer c) {
        java.time.Instant now = ctx.now();
        java.time.Instant started = AnalysisContext.parse(c.status().getState().getRunning().getStartedAt());
        return now == null || started == null || java.time.Duration.between(started, now).toMinutes() >= 5;
    }

    private static boolean initialized(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) return false;
        return pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Initialized".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private Finding finding(AnalysisContext ctx, Workloads.Group g) {
        PodContainer c = g.worst().container();
        Pod pod = c.pod();
        Optional<LogExplanation> why = ctx.explainExit(pod, c.name());
        boolean failed = c.latestTermination() != null && ContainerStates.exitCode(c) != 0;
        StringBuilder s = new StringBuilder(OOMKilledAnalyzer.capitalize(Workloads.where(ctx, g)));
        if (failed) {
            int exit = ContainerStates.exitCode(c);
            s.append(" fails with exit code ").append(exit).append(" (").append(Workloads.exitMeaning(exit)).append(')');
            if (c.restarts() > 0) s.append(", restarted ").append(c.restarts()).append(" times");
            s.append(", so the app containers never start");
        } else {
            s.append(" is still running, so the pod stays in its init phase and the app containers have not started");
        }
        why.ifPresent(w -> s.append("; ").append(w.explanation()).append(": ").append(w.quote()));
        s.append('.');
        FindingBuilder b = ctx.finding(Category.InitContainerFailure, g.severity(), Workloads.subject(ctx, g))
                .container(g.container()).summary(s.toString()).about(g.podKeys());
        if (c.latestTermination() != null) {
            b.evidence(ctx.evidence(pod, c.latestTerminationPath() + ".exitCode", EvidenceSource.STATUS,
                    ContainerStates.describe(c.latestTermination())));
        }
        if (c.waitingReason() != null) {
            b.evidence(ctx.evidence(pod, c.statusPath() + ".state.waiting.reason", EvidenceSource.STATUS,
                    "waiting: " + c.waitingReason()));
        }
        if (!failed && c.statusPath() != null) {
            b.evidence(ctx.evidence(pod, c.statusPath() + ".state.running", EvidenceSource.STATUS,
                    "running since " + c.status().getState().getRunning().getStartedAt()));
        }
        why.ifPresent(w -> b.evidence(w.evidence()));
        why.ifPresent(w -> LogFixes.steps(g.workload(), c.name(), w).forEach(b::fix));
        if (!failed) {
            b.fix("Make sure what the init container waits for exists and is reachable (its log names it), "
                    + "or fix its command");
        }
        b.fix("kubectl logs " + pod.getMetadata().getName() + Workloads.ns(pod.getMetadata().getNamespace())
                + Workloads.c(c.name()) + (failed && c.restarts() > 0 ? " --previous" : ""));
        return b.build();
    }
}
