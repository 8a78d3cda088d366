package io.opsagent.core.tools.cluster;

import io.opsagent.core.tools.ToolNames;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.opsagent.core.cluster.PodStatus;
import io.opsagent.core.tools.Citation;
import io.opsagent.core.tools.ToolContext;
import io.opsagent.core.tools.ToolResult;
import io.opsagent.core.tools.ToolSpec;
import java.util.ArrayList;
import java.util.List;

/** {@code list_pods}: the pods of a workload (or namespace) with readiness, status, restarts and node. */
final class ListPodsTool extends ClusterTool {
    ListPodsTool() {
        super(new ToolSpec(ToolNames.LIST_PODS, "List the pods of a workload (or of a namespace with name \"*\"): ready "
                + "containers, status (CrashLoopBackOff, Pending...), restarts, node.", scoped().build()));
    }

    @Override
    public ToolResult call(ObjectNode args, ToolContext c) {
        Target t = target(args, c);
        StringBuilder sb = new StringBuilder("Pods of " + t.label() + ": " + t.pods().size() + "\n");
        List<Citation> cites = new ArrayList<>();
        ArrayNode data = JSON.createArrayNode();
        int notReady = 0;
        for (Pod p : t.pods()) {
            String ref = t.ctx().snapshot().ref(p, "status");
            sb.append("- ").append(PodText.line(p)).append("  [").append(ref).append("]\n");
            cites.add(new Citation(ref, "pod " + name(p)));
            if (!PodText.ready(p)) notReady++;
            ObjectNode o = data.addObject();
            o.put("name", name(p));
            o.put("namespace", p.getMetadata().getNamespace());
            o.put("ready", PodStatus.readyCount(p));
            o.put("status", PodStatus.display(p));
            o.put("restarts", PodStatus.restarts(p));
            o.put("node", PodText.node(p));
            o.put("ref", ref);
        }
        if (t.pods().isEmpty()) sb.append("(no pods)\n");
        return ToolResult.ok(sb.toString(), t.pods().size() + " pods, " + notReady + " not ready", data, cites);
    }
}
