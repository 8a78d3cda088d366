package io.opsagent.core.diagnosis;

import io.opsagent.core.cluster.ObjectKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Links symptoms to the findings that explain them (root cause over symptoms). Rules, applied in this order:
 * <ol>
 *   <li>a CrashLoopBackOff whose container is killed (exit 137/143) by a failing liveness/startup probe ← ProbeFailure</li>
 *   <li>a ProbeFailure of a container whose log shows an application error ← AppError</li>
 *   <li>a ProbeFailure of a container that is OOMKilled or crash-looping for another reason (a restarting process
 *       refuses its probes) ← OOMKilled / CrashLoopBackOff</li>
 *   <li>an AppError naming a Service of its namespace that has no endpoints ← ServiceNoEndpoints</li>
 *   <li>Evicted pods and Unschedulable pods (taint, cordon) ← NodeProblem of the node</li>
 *   <li>a pod-level VolumeError of a pod using a Pending claim ← VolumeError of the claim</li>
 *   <li>RolloutStuck, ServiceNoEndpoints, JobFailed, HPALimited ← the pod-level or quota finding about the same pods
 *       or workload, by priority (quota, volume, scheduling, image, config, init, OOM, crash, probe, eviction, app);
 *       failing that, a critical NodeProblem of a node its pods run on</li>
 * </ol>
 * A link that would close a cycle is not made. Findings without a cause are root causes.
 */
final class RootCauseLinker {
    private static final List<Category> CAUSE_PRIORITY = List.of(Category.QuotaExceeded, Category.VolumeError,
            Category.Unschedulable, Category.ImagePullError, Category.ContainerConfigError, Category.InitContainerFailure,
            Category.OOMKilled, Category.CrashLoopBackOff, Category.ProbeFailure, Category.Evicted, Category.AppError);
    private static final Set<Category> SYMPTOMS = Set.of(Category.RolloutStuck, Category.ServiceNoEndpoints,
            Category.JobFailed, Category.HPALimited);

    private final AnalysisContext ctx;
    private final List<Finding> findings;
    private final Map<String, String> causeOf = new HashMap<>();

    RootCauseLinker(AnalysisContext ctx, List<Finding> findings) {
        this.ctx = ctx;
        this.findings = findings;
    }

    /** Finding id → the id of the finding that explains it. */
    Map<String, String> link() {
        for (Finding f : findings) {
            if (f.category() == Category.CrashLoopBackOff && tagged(f, "killed")) {
                sameContainer(f, Category.ProbeFailure).filter(p -> tagged(p, "liveness")).ifPresent(p -> set(f, p));
            }
        }
        for (Finding f : findings) {
            if (f.category() == Category.ProbeFailure) sameContainer(f, Category.AppError).ifPresent(a -> set(f, a));
        }
        for (Finding f : findings) {
            if (f.category() == Category.ProbeFailure) {
                // set() refuses the link when the crash is itself caused by this (liveness) probe
                sameContainer(f, Category.OOMKilled).or(() -> sameContainer(f, Category.CrashLoopBackOff))
                        .ifPresent(c -> set(f, c));
            }
        }
        for (Finding f : findings) {
            if (f.category() == Category.AppError) {
                for (ObjectKey svc : ctx.related(f.id())) {
                    about(svc, Category.ServiceNoEndpoints).ifPresent(s -> set(f, s));
                }
            }
            if (f.category() == Category.Evicted || f.category() == Category.Unschedulable) {
                ctx.related(f.id()).stream().map(node -> about(node, Category.NodeProblem)).flatMap(Optional::stream)
                        .min((a, b) -> a.severity().compareTo(b.severity())) // the worst node problem explains most
                        .ifPresent(n -> set(f, n));
            }
            if (f.category() == Category.VolumeError && !"PersistentVolumeClaim".equals(f.kind())) {
                for (ObjectKey pvc : ctx.related(f.id())) {
                    about(pvc, Category.VolumeError).ifPresent(v -> set(f, v));
                }
            }
        }
        for (Finding f : findings) {
            if (!SYMPTOMS.contains(f.category()) || causeOf.containsKey(f.id())) continue;
            Set<ObjectKey> mine = ctx.subjects(f.id());
            Finding best = null;
            for (Finding g : findings) {
                if (g == f || !CAUSE_PRIORITY.contains(g.category())
                        && !(f.category() == Category.HPALimited && g.category() == Category.RolloutStuck)) {
                    continue;
                }
                boolean shares = ctx.subjects(g.id()).stream().anyMatch(mine::contains)
                        || f.category() == Category.HPALimited && ctx.related(f.id()).stream()
                        .anyMatch(k -> ctx.subjects(g.id()).contains(k));
                if (!shares) continue;
                if (best == null || better(g, best)) best = g;
            }
            if (best == null) best = nodeProblemOf(mine).orElse(null);
            if (best != null) set(f, best);
        }
        return causeOf;
    }

    /** A critical NodeProblem of a node that runs one of these pods (pods on a NotReady node are not ready either). */
    private Optional<Finding> nodeProblemOf(Set<ObjectKey> keys) {
        return ctx.snapshot().pods().stream()
                .filter(p -> keys.contains(AnalysisContext.key(p)))
                .map(p -> p.getSpec() == null ? null : p.getSpec().getNodeName())
                .filter(Objects::nonNull).distinct()
                .map(n -> about(new ObjectKey("Node", null, n), Category.NodeProblem))
                .flatMap(Optional::stream)
                .filter(n -> n.severity() == Severity.CRITICAL)
                .findFirst();
    }

    private static boolean better(Finding a, Finding b) {
        boolean aInfo = a.severity() == Severity.INFO;
        boolean bInfo = b.severity() == Severity.INFO;
        if (aInfo != bInfo) return !aInfo;
        return rank(a) < rank(b);
    }

    private static int rank(Finding f) {
        int i = CAUSE_PRIORITY.indexOf(f.category());
        return i < 0 ? CAUSE_PRIORITY.size() : i;
    }

    private boolean tagged(Finding f, String tag) {
        return ctx.tags(f.id()).contains(tag);
    }

    private Optional<Finding> sameContainer(Finding f, Category c) {
        return findings.stream().filter(g -> g.category() == c && Objects.equals(g.namespace(), f.namespace())
                && g.kind().equals(f.kind()) && g.name().equals(f.name()) && Objects.equals(g.container(), f.container()))
                .findFirst();
    }

    private Optional<Finding> about(ObjectKey k, Category c) {
        return findings.stream().filter(g -> g.category() == c && g.kind().equals(k.kind()) && g.name().equals(k.name())
                && (k.namespace() == null || Objects.equals(k.namespace(), g.namespace()))).findFirst();
    }

    private void set(Finding symptom, Finding cause) {
        if (symptom.id().equals(cause.id()) || causeOf.containsKey(symptom.id())) return;
        String at = cause.id();
        for (int i = 0; at != null && i < findings.size() + 1; i++) {
            if (at.equals(symptom.id())) return; // would close a cycle
            at = causeOf.get(at);
        }
        causeOf.put(symptom.id(), cause.id());
    }
}
