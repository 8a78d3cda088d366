package io.opsagent.core.tools.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.opsagent.core.metrics.MetricQuery;
import io.opsagent.core.metrics.MetricsException;
import io.opsagent.core.metrics.MetricsSource;
import io.opsagent.core.tools.ToolInputException;
import io.opsagent.core.tools.ToolSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Shared by the metrics tools: the source, the clock, the time range and the pods of a target. */
abstract class MetricsTool extends ClusterTool {
    /** Samples per series a range query asks for (the step follows from the range). */
    static final int POINTS = 120;
    final MetricsSource source;
    final Clock clock;

    MetricsTool(ToolSpec spec, MetricsSource source, Clock clock) {
        super(spec.withLimits(Duration.ofSeconds(20), spec.maxOutputChars()));
        this.source = source;
        this.clock = clock;
    }

    /** [from, to] from {@code since} (default {@code dflt}) and {@code until} (default now), at most 31 days. */
    Instant[] range(ObjectNode args, String dflt) {
        Instant now = clock.instant();
        String since = str(args, "since");
        String until = str(args, "until");
        Instant from = TimeExpr.parse(since == null ? dflt : since, now);
        Instant to = until == null ? now : TimeExpr.parse(until, now);
        if (!from.isBefore(to)) throw new ToolInputException("since (" + from + ") must be before until (" + to + ")");
        if (Duration.between(from, to).compareTo(Duration.ofDays(31)) > 0) {
            throw new ToolInputException("a metrics range is at most 31 days; narrow since/until");
        }
        return new Instant[] {from, to};
    }

    static Duration step(Instant from, Instant to) {
        long s = Math.max(15, Duration.between(from, to).getSeconds() / POINTS);
        return Duration.ofSeconds(s);
    }

    /** The target's pods, and its controller (when it has one whose pods have a name shape) for earlier pods. */
    static MetricQuery.Owner owner(Target t) {
        HasMetadata o = t.object();
        if (o == null) return null;
        String kind = o.getKind();
        if (!Set.of("Deployment", "StatefulSet", "DaemonSet", "Job").contains(kind)) return null;
        return new MetricQuery.Owner(kind, name(o));
    }

    static List<String> podNames(Target t) {
        return t.pods().stream().map(p -> p.getMetadata().getName()).limit(MetricQuery.MAX_PODS).toList();
    }

    /** The PersistentVolumeClaims the target's pods mount. */
    static Set<String> claims(Target t) {
        Set<String> out = new TreeSet<>();
        for (Pod p : t.pods()) {
            if (p.getSpec() == null || p.getSpec().getVolumes() == null) continue;
            p.getSpec().getVolumes().stream().filter(v -> v.getPersistentVolumeClaim() != null)
                    .forEach(v -> out.add(v.getPersistentVolumeClaim().getClaimName()));
        }
        return out;
    }

    /** Turns a source's failure into a tool error the model can read. */
    static ToolInputException unavailable(MetricsSource source, MetricsException e) {
        return new ToolInputException("metrics from " + source.name() + " could not be read: " + e.getMessage());
    }

    /** A citation reference to one series: {@code metrics:<source>:<metric>:<namespace>/<object>[/<container>]}. */
    static String ref(MetricsSource source, String metric, String namespace, String object, String container) {
        return "metrics:" + source.name() + ":" + metric + ":" + namespace + "/" + object
                + (container == null || container.isEmpty() ? "" : "/" + container);
    }
}
