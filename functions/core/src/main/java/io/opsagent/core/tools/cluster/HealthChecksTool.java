package io.opsagent.core.tools.cluster;

import io.opsagent.core.tools.ToolNames;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.opsagent.core.cluster.PodStatus;
import io.opsagent.core.tools.Citation;
import io.opsagent.core.tools.ToolContext;
import io.opsagent.core.tools.ToolResult;
import io.opsagent.core.tools.ToolSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code health_checks}: liveness/readiness/startup probes of a workload's containers and their recent failures. */
final class HealthChecksTool extends ClusterTool {
    private static final Set<String> PROBE_REASONS = Set.of("Unhealthy", "ProbeWarning", "Killing");

    HealthChecksTool() {
        super(new ToolSpec(ToolNames.HEALTH_CHECKS, "The liveness, readiness and startup probes of a workload's containers "
                + "and their recent failures (Unhealthy events), with container readiness.", scoped().build()));
    }

    @Override
    public ToolResult call(ObjectNode args, ToolContext c) {
        Target t = target(args, c);
        StringBuilder sb = new StringBuilder("Health checks of " + t.label() + "\n");
        List<Citation> cites = new ArrayList<>();
        ObjectNode data = JSON.createObjectNode();
        ArrayNode probes = data.putArray("probes");
        if (!t.pods().isEmpty() && t.pods().get(0).getSpec() != null) {
            Pod p = t.pods().get(0);
            List<Container> cs = p.getSpec().getContainers();
            for (int i = 0; i < cs.size(); i++) {
                Container ct = cs.get(i);
                String base = "spec.containers[" + i + "].";
                probe(sb, probes, cites, c, p, ct.getName(), "liveness", ct.getLivenessProbe(), base + "livenessProbe");
                probe(sb, probes, cites, c, p, ct.getName(), "readiness", ct.getReadinessProbe(), base + "readinessProbe");
                probe(sb, probes, cites, c, p, ct.getName(), "startup", ct.getStartupProbe(), base + "startupProbe");
            }
        }
        if (probes.isEmpty()) sb.append("No probes are configured.\n");
        sb.append("Readiness: ");
        for (Pod p : t.pods()) sb.append(name(p)).append(' ').append(PodStatus.readyCount(p)).append("; ");
        sb.append('\n');
        List<Event> failures = events(t).stream().filter(e -> PROBE_REASONS.contains(e.getReason())
                && (e.getMessage() == null || !"Killing".equals(e.getReason()) || e.getMessage().contains("probe"))).toList();
        ArrayNode fails = data.putArray("failures");
        sb.append("Recent probe failures: ").append(failures.size()).append('\n');
        for (Event e : failures) {
            String ref = c.snapshot().ref(e, "message");
            sb.append("- ").append(eventLine(e)).append("  [").append(ref).append("]\n");
            cites.add(new Citation(ref, "event " + e.getReason()));
            ObjectNode o = fails.addObject();
            o.put("reason", e.getReason());
            o.put("message", e.getMessage());
            o.put("count", e.getCount() == null ? 1 : e.getCount());
            o.put("ref", ref);
        }
        return ToolResult.ok(sb.toString(), probes.size() + " probes, " + failures.size() + " failure events", data, cites);
    }

    private static void probe(StringBuilder sb, ArrayNode probes, List<Citation> cites, ToolContext c, Pod p,
                              String container, String type, io.fabric8.kubernetes.api.model.Probe probe, String field) {
        if (probe == null) return;
        String ref = c.snapshot().ref(p, field);
        sb.append("- ").append(container).append(' ').append(type).append(": ").append(Probes.describe(probe))
                .append("  [").append(ref).append("]\n");
        cites.add(new Citation(ref, type + " probe " + container));
        ObjectNode o = probes.addObject();
        o.put("container", container);
        o.put("type", type);
        o.put("probe", Probes.describe(probe));
        o.put("ref", ref);
    }
}
