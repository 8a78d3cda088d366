package io.opsagent.core.tools.cluster;

import io.opsagent.core.tools.ToolNames;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.opsagent.core.tools.Citation;
import io.opsagent.core.tools.ToolContext;
import io.opsagent.core.tools.ToolInputException;
import io.opsagent.core.tools.ToolResult;
import io.opsagent.core.tools.ToolSpec;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * {@code describe}: one object as readable text — pods as {@code kubectl describe} lays them out, other kinds as
 * YAML (without managed fields) — followed by its events. Secret values are never shown, only their keys.
 */
final class DescribeTool extends ClusterTool {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    DescribeTool() {
        super(new ToolSpec(ToolNames.DESCRIBE, "Describe one object (pod, deployment, statefulset, daemonset, job, "
                + "replicaset, service, node, pvc, configmap, hpa...) as readable text with its events. "
                + "Secret values are never shown.",
                scoped().string("kind", "the object's kind, e.g. pod, deployment, service (default: the workload's kind)")
                        .build()));
    }

    @Override
    public ToolResult call(ObjectNode args, ToolContext c) throws Exception {
        String kind = str(args, "kind");
        String name = str(args, "name");
        if (kind != null && name == null && c.workload() == null) {
            throw new ToolInputException("describe needs a name");
        }
        String k = kind == null ? null : Target.canonicalKind(kind);
        HasMetadata o;
        if (k != null && !Target.KINDS.contains(k)) {
            String ns = str(args, "namespace") == null ? c.namespace() : str(args, "namespace");
            String n = name == null ? c.workload() : name;
            o = c.snapshot().find(k, ns, n).orElseThrow(() -> new ToolInputException(
                    "no " + k + " named '" + n + "' in namespace " + ns));
        } else {
            Target t = target(args, c, k);
            if (t.object() == null) throw new ToolInputException("describe needs a name, not a whole namespace");
            o = t.object();
        }
        var snap = c.snapshot();
        List<Citation> cites = new ArrayList<>();
        String ref = snap.ref(o, "");
        cites.add(new Citation(ref, o.getKind() + " " + name(o)));
        StringBuilder sb = new StringBuilder();
        sb.append(o.getKind()).append(' ').append(nsName(o)).append("  [").append(ref).append("]\n");
        if (o instanceof Pod p) {
            sb.append(PodDescriber.describe(p));
        } else if (o instanceof Secret s) {
            sb.append("type: ").append(s.getType()).append("\nkeys (values hidden): ")
                    .append(s.getData() == null ? "[]" : s.getData().keySet()).append('\n');
        } else {
            JsonNode tree = JSON.valueToTree(o);
            if (tree.path("metadata").isObject()) {
                ObjectNode md = (ObjectNode) tree.get("metadata");
                md.remove("managedFields");
                if (md.path("annotations").isObject()) {
                    ((ObjectNode) md.get("annotations")).remove("kubectl.kubernetes.io/last-applied-configuration");
                }
            }
            removeNulls(tree);
            sb.append(YAML.writeValueAsString(tree));
        }
        List<Event> ev = snap.eventsFor(o);
        if (!ev.isEmpty()) {
            sb.append("Events:\n");
            for (Event e : ev) {
                String er = snap.ref(e, "message");
                sb.append("  ").append(eventLine(e)).append("  [").append(er).append("]\n");
                cites.add(new Citation(er, "event " + e.getReason()));
            }
        }
        return ToolResult.ok(sb.toString(), o.getKind() + " " + name(o) + ", " + ev.size() + " events", null, cites);
    }

    private static void removeNulls(JsonNode n) {
        if (n.isObject()) {
            Iterator<java.util.Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                var e = it.next();
                JsonNode v = e.getValue();
                if (v.isNull() || (v.isContainerNode() && v.isEmpty())) it.remove();
                else removeNulls(v);
            }
        } else if (n.isArray()) {
            n.forEach(DescribeTool::removeNulls);
        }
    }
}
