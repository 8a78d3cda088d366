package io.opsagent.core.tools.cluster;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.opsagent.core.metrics.Metric;
import io.opsagent.core.metrics.MetricQuery;
import io.opsagent.core.metrics.MetricsException;
import io.opsagent.core.metrics.MetricsSource;
import io.opsagent.core.metrics.Rightsizing;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code rightsize}: each container's requests and limits against its CPU and memory use over a window (default the
 * last day), pooled over the workload's pods, with recommended values ({@link Rightsizing}) that
 * {@code propose_change} (set-resources) can carry to a human for approval.
 */
final class RightsizeTool extends MetricsTool {

    RightsizeTool(MetricsSource source, Clock clock) {
        super(new ToolSpec(ToolNames.RIGHTSIZE, "Are a workload's CPU and memory requests and limits right? Compares them "
                + "with observed usage (from " + source.name() + ") over a window and recommends values: CPU request at p95 "
                + "+ 15%, memory request at the peak + 15%, memory limit at the peak + 30%.",
                scoped().string("since", "start of the window: an age (24h, 7d) or an ISO instant; default 24h")
                        .string("until", "end of the window; default now").build()), source, clock);
    }

    @Override
    public ToolResult call(ObjectNode args, ToolContext c) {
        Instant[] r = range(args, "24h");
        Target t = target(args, c);
        if (t.object() == null) throw new ToolInputException("rightsize needs one workload, not a whole namespace");
        Pod template = t.pods().stream().filter(p -> p.getSpec() != null).findFirst()
                .orElseThrow(() -> new ToolInputException(t.label() + " has no pods: nothing to compare usage with"));
        MetricQuery.Owner owner = owner(t);
        List<String> pods = podNames(t);
        Map<String, List<Series.Sample>> cpu = new LinkedHashMap<>();
        Map<String, List<Series.Sample>> mem = new LinkedHashMap<>();
        try {
            pool(source.range(MetricQuery.pods(Metric.CPU_USAGE, t.namespace(), pods, owner), r[0], r[1], step(r[0], r[1])), cpu);
            pool(source.range(MetricQuery.pods(Metric.MEMORY_WORKING_SET, t.namespace(), pods, owner), r[0], r[1], step(r[0], r[1])), mem);
        } catch (MetricsException e) {
            throw unavailable(source, e);
        }
        StringBuilder sb = new StringBuilder("Rightsizing of " + t.label() + " from " + source.name() + " usage, " + r[0]
                + " to " + r[1] + " (pooled over its pods)\n");
        // a source with pod-level figures only (Container Insights): they are the container's when the pod has one
        List<Container> containers = template.getSpec().getContainers();
        if (cpu.containsKey("") || mem.containsKey("")) {
            if (containers.size() == 1) {
                String only = containers.get(0).getName();
                if (cpu.containsKey("")) cpu.computeIfAbsent(only, k -> new ArrayList<>()).addAll(cpu.remove(""));
                if (mem.containsKey("")) mem.computeIfAbsent(only, k -> new ArrayList<>()).addAll(mem.remove(""));
            } else {
                sb.append(source.name()).append(" gives figures per pod, not per container: they cannot be split between ")
                        .append(containers.size()).append(" containers\n");
            }
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("source", source.name());
        out.put("from", r[0].toString());
        out.put("to", r[1].toString());
        ArrayNode data = out.putArray("containers");
        List<Citation> cites = new ArrayList<>();
        int changes = 0;
        for (int i = 0; i < template.getSpec().getContainers().size(); i++) {
            Container ct = template.getSpec().getContainers().get(i);
            var res = ct.getResources();
            Rightsizing.Current now = new Rightsizing.Current(
                    amount(res == null ? null : res.getRequests(), "cpu"), amount(res == null ? null : res.getLimits(), "cpu"),
                    amount(res == null ? null : res.getRequests(), "memory"), amount(res == null ? null : res.getLimits(), "memory"));
            Series.Stats cs = new Series(Map.of(), cpu.getOrDefault(ct.getName(), List.of())).stats();
            Series.Stats ms = new Series(Map.of(), mem.getOrDefault(ct.getName(), List.of())).stats();
            Rightsizing.Advice a = Rightsizing.advise(ct.getName(), now, cs, ms);
            String specRef = c.snapshot().ref(template, "spec.containers[" + i + "].resources");
            String cpuRef = ref(source, Metric.CPU_USAGE.id(), t.namespace(), name(t.object()), ct.getName());
            String memRef = ref(source, Metric.MEMORY_WORKING_SET.id(), t.namespace(), name(t.object()), ct.getName());
            sb.append("\n").append(ct.getName()).append(": ").append(a.verdict().toUpperCase(java.util.Locale.ROOT)).append('\n');
            sb.append("  now: requests cpu ").append(q(now.cpuRequest(), true)).append(", memory ").append(q(now.memoryRequest(), false))
                    .append("; limits cpu ").append(q(now.cpuLimit(), true)).append(", memory ").append(q(now.memoryLimit(), false))
                    .append("  [").append(specRef).append("]\n");
            if (cs.count() > 0) {
                sb.append("  used: cpu p95 ").append(Metric.CPU_USAGE.format(cs.p95())).append(", max ").append(Metric.CPU_USAGE.format(cs.max()))
                        .append(" (").append(cs.count()).append(" samples)  [").append(cpuRef).append("]\n");
                cites.add(new Citation(cpuRef, "cpu_usage " + ct.getName()));
            }
            if (ms.count() > 0) {
                sb.append("  used: memory p95 ").append(Metric.MEMORY_WORKING_SET.format(ms.p95())).append(", max ")
                        .append(Metric.MEMORY_WORKING_SET.format(ms.max())).append(" (").append(ms.count()).append(" samples)  [").append(memRef).append("]\n");
                cites.add(new Citation(memRef, "memory_working_set " + ct.getName()));
            }
            cites.add(new Citation(specRef, "resources " + ct.getName()));
            a.reasons().forEach(x -> sb.append("  - ").append(x).append('\n'));
            ObjectNode o = data.addObject();
            o.put("container", ct.getName());
            o.put("verdict", a.verdict());
            a.reasons().forEach(o.withArray("reasons")::add);
            o.put("ref", specRef);
            ObjectNode used = o.putObject("used");
            used.put("cpuSamples", cs.count());
            used.put("memorySamples", ms.count());
            if (cs.count() > 0) used.put("cpuP95", cs.p95()).put("cpuMax", cs.max());
            if (ms.count() > 0) used.put("memoryP95", ms.p95()).put("memoryMax", ms.max());
            if (a.cpuRequest() != null) {
                ObjectNode rec = o.putObject("recommended");
                rec.putObject("requests").put("cpu", a.cpuRequestQuantity()).put("memory", a.memoryRequestQuantity());
                ObjectNode lim = rec.putObject("limits").put("memory", a.memoryLimitQuantity());
                if (a.cpuLimit() != null) lim.put("cpu", a.cpuLimitQuantity());
                sb.append("  recommended: requests cpu ").append(a.cpuRequestQuantity()).append(", memory ").append(a.memoryRequestQuantity())
                        .append("; limits memory ").append(a.memoryLimitQuantity())
                        .append(a.cpuLimit() == null ? "" : ", cpu " + a.cpuLimitQuantity()).append('\n');
                if (!a.verdict().equals("right-sized")) changes++;
            }
        }
        if (changes > 0) {
            sb.append("\nTo apply, propose_change with action set-resources and the recommended values, for a human to approve.\n");
        }
        return ToolResult.ok(sb.toString(), data.size() + " containers, " + changes + " to resize", out, cites);
    }

    /** Every series' samples, by container name. */
    private static void pool(List<Series> series, Map<String, List<Series.Sample>> into) {
        for (Series s : series) into.computeIfAbsent(s.label("container"), k -> new ArrayList<>()).addAll(s.samples());
    }

    private static Double amount(Map<String, Quantity> m, String key) {
        if (m == null || m.get(key) == null) return null;
        try {
            return Quantity.getAmountInBytes(m.get(key)).doubleValue();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String q(Double v, boolean cpu) {
        if (v == null) return "none";
        return cpu ? Metric.CPU_USAGE.format(v) : Metric.MEMORY_WORKING_SET.format(v);
    }
}
