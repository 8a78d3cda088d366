package io.opsagent.app.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsagent.core.runs.Message;
import io.opsagent.core.runs.Page;
import io.opsagent.core.runs.Run;
import io.opsagent.core.runs.RunStats;
import io.opsagent.core.runs.Session;
import io.opsagent.core.runs.Step;
import io.opsagent.core.tools.Citation;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/** JSON shapes of the API's resources (documented in docs/api.md). */
final class Views {
    private Views() {
    }

    /**
     * A page of a list: {@code {"items": [...], "next": cursor-or-null}}. {@code read} runs the store's query; a
     * cursor the store rejects (IllegalArgumentException) is a 400 naming {@code cursor}.
     */
    static <T> ObjectNode page(Supplier<Page<T>> read, Function<T, ObjectNode> view) {
        Page<T> page;
        try {
            page = read.get();
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("cursor", "bad cursor: " + e.getMessage());
        }
        ObjectNode out = Json.object();
        ArrayNode items = out.putArray("items");
        page.items().forEach(item -> items.add(view.apply(item)));
        return out.put("next", page.next());
    }

    static ObjectNode session(Session s) {
        return Json.object().put("id", s.id()).put("user", s.user()).put("workload", s.workload())
                .put("title", s.title()).put("created", Json.time(s.created())).put("updated", Json.time(s.updated()))
                .put("expiresAt", Json.time(s.expiresAt()));
    }

    static ObjectNode message(Message m) {
        return Json.object().put("seq", m.seq()).put("role", m.role()).put("text", m.text()).put("runId", m.runId())
                .put("at", Json.time(m.at()));
    }

    static ObjectNode run(Run r) {
        ObjectNode n = Json.object().put("id", r.id()).put("user", r.user()).put("task", r.task())
                .put("source", r.source()).put("triggeredBy", r.triggeredBy()).put("sessionId", r.sessionId())
                .put("workload", r.workload()).put("model", r.model()).put("status", r.status().json())
                .put("finalAnswer", r.finalAnswer()).put("steps", r.steps()).put("stepCount", r.steps()).put("inputTokens", r.inputTokens())
                .put("outputTokens", r.outputTokens()).put("cost", r.cost()).put("started", Json.time(r.started()))
                .put("completed", Json.time(r.completed()));
        if (r.durationMs() == null) n.putNull("durationMs"); else n.put("durationMs", r.durationMs());
        return n.put("error", r.error());
    }

    static ObjectNode step(Step s) {
        ObjectNode n = Json.object().put("number", s.number()).put("type", s.type().json()).put("tool", s.toolName());
        n.set("args", Json.parseOrText(s.args()));
        return n.put("result", s.result()).put("text", s.text()).put("error", s.error())
                .put("started", Json.time(s.started())).put("durationMs", s.durationMs())
                .put("inputTokens", s.inputTokens()).put("outputTokens", s.outputTokens());
    }

    static ArrayNode steps(List<Step> steps) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        steps.forEach(s -> a.add(step(s)));
        return a;
    }

    static ObjectNode stats(RunStats s) {
        ObjectNode n = Json.object().put("total", s.total());
        n.set("byStatus", counts(s.byStatus()));
        n.set("bySource", counts(s.bySource()));
        ObjectNode d = n.putObject("durationMs");
        if (s.p50DurationMs() == null) d.putNull("p50"); else d.put("p50", s.p50DurationMs());
        if (s.p95DurationMs() == null) d.putNull("p95"); else d.put("p95", s.p95DurationMs());
        n.putObject("tokens").put("input", s.inputTokens()).put("output", s.outputTokens())
                .put("total", s.inputTokens() + s.outputTokens());
        return n.put("cost", s.cost());
    }

    static ArrayNode citations(List<Citation> cites) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        cites.forEach(c -> a.add(Json.object().put("ref", c.ref()).put("label", c.label())));
        return a;
    }

    private static ObjectNode counts(Map<String, Long> m) {
        ObjectNode n = Json.object();
        if (m != null) m.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> n.put(e.getKey(), e.getValue()));
        return n;
    }
}
