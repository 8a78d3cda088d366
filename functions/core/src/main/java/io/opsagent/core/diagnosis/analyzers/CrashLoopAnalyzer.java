package io.opsagent.core.diagnosis.analyzers;

import io.fabric8.kubernetes.api.model.Pod;
import io.opsagent.core.cluster.ObjectKey;
import io.opsagent.core.diagnosis.AnalysisContext;
import io.opsagent.core.diagnosis.Analyzer;
import io.opsagent.core.diagnosis.Category;
import io.opsagent.core.diagnosis.EvidenceSource;
import io.opsagent.core.diagnosis.Finding;
import io.opsagent.core.diagnosis.FindingBuilder;
import io.opsagent.core.diagnosis.LogExplanation;
import io.opsagent.core.diagnosis.PodContainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Containers that keep crashing: CrashLoopBackOff, or non-zero exits with restarts. The finding carries the exit
 * code, its meaning and the log line that explains the crash (classifier signal, else the last line before exit).
 */
public final class CrashLoopAnalyzer implements Analyzer {

    @Override
    public List<Finding> analyze(AnalysisContext ctx) {
        List<Workloads.Hit> hits = new ArrayList<>();
        for (Pod pod : ctx.snapshot().pods()) {
            for (PodContainer c : PodContainer.of(pod)) {
                if (ContainerStates.crashing(ctx, c)) {
                    hits.add(new Workloads.Hit(c, ContainerStates.crashSeverity(ctx, c)));
                }
            }
        }
        List<Finding> out = new ArrayList<>();
        for (Workloads.Group g : Workloads.group(ctx, hits)) {
            out.add(finding(ctx, g));
        }
        return out;
    }

    private Finding finding(AnalysisContext ctx, Workloads.Group g) {
        PodContainer c = g.worst().container();
        Pod pod = c.pod();
        ObjectKey subject = Workloads.subject(ctx, g);
        int exit = ContainerStates.exitCode(c);
        int restarts = g.hits().stream().mapToInt(h -> h.container().restarts()).sum();
        boolean backOff = g.hits().stream().anyMatch(h -> "CrashLoopBackOff".equals(h.container().waitingReason()));
        Optional<LogExplanation> why = ctx.explainExit(pod, c.name());

        StringBuilder s = new StringBuilder(OOMKilledAnalyzer.capitalize(Workloads.where(ctx, g)));
        if (backOff) s.append(" is in CrashLoopBackOff");
        else if (c.terminated() != null) s.append(" has terminated");
        else s.append(" has crashed before");
        if (c.latestTermination() != null) {
            s.append(": it exits with code ").append(exit).append(" (").append(Workloads.exitMeaning(exit)).append(")");
        }
        if (restarts > 0) {
            s.append(", restarted ").append(restarts).append(restarts == 1 ? " time" : " times");
            if (g.pods().size() > 1) s.append(" in total");
        }
        if (!backOff && c.ready()) s.append(", and is running and ready now");
        why.ifPresent(w -> s.append("; ").append(w.explanation()).append(": ").append(w.quote()));
        s.append('.');

        FindingBuilder b = ctx.finding(Category.CrashLoopBackOff, g.severity(), subject).container(g.container())
                .summary(s.toString()).about(g.podKeys());
        if (exit == 137 || exit == 143) b.tag("killed");
        if (c.latestTermination() != null) {
            b.evidence(ctx.evidence(pod, c.latestTerminationPath() + ".exitCode", EvidenceSource.STATUS,
                    ContainerStates.describe(c.latestTermination())));
        }
        if (c.waitingReason() != null) {
            b.evidence(ctx.evidence(pod, c.statusPath() + ".state.waiting.reason", EvidenceSource.STATUS,
                    "waiting: " + c.waitingReason() + (c.waitingMessage() == null ? "" : ": " + c.waitingMessage())));
        }
        if (c.statusPath() != null) {
            b.evidence(ctx.evidence(pod, c.statusPath() + ".restartCount", EvidenceSource.STATUS,
                    "restartCount: " + c.restarts()));
        }
        why.ifPresent(w -> b.evidence(w.evidence()));
        Workloads.containerWarnings(ctx, pod, c.name(), "BackOff").stream().findFirst()
                .ifPresent(e -> b.evidence(ctx.evidence(e)));

        why.ifPresent(w -> LogFixes.steps(g.workload(), c.name(), w).forEach(b::fix));
        if (exit == 126 || exit == 127) {
            b.fix("Fix the container's command/args or the image so the entrypoint exists and is executable: "
                    + "kubectl get " + Workloads.target(g.workload()) + Workloads.ns(g.workload())
                    + " -o jsonpath='{.spec.template.spec.containers[?(@.name==\"" + c.name() + "\")].command}'");
        } else if (exit == 0) {
            b.fix("The process exits on its own: run a long-lived process in this container, or run it as a Job");
        }
        b.fix("Read the full log of the crashed instance: kubectl logs " + pod.getMetadata().getName()
                + Workloads.ns(pod.getMetadata().getNamespace()) + Workloads.c(c.name()) + " --previous");
        return b.build();
    }
}
