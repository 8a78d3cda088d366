package io.opsagent.core.diagnosis.analyzers;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.opsagent.core.cluster.ObjectKey;
import io.opsagent.core.diagnosis.AnalysisContext;
import io.opsagent.core.diagnosis.Analyzer;
import io.opsagent.core.diagnosis.Category;
import io.opsagent.core.diagnosis.EvidenceSource;
import io.opsagent.core.diagnosis.Finding;
import io.opsagent.core.diagnosis.FindingBuilder;
import io.opsagent.core.diagnosis.PodContainer;
import io.opsagent.core.diagnosis.logs.LogSignal;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Containers killed for exceeding their memory limit (termination reason OOMKilled, exit code 137). Absorbs the
 * CrashLoopBackOff that follows: one finding mentions the restarts and the back-off.
 */
public final class OOMKilledAnalyzer implements Analyzer {

    @Override
    public List<Finding> analyze(AnalysisContext ctx) {
        List<Workloads.Hit> hits = new ArrayList<>();
        for (Pod pod : ctx.snapshot().pods()) {
            Stream.concat(PodContainer.initOf(pod).stream(), PodContainer.of(pod).stream())
                    .filter(ContainerStates::oomKilled)
                    .forEach(c -> hits.add(new Workloads.Hit(c, ContainerStates.crashSeverity(ctx, c))));
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
        Quantity limit = c.spec() == null || c.spec().getResources() == null || c.spec().getResources().getLimits() == null
                ? null : c.spec().getResources().getLimits().get("memory");
        int restarts = g.hits().stream().mapToInt(h -> h.container().restarts()).sum();
        boolean backOff = g.hits().stream().anyMatch(h -> "CrashLoopBackOff".equals(h.container().waitingReason()));

        StringBuilder s = new StringBuilder();
        s.append(capitalize(Workloads.where(ctx, g))).append(" was OOMKilled (exit code 137): ");
        s.append(limit != null ? "it used more than its memory limit of " + limit
                : "it has no memory limit, so the node ran out of memory");
        if (restarts > 0) {
            s.append("; restarted ").append(restarts).append(restarts == 1 ? " time" : " times");
            if (g.pods().size() > 1) s.append(" in total");
        }
        if (backOff) s.append(", now in CrashLoopBackOff");
        else if (c.ready()) s.append("; it is running and ready again");
        s.append('.');

        FindingBuilder b = ctx.finding(Category.OOMKilled, g.severity(), subject)
                .container(g.container()).summary(s.toString()).about(g.podKeys()).tag("killed");
        b.evidence(ctx.evidence(pod, c.latestTerminationPath() + ".reason", EvidenceSource.STATUS,
                ContainerStates.describe(c.latestTermination())));
        if (c.statusPath() != null) {
            b.evidence(ctx.evidence(pod, c.statusPath() + ".restartCount", EvidenceSource.STATUS,
                    "restartCount: " + c.restarts()));
        }
        if (c.waitingReason() != null) {
            b.evidence(ctx.evidence(pod, c.statusPath() + ".state.waiting.reason", EvidenceSource.STATUS,
                    "waiting: " + c.waitingReason() + (c.waitingMessage() == null ? "" : ": " + c.waitingMessage())));
        }
        if (limit != null && c.specPath() != null) {
            b.evidence(ctx.evidence(pod, c.specPath() + ".resources.limits.memory", EvidenceSource.SPEC,
                    "limits.memory: " + limit));
        }
        Workloads.containerWarnings(ctx, pod, c.name(), "BackOff").stream().findFirst()
                .ifPresent(e -> b.evidence(ctx.evidence(e)));
        ctx.logs(pod, c.name()).stream().flatMap(l -> ctx.signals(l).stream()
                        .filter(sig -> sig.kind() == LogSignal.Kind.OUT_OF_MEMORY).limit(1)
                        .map(sig -> ctx.evidence(l, sig.line())))
                .findFirst().ifPresent(b::evidence);

        String bigger = limit == null ? "<limit above peak usage>" : Workloads.doubled(limit);
        b.fix(Workloads.setResources(g.workload(), c.name(), "--limits=memory=" + (bigger == null ? "<higher>" : bigger)
                + (limit == null ? " --requests=memory=<typical usage>" : ""), "resources.limits.memory"));
        b.fix("Check the real usage before choosing the limit: kubectl top pod" + Workloads.ns(pod.getMetadata().getNamespace())
                + " --containers");
        b.fix("If usage grows without bound, fix the leak or cap the runtime heap below the limit "
                + "(e.g. JVM -XX:MaxRAMPercentage=75, Node --max-old-space-size)");
        return b.build();
    }

    static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
