package io.opsagent.app.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsagent.core.agent.AgentEvent;
import io.opsagent.core.agent.AgentListener;
import io.opsagent.core.agent.AskRequest;
import io.opsagent.core.agent.Scope;
import io.opsagent.core.runs.Session;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.UnaryOperator;

/** {@code /api/sessions...}: create, list, get with history, delete, and the chat stream (SSE). */
final class SessionRoutes {
    /** Longest user message accepted. */
    static final int MAX_TEXT = 16_000;

    private final AppContext app;
    private final ScheduledExecutorService timer;
    /** Sessions with a run going on (one at a time per session keeps the history in order). */
    private final Map<String, String> busy = new ConcurrentHashMap<>();

    /** Wraps each chat run's listener (identity, or e.g. a metrics recorder in Lambda). */
    private final UnaryOperator<AgentListener> runListeners;

    SessionRoutes(AppContext app, ScheduledExecutorService timer, UnaryOperator<AgentListener> runListeners) {
        this.app = app;
        this.timer = timer;
        this.runListeners = runListeners;
    }

    void register(Router router) {
        router.add("POST", "/api/sessions", this::create)
                .add("GET", "/api/sessions", this::list)
                .add("GET", "/api/sessions/{id}", this::get)
                .add("DELETE", "/api/sessions/{id}", this::delete)
                .add("POST", "/api/sessions/{id}/messages", this::message);
    }

    private void create(Request r) throws IOException {
        String user = r.user();
        ObjectNode body = r.jsonBody();
        String workload = Json.requiredString(body, "workload", 300);
        try {
            Scope.parse(workload);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("workload", e.getMessage());
        }
        Session s;
        try {
            s = app.engine().openSession(user, workload);
        } catch (IllegalArgumentException e) {
            throw new ApiError(404, e.getMessage(), "workload");
        }
        r.exchange().getResponseHeaders().set("Location", "/api/sessions/" + s.id());
        ObjectNode out = Views.session(s);
        out.putArray("messages");
        r.json(201, out);
    }

    private void list(Request r) throws IOException {
        int limit = Params.intParam(r, "limit", 50, 1, 200);
        r.json(200, Views.page(() -> app.sessions().list(r.user(), limit, r.query("cursor")), Views::session));
    }

    private void get(Request r) throws IOException {
        String user = r.user();
        Session s = find(user, r.param(0));
        ObjectNode out = Views.session(s);
        ArrayNode messages = out.putArray("messages");
        app.sessions().messages(user, s.id()).forEach(m -> messages.add(Views.message(m)));
        out.put("running", busy.containsKey(s.id()));
        r.json(200, out);
    }

    private void delete(Request r) throws IOException {
        String user = r.user();
        String id = r.param(0);
        if (busy.containsKey(id) && app.sessions().get(user, id).isPresent()) {
            throw ApiError.conflict("session " + id + " has a run going on; cancel it or wait for it to finish");
        }
        if (!app.sessions().delete(user, id)) throw ApiError.notFound("no session " + id);
        r.empty(204);
    }

    private Session find(String user, String id) {
        return app.sessions().get(user, id).orElseThrow(() -> ApiError.notFound("no session " + id));
    }

    /** Answers a message as an event stream: run, (tool_start, tool_end, delta)*, [error], final. */
    private void message(Request r) throws IOException {
        String user = r.user();
        String id = r.param(0);
        ObjectNode body = r.jsonBody();
        String text = Json.requiredString(body, "text", MAX_TEXT);
        find(user, id);
        if (busy.putIfAbsent(id, r.correlation()) != null) {
            throw ApiError.conflict("session " + id + " already has a run going on; wait for it or cancel it");
        }
        try {
            r.exchange().getResponseHeaders().set("Cache-Control", "no-cache");
            r.exchange().getResponseHeaders().set("X-Accel-Buffering", "no");
            OutputStream out = r.stream(200, "text/event-stream; charset=utf-8");
            try (SseStream sse = new SseStream(out, timer, app.heartbeat(), r.correlation())) {
                try {
                    app.engine().ask(new AskRequest(user, id, text, "chat"), runListeners.apply(e -> relay(r, sse, e)));
                } catch (RuntimeException e) {
                    HttpLog.error(r.correlation(), "chat failed before the run finished", e);
                    sse.send("error", Json.object().put("message", e.getMessage() == null ? e.toString() : e.getMessage()));
                }
                if (!sse.connected()) HttpLog.info(r.correlation(), "run finished after the client left; it is stored");
            }
        } finally {
            busy.remove(id);
        }
    }

    private static void relay(Request r, SseStream sse, AgentEvent e) {
        if (e instanceof AgentEvent.RunStarted s) {
            r.correlation("run=" + s.runId());
            HttpLog.info(r.correlation(), "chat run started session=" + s.sessionId() + " workload=" + s.workload()
                    + " model=" + s.model());
            sse.send("run", Json.object().put("runId", s.runId()).put("sessionId", s.sessionId())
                    .put("workload", s.workload()).put("model", s.model()));
        } else if (e instanceof AgentEvent.TextDelta d) {
            sse.send("delta", Json.object().put("text", d.text()));
        } else if (e instanceof AgentEvent.ToolStarted t) {
            ObjectNode n = Json.object().put("runId", t.runId()).put("step", t.step()).put("callId", t.callId())
                    .put("name", t.tool());
            n.set("args", Json.parseOrText(t.arguments()));
            sse.send("tool_start", n);
        } else if (e instanceof AgentEvent.ToolFinished t) {
            ObjectNode n = Json.object().put("runId", t.runId()).put("step", t.step()).put("callId", t.callId())
                    .put("name", t.tool()).put("summary", t.summary()).put("error", t.error())
                    .put("durationMs", t.durationMs());
            n.set("citations", Views.citations(t.citations()));
            sse.send("tool_end", n);
        } else if (e instanceof AgentEvent.Error x) {
            HttpLog.warn(r.correlation(), "run error: " + x.message());
            sse.send("error", Json.object().put("runId", x.runId()).put("message", x.message()));
        } else if (e instanceof AgentEvent.RunFinished f) {
            HttpLog.info(r.correlation(), "chat run finished status=" + f.status() + " steps=" + f.steps() + " "
                    + f.durationMs() + "ms");
            sse.send("final", Json.object().put("runId", f.runId()).put("status", f.status()).put("text", f.text())
                    .put("steps", f.steps()).put("inputTokens", f.inputTokens()).put("outputTokens", f.outputTokens())
                    .put("cost", f.cost()).put("durationMs", f.durationMs()));
        }
    }
}
