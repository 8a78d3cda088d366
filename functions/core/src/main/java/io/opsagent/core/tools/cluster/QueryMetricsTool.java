package io.opsagent.core.tools.cluster;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsagent.core.metrics.Metric;
import io.opsagent.core.metrics.MetricQuery;
import io.opsagent.core.metrics.MetricsException;
import io.opsagent.core.metrics.MetricsSource;
import io.opsagent.core.metrics.Series;
import io.opsagent.core.tools.Citation;
import io.opsagent.core.tools.ToolContext;
import io.opsagent.core.tools.ToolInputException;
import io.opsagent.core.tools.ToolNames;
import io.opsagent.core.tools.ToolResult;
import io.opsagent.core.tools.ToolSpec;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * {@code query_metrics}: one catalogued metric ({@link Metric}) of a workload's containers, or of the volumes its
 * pods mount, over a time range: min, p50, p95, max and last per series. The query is a template filled with the
 * workload's validated pod names; nothing the model or an alert writes reaches it.
 */
final class QueryMetricsTool extends MetricsTool {

    QueryMetricsTool(MetricsSource source, Clock clock) {
        super(new ToolSpec(ToolNames.QUERY_METRICS, "Metrics of a workload over time (from " + source.name() + "): "
                + "cpu_usage (cores per container), cpu_throttling (share of CPU periods throttled), memory_working_set "
                + "(bytes per container), disk_usage (used share of the PersistentVolumeClaims its pods mount, or of `pvc`). "
                + "Gives min, p50, p95, max and the last value per series.",
                scoped().enumeration("metric", "which metric", Metric.ids())
                        .string("since", "start: an age (1h, 30m, 2d), a time of day (10:00) or an ISO instant; default 1h")
                        .string("until", "end; default now")
                        .string("pvc", "for disk_usage: one PersistentVolumeClaim of the namespace (default: those the pods mount)")
                        .require("metric").build()), source, clock);
    }

    @Override
    public ToolResult call(ObjectNode args, ToolContext c) {
        Metric metric = Metric.of(str(args, "metric"));
        Instant[] r = range(args, "1h");
        Target t = target(args, c);
        List<MetricQuery> queries = new ArrayList<>();
        try {
            if (metric == Metric.DISK_USAGE) {
                String pvc = str(args, "pvc");
                Set<String> claims = pvc != null ? Set.of(pvc) : claims(t);
                if (claims.isEmpty()) {
                    throw new ToolInputException("the pods of " + t.label() + " mount no PersistentVolumeClaim; name one with pvc");
                }
                for (String claim : claims) queries.add(MetricQuery.volume(t.namespace(), claim));
            } else {
                MetricQuery.Owner owner = owner(t);
                List<String> pods = podNames(t);
                if (pods.isEmpty() && owner == null) throw new ToolInputException(t.label() + " has no pods to read metrics of");
                queries.add(MetricQuery.pods(metric, t.namespace(), pods, owner));
            }
        } catch (MetricsException e) {
            throw new ToolInputException(e.getMessage());
        }
        List<Series> series = new ArrayList<>();
        try {
            for (MetricQuery q : queries) series.addAll(source.range(q, r[0], r[1], step(r[0], r[1])));
        } catch (MetricsException e) {
            throw unavailable(source, e);
        }
        series.sort(Comparator.comparing((Series s) -> s.label("persistentvolumeclaim")).thenComparing(s -> s.label("pod"))
                .thenComparing(s -> s.label("container")));
        StringBuilder sb = new StringBuilder(metric.id() + " of " + t.label() + " from " + source.name() + ", " + r[0] + " to " + r[1] + "\n");
        ObjectNode out = JSON.createObjectNode();
        out.put("source", source.name());
        out.put("metric", metric.id());
        out.put("unit", metric.unit());
        out.put("from", r[0].toString());
        out.put("to", r[1].toString());
        ArrayNode data = out.putArray("series");
        List<Citation> cites = new ArrayList<>();
        for (Series s : series) {
            Series.Stats st = s.stats();
            if (st.count() == 0) continue;
            String object = metric == Metric.DISK_USAGE ? s.label("persistentvolumeclaim") : s.label("pod");
            String container = metric == Metric.DISK_USAGE ? "" : s.label("container");
            String ref = ref(source, metric.id(), t.namespace(), object, container);
            sb.append("- ").append(object).append(container.isEmpty() ? "" : "/" + container).append(": min ")
                    .append(metric.format(st.min())).append(", p50 ").append(metric.format(st.p50())).append(", p95 ")
                    .append(metric.format(st.p95())).append(", max ").append(metric.format(st.max())).append(", last ")
                    .append(metric.format(st.last())).append(" (").append(st.count()).append(" samples)  [").append(ref).append("]\n");
            cites.add(new Citation(ref, metric.id() + " " + object + (container.isEmpty() ? "" : "/" + container)));
            ObjectNode o = data.addObject();
            if (metric == Metric.DISK_USAGE) o.put("pvc", object);
            else {
                o.put("pod", object);
                o.put("container", container);
            }
            o.put("samples", st.count());
            o.put("min", st.min());
            o.put("p50", st.p50());
            o.put("p95", st.p95());
            o.put("max", st.max());
            o.put("last", st.last());
            o.put("ref", ref);
        }
        if (data.isEmpty()) {
            sb.append("No samples: ").append(source.name()).append(" has no ").append(metric.id())
                    .append(" for these pods in this range (is it scraped? did the pods run then?).\n");
        }
        return ToolResult.ok(sb.toString(), data.size() + " series of " + metric.id(), out, cites);
    }
}
