package io.opsagent.core.diagnosis.analyzers;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.opsagent.core.cluster.ContainerLog;
import io.opsagent.core.diagnosis.AnalysisContext;
import io.opsagent.core.diagnosis.Analyzer;
import io.opsagent.core.diagnosis.Category;
import io.opsagent.core.diagnosis.Finding;
import io.opsagent.core.diagnosis.FindingBuilder;
import io.opsagent.core.diagnosis.LogExplanation;
import io.opsagent.core.diagnosis.PodContainer;
import io.opsagent.core.diagnosis.Severity;
import io.opsagent.core.diagnosis.logs.LogSignal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Application failures seen in the logs of containers that are not crashing (a crash finding already quotes its
 * log line): dependency unreachable, authentication failure, TLS, missing configuration, port in use, panics.
 * Uses {@link io.opsagent.core.diagnosis.logs.LogErrorClassifier} through the context.
 */
public final class AppErrorAnalyzer implements Analyzer {
    private static final Set<LogSignal.Kind> WEAK = Set.of(LogSignal.Kind.EXCEPTION, LogSignal.Kind.FATAL_ERROR);

    @Override
    public List<Finding> analyze(AnalysisContext ctx) {
        List<Workloads.Hit> hits = new ArrayList<>();
        Map<PodContainer, LogExplanation> why = new HashMap<>();
        for (Pod pod : ctx.snapshot().pods()) {
            if (pod.getStatus() == null || "Succeeded".equals(pod.getStatus().getPhase())
                    || "Failed".equals(pod.getStatus().getPhase())) {
                continue;
            }
            List<PodContainer> containers = PodContainer.of(pod);
            if (containers.isEmpty() && !ctx.logs(pod, "").isEmpty()) {
                // a pod known from a listing only, with a log recorded for it (kubectl logs): its containers as one
                containers = List.of(new PodContainer(pod, "", null, null, false, null, null));
            }
            for (PodContainer c : containers) {
                if (ContainerStates.oomKilled(c)
                        || ContainerStates.crashing(ctx, c) && ContainerStates.crashSeverity(ctx, c) != Severity.INFO) {
                    continue; // the crash finding quotes the log line
                }
                for (ContainerLog log : ctx.logs(pod, c.name())) {
                    if (log.previous()) continue;
                    // only strong signals: plain ERROR lines and recovered errors are noise in a running app
                    List<LogSignal> s = ctx.signals(log).stream().filter(LogSignal::isStrong).toList();
                    if (s.isEmpty()) continue;
                    LogSignal top = s.get(0);
                    boolean ready = c.status() == null && c.spec() == null ? podReady(pod) : c.ready();
                    Severity sev = !ready ? Severity.CRITICAL
                            : WEAK.contains(top.kind()) ? Severity.INFO : Severity.WARNING;
                    LogExplanation e = new LogExplanation(log, s.subList(0, Math.min(2, s.size())),
                            s.subList(0, Math.min(2, s.size())).stream().map(LogSignal::line).toList(),
                            top.explanation() == null || top.explanation().isBlank()
                                    ? top.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') : top.explanation());
                    why.put(c, e);
                    hits.add(new Workloads.Hit(c, sev));
                    break;
                }
            }
        }
        List<Finding> out = new ArrayList<>();
        for (Workloads.Group g : Workloads.group(ctx, hits)) {
            out.add(finding(ctx, g, why.get(g.worst().container())));
        }
        return out;
    }

    /**
     * A NetworkPolicy of the pod's namespace that denies the pod's egress: one that selects the pod (an empty selector
     * selects all), has Egress among its policy types and no egress rule; or, known by name only (a listing), one
     * whose name says it denies egress. Null when there is none.
     */
    static io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy egressDenied(AnalysisContext ctx, Pod pod) {
        for (var np : ctx.snapshot().networkPolicies()) {
            if (!java.util.Objects.equals(np.getMetadata().getNamespace(), pod.getMetadata().getNamespace())) continue;
            if (hasRules(np)) {
                var sel = np.getSpec().getPodSelector();
                Map<String, String> want = sel == null || sel.getMatchLabels() == null ? Map.of() : sel.getMatchLabels();
                Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
                boolean selects = labels.entrySet().containsAll(want.entrySet());
                boolean egress = np.getSpec().getPolicyTypes() != null && np.getSpec().getPolicyTypes().contains("Egress");
                if (selects && egress && (np.getSpec().getEgress() == null || np.getSpec().getEgress().isEmpty())) return np;
            } else {
                String n = np.getMetadata().getName().toLowerCase(java.util.Locale.ROOT);
                if (n.contains("deny") && (n.contains("egress") || n.contains("all"))) return np;
            }
        }
        return null;
    }

    private static boolean hasRules(io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy np) {
        return np.getSpec() != null && (np.getSpec().getPolicyTypes() != null && !np.getSpec().getPolicyTypes().isEmpty()
                || np.getSpec().getPodSelector() != null);
    }

    /** The pod's Ready condition (for a pod whose containers are not known one by one). */
    private static boolean podReady(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))
                || pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase());
    }

    private Finding finding(AnalysisContext ctx, Workloads.Group g, LogExplanation e) {
        PodContainer c = g.worst().container();
        Pod pod = c.pod();
        String s = "The application in " + Workloads.where(ctx, g) + " reports a failure: " + e.explanation()
                + ": " + e.quote() + (c.ready() ? "." : "; the container is not ready.");
        io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy blocking =
                LogFixes.kindOf(e) == io.opsagent.core.diagnosis.logs.LogSignal.Kind.DEPENDENCY_UNREACHABLE ? egressDenied(ctx, pod) : null;
        if (blocking != null) {
            s += " NetworkPolicy " + blocking.getMetadata().getName() + " in namespace " + pod.getMetadata().getNamespace()
                    + (hasRules(blocking) ? " denies this pod's egress" : " applies there and, by its name, denies egress (its"
                    + " rules are not in the evidence)") + ": it blocks DNS lookups (UDP/TCP 53) and connections unless"
                    + " another policy allows them.";
        }
        FindingBuilder b = ctx.finding(Category.AppError, g.severity(), Workloads.subject(ctx, g))
                .container(g.container() == null || g.container().isEmpty() ? null : g.container()).summary(s).about(g.podKeys()).tag(String.valueOf(LogFixes.kindOf(e)));
        b.evidence(e.evidence());
        // a dependency named in the line that is a Service of this namespace: its own finding may explain this one
        String text = e.first().text();
        for (Service svc : ctx.snapshot().services()) {
            String name = svc.getMetadata().getName();
            if (!java.util.Objects.equals(svc.getMetadata().getNamespace(), pod.getMetadata().getNamespace())) continue;
            if (ctx.servicesSelecting(pod).contains(svc)) continue;
            if (Pattern.compile("(?<![\\w-])" + Pattern.quote(name) + "(?![\\w-])").matcher(text).find()) {
                b.related(AnalysisContext.key(svc));
            }
        }
        if (blocking != null) {
            b.evidence(ctx.evidence(blocking, "metadata.name", io.opsagent.core.diagnosis.EvidenceSource.SPEC,
                    "NetworkPolicy " + blocking.getMetadata().getName()
                            + (hasRules(blocking) ? ": policyTypes " + blocking.getSpec().getPolicyTypes() + ", no egress rule" : "")));
            b.fix("Allow the egress the pod needs (at least DNS to kube-dns on UDP/TCP 53) in a NetworkPolicy, or remove "
                    + blocking.getMetadata().getName() + ": kubectl get networkpolicy " + blocking.getMetadata().getName()
                    + Workloads.ns(pod.getMetadata().getNamespace()) + " -o yaml");
        }
        LogFixes.steps(g.workload(), c.name(), e).forEach(b::fix);
        b.fix("Read the log around the quoted line: kubectl logs " + pod.getMetadata().getName()
                + Workloads.ns(pod.getMetadata().getNamespace()) + Workloads.c(c.name()));
        return b.build();
    }
}
