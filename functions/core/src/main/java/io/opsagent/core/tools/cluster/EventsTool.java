package io.opsagent.core.tools.cluster;

import io.opsagent.core.tools.ToolNames;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Event;
import io.opsagent.core.tools.Citation;
import io.opsagent.core.tools.ToolContext;
import io.opsagent.core.tools.ToolResult;
import io.opsagent.core.tools.ToolSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code events}: Kubernetes events about a workload, its ReplicaSets and pods (or a namespace). */
final class EventsTool extends ClusterTool {
    EventsTool() {
        super(new ToolSpec(ToolNames.EVENTS, "Kubernetes events about a workload, its ReplicaSets and its pods (or a whole "
                + "namespace), oldest first. Filter by type (Warning) and time (since: 10:00, 30m, ISO instant).",
                scoped().enumeration("type", "only events of this type", "Normal", "Warning")
                        .string("since", "only events at or after this time: 10:00 (UTC), 30m, 2h or an ISO instant")
                        .integer("limit", "the most events returned (newest kept)", 1, 200).build()));
    }

    @Override
    public ToolResult call(ObjectNode args, ToolContext c) {
        Target t = target(args, c);
        String type = str(args, "type");
        String since = str(args, "since");
        Instant from = since == null ? null : TimeExpr.parse(since, t.ctx().now());
        int limit = integer(args, "limit", 40);
        List<Event> ev = events(t).stream()
                .filter(e -> type == null || type.equals(e.getType()))
                .filter(e -> from == null || (eventTime(e) != null && !eventTime(e).isBefore(from))).toList();
        int omitted = Math.max(0, ev.size() - limit);
        ev = ev.subList(omitted, ev.size());
        StringBuilder sb = new StringBuilder("Events of " + t.label() + (type == null ? "" : " (" + type + ")")
                + (from == null ? "" : " since " + from) + ": " + (ev.size() + omitted) + "\n");
        if (omitted > 0) sb.append("(").append(omitted).append(" older events left out)\n");
        List<Citation> cites = new ArrayList<>();
        ArrayNode data = JSON.createArrayNode();
        int warnings = 0;
        for (Event e : ev) {
            String ref = t.ctx().snapshot().ref(e, "message");
            sb.append("- ").append(eventLine(e)).append("  [").append(ref).append("]\n");
            cites.add(new Citation(ref, "event " + e.getReason()));
            if ("Warning".equals(e.getType())) warnings++;
            ObjectNode o = data.addObject();
            Instant time = eventTime(e);
            o.put("time", time == null ? null : time.toString());
            o.put("type", e.getType());
            o.put("reason", e.getReason());
            o.put("object", e.getInvolvedObject() == null ? null
                    : e.getInvolvedObject().getKind() + "/" + e.getInvolvedObject().getName());
            o.put("count", e.getCount() == null ? 1 : e.getCount());
            o.put("message", e.getMessage());
            o.put("ref", ref);
        }
        if (ev.isEmpty()) sb.append("(no events)\n");
        return ToolResult.ok(sb.toString(), ev.size() + " events, " + warnings + " warnings", data, cites);
    }
}
