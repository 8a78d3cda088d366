package io.opsagent.core.diagnosis.analyzers;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import io.opsagent.core.diagnosis.AnalysisContext;
import io.opsagent.core.diagnosis.Analyzer;
import io.opsagent.core.diagnosis.Category;
import io.opsagent.core.diagnosis.EventGroup;
import io.opsagent.core.diagnosis.EvidenceSource;
import io.opsagent.core.diagnosis.Finding;
import io.opsagent.core.diagnosis.FindingBuilder;
import io.opsagent.core.diagnosis.PodContainer;
import io.opsagent.core.diagnosis.Severity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Failing liveness, readiness and startup probes ("Unhealthy" events), and running containers that never become
 * ready. Checks the probe's port against the container's ports.
 */
public final class ProbeFailureAnalyzer implements Analyzer {

    private record ProbeHit(String type, List<EventGroup> events) {
    }

    @Override
    public List<Finding> analyze(AnalysisContext ctx) {
        List<Workloads.Hit> hits = new ArrayList<>();
        Map<PodContainer, ProbeHit> details = new HashMap<>();
        for (Pod pod : ctx.snapshot().pods()) {
            if (pod.getStatus() == null || "Succeeded".equals(pod.getStatus().getPhase())
                    || "Failed".equals(pod.getStatus().getPhase())) {
                continue;
            }
            List<PodContainer> cs = PodContainer.of(pod);
            for (PodContainer c : cs) {
                List<EventGroup> unhealthy = ctx.warnings(pod, "Unhealthy").stream()
                        .filter(e -> forContainer(e, c, cs.size())).toList();
                ProbeHit ph = null;
                for (String type : List.of("Liveness", "Startup", "Readiness")) {
                    List<EventGroup> es = unhealthy.stream().filter(e -> e.message().startsWith(type)).toList();
                    if (!es.isEmpty()) {
                        ph = new ProbeHit(type, es);
                        break;
                    }
                }
                if (ph == null && !unhealthy.isEmpty()) ph = new ProbeHit("Readiness", unhealthy);
                if (ph == null && c.running() && !c.ready() && c.spec() != null && c.spec().getReadinessProbe() != null
                        && "Running".equals(pod.getStatus().getPhase()) && notReadyForLong(ctx, c)) {
                    ph = new ProbeHit("Readiness", List.of());
                }
                if (ph == null) continue;
                details.put(c, ph);
                hits.add(new Workloads.Hit(c, starting(ctx, c, ph) != null ? Severity.INFO : severity(c, ph)));
            }
        }
        List<Finding> out = new ArrayList<>();
        for (Workloads.Group g : Workloads.group(ctx, hits)) {
            out.add(finding(ctx, g, details.get(g.worst().container())));
        }
        return out;
    }

    private static boolean forContainer(EventGroup e, PodContainer c, int containers) {
        String fp = e.latest().getInvolvedObject() == null ? null : e.latest().getInvolvedObject().getFieldPath();
        if (fp == null || fp.isBlank()) return containers == 1 || e.message().contains(c.name());
        return fp.contains("{" + c.name() + "}");
    }

    /** Running for more than two minutes before the snapshot (or times unknown): not just starting. */
    private static boolean notReadyForLong(AnalysisContext ctx, PodContainer c) {
        java.time.Instant now = ctx.now();
        java.time.Instant started = AnalysisContext.parse(c.status().getState().getRunning().getStartedAt());
        return now == null || started == null || java.time.Duration.between(started, now).toMinutes() >= 2;
    }

    /**
     * "started 34 s ago" when a readiness failure is part of a container's start: it has run for less than
     * {@link RolloutAnalyzer#STARTING} and never restarted. An application is not ready until it has booted; a
     * failure or two then is no root cause. Null otherwise.
     */
    private static String starting(AnalysisContext ctx, PodContainer c, ProbeHit ph) {
        if (!ph.type().equals("Readiness") || c.restarts() > 0 || !c.running()) return null;
        java.time.Instant now = ctx.now();
        java.time.Instant started = AnalysisContext.parse(c.status().getState().getRunning().getStartedAt());
        if (now == null || started == null) return null;
        java.time.Duration up = java.time.Duration.between(started, now);
        if (up.isNegative() || up.compareTo(RolloutAnalyzer.STARTING) >= 0) return null;
        return "started " + up.toSeconds() + " s ago";
    }

    private static Severity severity(PodContainer c, ProbeHit ph) {
        int count = ph.events().stream().mapToInt(EventGroup::count).sum();
        if (ph.events().isEmpty()) return Severity.WARNING; // not ready, but no probe failure recorded
        if (ph.type().equals("Readiness")) {
            if (!c.ready()) return Severity.CRITICAL;
            return count >= 3 ? Severity.WARNING : Severity.INFO;
        }
        if (!c.ready() || "CrashLoopBackOff".equals(c.waitingReason())) return Severity.CRITICAL;
        if (c.restarts() > 0 || count >= 3) return Severity.WARNING;
        return Severity.INFO;
    }

    private Finding finding(AnalysisContext ctx, Workloads.Group g, ProbeHit ph) {
        PodContainer c = g.worst().container();
        Pod pod = c.pod();
        String type = ph.type();
        Probe probe = c.spec() == null ? null : switch (type) {
            case "Liveness" -> c.spec().getLivenessProbe();
            case "Startup" -> c.spec().getStartupProbe();
            default -> c.spec().getReadinessProbe();
        };
        String probeField = type.toLowerCase(Locale.ROOT) + "Probe";
        int count = ph.events().stream().mapToInt(EventGroup::count).sum();
        StringBuilder s = new StringBuilder();
        s.append(type).append(" probe of ").append(Workloads.where(ctx, g));
        if (ph.events().isEmpty()) {
            s.append(" does not pass: the container is running but not ready");
        } else {
            String msg = ph.events().get(0).message().replaceFirst("^" + type + " probe failed:\\s*", "");
            s.append(" fails").append(count > 1 ? " (" + count + " times)" : "").append(": ").append(msg.strip());
        }
        String mismatch = portMismatch(c, probe);
        if (mismatch != null) s.append("; ").append(mismatch);
        String starting = starting(ctx, c, ph);
        if (starting != null) {
            s.append("; the container ").append(starting).append(" and has not restarted: it is still starting, and "
                    + "a readiness failure while it boots is expected");
        } else if (type.equals("Readiness")) {
            s.append(c.ready() ? "; the container is ready at the moment" : "; the pod gets no Service traffic");
        } else if (c.restarts() > 0) {
            s.append("; the kubelet restarted the container ").append(c.restarts()).append(" times");
        }
        s.append('.');

        FindingBuilder b = ctx.finding(Category.ProbeFailure, g.severity(), Workloads.subject(ctx, g))
                .container(g.container()).summary(s.toString()).about(g.podKeys());
        if (!type.equals("Readiness")) b.tag("liveness");
        ph.events().stream().limit(2).forEach(e -> b.evidence(ctx.evidence(e)));
        if (c.statusPath() != null) {
            b.evidence(ctx.evidence(pod, c.statusPath() + ".ready", EvidenceSource.STATUS,
                    "ready: " + c.ready() + ", restartCount: " + c.restarts()));
        }
        if (probe != null && c.specPath() != null) {
            b.evidence(ctx.evidence(pod, c.specPath() + "." + probeField, EvidenceSource.SPEC,
                    probeField + ": " + describe(probe)));
        }
        String ns = Workloads.ns(pod.getMetadata().getNamespace());
        if (mismatch != null) {
            b.fix("Point the probe at the port the container listens on (" + probeField + " in the pod template)");
        }
        if (probe != null && probe.getHttpGet() != null) {
            b.fix("Test the endpoint from inside the pod: kubectl exec " + pod.getMetadata().getName() + ns
                    + Workloads.c(c.name()) + " -- wget -qO- http://localhost:" + port(probe.getHttpGet().getPort())
                    + (probe.getHttpGet().getPath() == null ? "/" : probe.getHttpGet().getPath()));
        }
        b.fix("Check the application log for why it is unhealthy: kubectl logs " + pod.getMetadata().getName() + ns
                + Workloads.c(c.name()) + (type.equals("Readiness") ? "" : " --previous"));
        if (!type.equals("Readiness") || ph.events().isEmpty()) {
            b.fix("If the application only starts slowly, give it time: raise initialDelaySeconds/failureThreshold "
                    + "of the " + probeField + " or add a startupProbe");
        }
        return b.build();
    }

    private static String describe(Probe p) {
        StringBuilder b = new StringBuilder();
        if (p.getHttpGet() != null) {
            b.append("httpGet ").append(p.getHttpGet().getPath() == null ? "/" : p.getHttpGet().getPath())
                    .append(" port ").append(port(p.getHttpGet().getPort()));
        } else if (p.getTcpSocket() != null) {
            b.append("tcpSocket port ").append(port(p.getTcpSocket().getPort()));
        } else if (p.getExec() != null) {
            b.append("exec ").append(p.getExec().getCommand());
        } else if (p.getGrpc() != null) {
            b.append("grpc port ").append(p.getGrpc().getPort());
        }
        if (p.getInitialDelaySeconds() != null) b.append(", initialDelaySeconds ").append(p.getInitialDelaySeconds());
        if (p.getPeriodSeconds() != null) b.append(", periodSeconds ").append(p.getPeriodSeconds());
        if (p.getFailureThreshold() != null) b.append(", failureThreshold ").append(p.getFailureThreshold());
        return b.toString();
    }

    private static String port(IntOrString p) {
        if (p == null) return "?";
        return p.getIntVal() != null ? String.valueOf(p.getIntVal()) : p.getStrVal();
    }

    /** "the probe checks port 8081 but the container only declares port 8080", or null. */
    private static String portMismatch(PodContainer c, Probe probe) {
        if (probe == null || c.spec() == null || c.spec().getPorts() == null || c.spec().getPorts().isEmpty()) return null;
        IntOrString p = probe.getHttpGet() != null ? probe.getHttpGet().getPort()
                : probe.getTcpSocket() != null ? probe.getTcpSocket().getPort() : null;
        if (p == null) return null;
        List<ContainerPort> ports = c.spec().getPorts();
        boolean ok = p.getIntVal() != null
                ? ports.stream().anyMatch(cp -> p.getIntVal().equals(cp.getContainerPort()))
                : ports.stream().anyMatch(cp -> p.getStrVal().equals(cp.getName()));
        if (ok) return null;
        return "the probe checks port " + port(p) + " but the container declares port(s) "
                + String.join(", ", ports.stream().map(cp -> String.valueOf(cp.getContainerPort())).toList());
    }
}
