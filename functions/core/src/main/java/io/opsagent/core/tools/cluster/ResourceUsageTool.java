package io.opsagent.core.tools.cluster;

import io.opsagent.core.tools.ToolNames;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.opsagent.core.tools.Citation;
import io.opsagent.core.tools.ToolContext;
import io.opsagent.core.tools.ToolResult;
import io.opsagent.core.tools.ToolSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code resource_usage}: requests and limits per container, OOM kills seen, and live CPU/memory usage only when
 * the cluster source has metrics — a dump has none, and the tool says so instead of inventing numbers.
 */
final class ResourceUsageTool extends ClusterTool {
    static final String NO_METRICS = "Live CPU/memory usage is not available from a cluster dump (no metrics data); "
            + "shown are the configured requests and limits and any OOM kills.";

    ResourceUsageTool() {
        super(new ToolSpec(ToolNames.RESOURCE_USAGE, "CPU and memory of a workload's containers: requests, limits, OOM kills, "
                + "and live usage when the cluster source has metrics (a dump has none).", scoped().build()));
    }

    @Override
    public ToolResult call(ObjectNode args, ToolContext c) {
        Target t = target(args, c);
        StringBuilder sb = new StringBuilder("Resources of " + t.label() + "\n");
        if (!c.cluster().hasMetrics()) sb.append(NO_METRICS).append('\n');
        List<Citation> cites = new ArrayList<>();
        ArrayNode data = JSON.createArrayNode();
        int ooms = 0;
        for (Pod p : t.pods()) {
            if (p.getSpec() == null) continue;
            for (int i = 0; i < p.getSpec().getContainers().size(); i++) {
                Container ct = p.getSpec().getContainers().get(i);
                String ref = c.snapshot().ref(p, "spec.containers[" + i + "].resources");
                var r = ct.getResources();
                String req = r == null || r.getRequests() == null ? "none" : r.getRequests().toString();
                String lim = r == null || r.getLimits() == null ? "none" : r.getLimits().toString();
                boolean oom = PodText.statuses(p).stream().filter(s -> ct.getName().equals(s.getName()))
                        .anyMatch(ResourceUsageTool::oomKilled);
                if (oom) ooms++;
                sb.append("- ").append(name(p)).append('/').append(ct.getName()).append(": requests ").append(req)
                        .append(", limits ").append(lim).append(oom ? ", OOMKilled" : "").append("  [").append(ref).append("]\n");
                cites.add(new Citation(ref, "resources " + name(p) + "/" + ct.getName()));
                ObjectNode o = data.addObject();
                o.put("pod", name(p));
                o.put("container", ct.getName());
                o.put("requests", req);
                o.put("limits", lim);
                o.put("oomKilled", oom);
            }
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("metricsAvailable", c.cluster().hasMetrics());
        out.set("containers", data);
        return ToolResult.ok(sb.toString(), (c.cluster().hasMetrics() ? "" : "no live metrics; ")
                + data.size() + " containers" + (ooms > 0 ? ", " + ooms + " OOMKilled" : ""), out, cites);
    }

    private static boolean oomKilled(ContainerStatus s) {
        return (s.getLastState() != null && s.getLastState().getTerminated() != null
                && "OOMKilled".equals(s.getLastState().getTerminated().getReason()))
                || (s.getState() != null && s.getState().getTerminated() != null
                && "OOMKilled".equals(s.getState().getTerminated().getReason()));
    }
}
