package io.opsagent.core.tools.cluster;

import io.opsagent.core.tools.ToolNames;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.opsagent.core.cluster.PodStatus;
import io.opsagent.core.tools.Citation;
import io.opsagent.core.tools.ToolContext;
import io.opsagent.core.tools.ToolResult;
import io.opsagent.core.tools.ToolSpec;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** {@code workload_summary}: status, rollout, images, pods by status, Services and HPA of a workload. */
final class WorkloadSummaryTool extends ClusterTool {
    WorkloadSummaryTool() {
        super(new ToolSpec(ToolNames.WORKLOAD_SUMMARY, "Current state of a workload: kind, desired/ready/updated/available "
                + "replicas, conditions (rollout), images, pods by status and restarts, the Services selecting its "
                + "pods and any HorizontalPodAutoscaler. Use first to see whether it is healthy.", scoped().build()));
    }

    @Override
    public ToolResult call(ObjectNode args, ToolContext c) {
        Target t = target(args, c);
        StringBuilder sb = new StringBuilder("# " + t.label() + "\n");
        List<Citation> cites = new ArrayList<>();
        ObjectNode data = JSON.createObjectNode();
        data.put("target", t.label());
        HasMetadata o = t.object();
        if (o != null) {
            String ref = t.ctx().snapshot().ref(o, "status");
            cites.add(new Citation(ref, o.getKind() + " " + name(o) + " status"));
            JsonNode tree = JSON.valueToTree(o);
            JsonNode spec = tree.path("spec");
            JsonNode status = tree.path("status");
            if (spec.has("replicas")) sb.append("desired replicas: ").append(spec.get("replicas")).append('\n');
            StringBuilder st = new StringBuilder();
            Iterator<Map.Entry<String, JsonNode>> it = status.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isValueNode()) st.append(e.getKey()).append('=').append(e.getValue().asText()).append(' ');
            }
            if (st.length() > 0) sb.append("status: ").append(st.toString().strip()).append("  [").append(ref).append("]\n");
            data.set("status", status);
            for (JsonNode cond : status.path("conditions")) {
                sb.append("condition ").append(cond.path("type").asText()).append('=').append(cond.path("status").asText())
                        .append(cond.hasNonNull("reason") ? " (" + cond.path("reason").asText() + ")" : "")
                        .append(cond.hasNonNull("message") ? ": " + cond.path("message").asText() : "").append('\n');
            }
            if (spec.path("strategy").has("type")) sb.append("strategy: ").append(spec.path("strategy").path("type").asText()).append('\n');
            JsonNode containers = spec.path("template").path("spec").path("containers");
            for (JsonNode ct : containers) {
                sb.append("container ").append(ct.path("name").asText()).append(" image ").append(ct.path("image").asText()).append('\n');
            }
            String rev = o.getMetadata().getAnnotations() == null ? null
                    : o.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision");
            if (rev != null) sb.append("revision: ").append(rev).append('\n');
            if (o instanceof Service svc && svc.getSpec() != null) {
                sb.append("selector: ").append(svc.getSpec().getSelector()).append('\n');
            }
        }
        Map<String, Integer> byStatus = new TreeMap<>();
        int restarts = 0;
        int ready = 0;
        for (Pod p : t.pods()) {
            byStatus.merge(PodStatus.display(p), 1, Integer::sum);
            restarts += PodStatus.restarts(p);
            if (PodText.ready(p)) ready++;
        }
        sb.append("pods: ").append(t.pods().size()).append(" (").append(ready).append(" ready) ").append(byStatus)
                .append(", restarts ").append(restarts).append('\n');
        data.put("pods", t.pods().size());
        data.put("readyPods", ready);
        data.put("restarts", restarts);
        data.set("podsByStatus", JSON.valueToTree(byStatus));
        Set<String> services = new LinkedHashSet<>();
        for (Pod p : t.pods()) t.ctx().servicesSelecting(p).forEach(s -> services.add(name(s)));
        if (!services.isEmpty()) sb.append("services: ").append(String.join(", ", services)).append('\n');
        if (o != null) {
            for (HorizontalPodAutoscaler h : c.snapshot().hpas()) {
                if (h.getSpec() != null && h.getSpec().getScaleTargetRef() != null
                        && name(o).equals(h.getSpec().getScaleTargetRef().getName())
                        && t.namespace().equals(h.getMetadata().getNamespace())) {
                    sb.append("hpa ").append(name(h)).append(": min ").append(h.getSpec().getMinReplicas()).append(" max ")
                            .append(h.getSpec().getMaxReplicas()).append(", current ")
                            .append(h.getStatus() == null ? "?" : h.getStatus().getCurrentReplicas()).append(", desired ")
                            .append(h.getStatus() == null ? "?" : h.getStatus().getDesiredReplicas()).append('\n');
                    cites.add(new Citation(t.ctx().snapshot().ref(h, "status"), "hpa " + name(h)));
                }
            }
        }
        boolean healthy = !t.pods().isEmpty() && ready == t.pods().size();
        data.put("healthy", healthy);
        String summary = t.pods().size() + " pods, " + ready + " ready" + (restarts > 0 ? ", " + restarts + " restarts" : "");
        return ToolResult.ok(sb.toString(), summary, data, cites);
    }
}
