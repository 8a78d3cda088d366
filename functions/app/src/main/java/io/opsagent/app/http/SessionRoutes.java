package io.opsagent.app.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsagent.core.agent.AgentEvent;
import io.opsagent.core.agent.AgentListener;
import io.opsagent.core.agent.AskRequest;
import io.opsagent.core.agent.Scope;
import io.opsagent.core.runs.RunReaper;
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
    /** Sessions with a run going on, by user and session ({@link #busyKey}): one run at a time per session keeps the history in order. */
    private final Map<String, String> busy = new ConcurrentHashMap<>();
    /** The chat streams going on, by user and session: what a shutdown must end and tell. */
    private final Map<String, InFlight> inFlight = new ConcurrentHashMap<>();
    /** Set by {@link #drain}: no new run starts. */
    private volatile boolean draining;

    /** One chat stream going on. */
    private static final class InFlight {
        final String user;
        final SseStream sse;
        volatile String runId;
        /** The run's end as the engine announced it (after storing it); sent once the session is free. */
        volatile AgentEvent.RunFinished finished;
        /** Set when a shutdown ended the run and sent its {@code final} event. */
        volatile boolean endedByShutdown;

        InFlight(String user, SseStream sse) {
            this.user = user;
            this.sse = sse;
        }
    }

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
        Visibility.require(app, r, Visibility.namespaceOf(workload), "no workload " + Params.clip(workload, 300));
        Session s;
        try {
            s = app.engine().openSession(user, r.groups(), workload);
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
        Session s = find(user, r.id(0, "session"));
        ObjectNode out = Views.session(s);
        ArrayNode messages = out.putArray("messages");
        app.sessions().messages(user, s.id()).forEach(m -> messages.add(Views.message(m)));
        out.put("running", busy.containsKey(busyKey(user, s.id())));
        r.json(200, out);
    }

    /**
     * Deletes the session and, with it, its runs and their steps (its questions and answers would otherwise stay
     * readable through /api/runs): the runs first, then the session, so an interrupted delete can be repeated.
     */
    private void delete(Request r) throws IOException {
        String user = r.user();
        String id = r.id(0, "session");
        var history = app.sessions().history(user, id).orElseThrow(() -> ApiError.notFound("no session " + id));
        if (busy.containsKey(busyKey(user, id))) {
            throw ApiError.conflict("session " + id + " has a run going on; cancel it or wait for it to finish");
        }
        java.util.Set<String> runIds = new java.util.LinkedHashSet<>();
        for (var m : history.messages()) {
            if (m.runId() != null) runIds.add(m.runId());
        }
        for (String runId : runIds) {
            app.runs().get(user, runId).map(app.reaper()::checked).ifPresent(run -> {
                if (!run.status().terminal()) {
                    throw ApiError.conflict("session " + id + " has run " + runId + " going on; cancel it first");
                }
            });
        }
        for (String runId : runIds) app.runs().delete(user, runId);
        if (!app.sessions().delete(user, id)) throw ApiError.notFound("no session " + id);
        HttpLog.info(r.correlation(), "deleted session " + id + " with its " + runIds.size() + " run(s)");
        r.empty(204);
    }

    private static String busyKey(String user, String sessionId) {
        return user + "\n" + sessionId;
    }

    private Session find(String user, String id) {
        return app.sessions().get(user, id).orElseThrow(() -> ApiError.notFound("no session " + id));
    }

    /**
     * Answers a message as an event stream: run, (tool_start, tool_end, delta)*, [error], final. {@code final} is
     * sent last: after the run and its answer are stored and the session is free for the next message.
     */
    private void message(Request r) throws IOException {
        String user = r.user();
        String id = r.id(0, "session");
        ObjectNode body = r.jsonBody();
        String text = Json.requiredString(body, "text", MAX_TEXT);
        // taken before the session is read (a 409 for a user's own busy session only: the key holds the user)
        String key = busyKey(user, id);
        if (busy.putIfAbsent(key, r.correlation()) != null) {
            throw ApiError.conflict("session " + id + " already has a run going on; wait for it or cancel it");
        }
        InFlight f = null;
        try {
            if (draining) throw shuttingDown();
            // the session and its messages, read once the session is ours (so no other message of it can slip in
            // between): a 404 before the stream opens, and the history the run goes on from
            var history = app.sessions().history(user, id).orElseThrow(() -> ApiError.notFound("no session " + id));
            // a session about a namespace the caller no longer sees (their role was taken away) is gone for them
            Visibility.require(app, r, Visibility.namespaceOf(history.session().workload()), "no session " + id);
            // budgets: the first model call is reserved before the stream opens, so a refusal is a plain 429
            AskRequest ask = new AskRequest(user, id, text, "chat", r.groups());
            io.opsagent.core.agent.ConversationEngine.Reservation reserved;
            try {
                reserved = app.engine().reserve(ask, history);
            } catch (io.opsagent.core.budget.BudgetRefused refused) {
                budgetRefused(r, refused);
                return;
            }
            r.exchange().getResponseHeaders().set("Cache-Control", "no-cache");
            r.exchange().getResponseHeaders().set("X-Accel-Buffering", "no");
            OutputStream out = r.stream(200, "text/event-stream; charset=utf-8");
            try (SseStream sse = new SseStream(out, timer, app.heartbeat(), r.correlation())) {
                // the stream is open: say so at once, before the run is stored (under load that can take a while)
                sse.comment("accepted");
                InFlight flight = new InFlight(user, sse);
                f = flight;
                inFlight.put(key, flight);
                try {
                    app.engine().ask(ask, history, runListeners.apply(e -> relay(r, sse, e, flight)), reserved);
                } catch (RuntimeException e) {
                    HttpLog.error(r.correlation(), "chat failed before the run finished", e);
                    if (!flight.endedByShutdown) {
                        sse.send("error", Json.object().put("message", "the run failed: internal error (" + r.correlation() + ")"));
                    }
                }
                inFlight.remove(key, flight);
                busy.remove(key);
                AgentEvent.RunFinished done = flight.finished;
                if (done != null && !flight.endedByShutdown) sse.send("final", finalEvent(done));
                if (!sse.connected()) HttpLog.info(r.correlation(), "run finished after the client left; it is stored");
            }
        } finally {
            if (f != null) inFlight.remove(key, f);
            busy.remove(key);
        }
    }

    /**
     * 429: which budget refused, its limit, what is used and when it resets (also as Retry-After), and the run recorded
     * as refused. A budget store that cannot be read is a 503 saying no model call was made.
     */
    static void budgetRefused(Request r, io.opsagent.core.budget.BudgetRefused refused) throws java.io.IOException {
        boolean unavailable = refused.kind().equals("unavailable");
        var body = Json.object().put("error", refused.getMessage()).put("budget", refused.scope()).put("kind", refused.kind())
                .put("runId", refused.runId());
        if (!unavailable) {
            body.put("limit", refused.limit()).put("used", refused.used())
                    .put("resetsAt", refused.resetsAt() == null ? null : refused.resetsAt().toString());
            // a run slot frees when a run ends: try again shortly; the others reset at a known time
            long wait = refused.resetsAt() == null ? 5
                    : Math.max(1, java.time.Duration.between(java.time.Instant.now(), refused.resetsAt()).getSeconds());
            r.exchange().getResponseHeaders().set("Retry-After", Long.toString(wait));
        }
        r.json(unavailable ? 503 : 429, body);
    }

    private static ApiError shuttingDown() {
        return new ApiError(503, "the server is shutting down: no new run starts; send the message again once it is back", null);
    }

    /**
     * Stops new runs, lets the runs going on finish within {@code grace}, asks the rest to cancel and waits up to
     * {@code cancelWait} more, then ends what is still going on as failed ({@link RunReaper#SERVER_STOPPED}) and
     * sends each of their clients a {@code final} event saying so. Returns how many runs were ended that way.
     */
    int drain(java.time.Duration grace, java.time.Duration cancelWait) {
        draining = true;
        if (awaitIdle(grace)) return 0;
        for (InFlight f : inFlight.values()) {
            if (f.runId != null) app.engine().cancel(f.user, f.runId);
        }
        if (awaitIdle(cancelWait)) return 0;
        int ended = 0;
        for (InFlight f : inFlight.values()) {
            if (f.runId == null) continue;
            var run = app.runs().get(f.user, f.runId).orElse(null);
            if (run == null) continue;
            var end = app.reaper().end(run, io.opsagent.core.runs.RunStatus.FAILED, RunReaper.SERVER_STOPPED
                    + " (the server shut down; runs still going on after the " + grace.toSeconds() + " s grace period"
                    + " and a cancel request were ended)");
            if (end.isPresent()) {
                ended++;
                f.endedByShutdown = true;
                var e = end.get();
                f.sse.send("error", Json.object().put("runId", e.id()).put("message", e.error()));
                f.sse.send("final", finalEvent(new AgentEvent.RunFinished(e.id(), e.status().json(), e.finalAnswer(),
                        e.steps(), e.inputTokens(), e.outputTokens(), e.cost(), e.durationMs() == null ? 0 : e.durationMs())));
                f.sse.close(); // ends the response cleanly; the run's thread stops at its next write
            }
        }
        return ended;
    }

    /** Waits until no chat stream is going on, at most {@code d}; true when none is. */
    private boolean awaitIdle(java.time.Duration d) {
        long deadline = System.nanoTime() + d.toNanos();
        while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return inFlight.isEmpty();
            }
        }
        return inFlight.isEmpty();
    }

    private static ObjectNode finalEvent(AgentEvent.RunFinished f) {
        return Json.object().put("runId", f.runId()).put("status", f.status()).put("text", f.text())
                .put("steps", f.steps()).put("inputTokens", f.inputTokens()).put("outputTokens", f.outputTokens())
                .put("cost", f.cost()).put("durationMs", f.durationMs());
    }

    private static void relay(Request r, SseStream sse, AgentEvent e, InFlight flight) {
        if (flight.endedByShutdown) return; // its client has had its final event
        if (e instanceof AgentEvent.RunStarted s) {
            flight.runId = s.runId();
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
            java.util.List<String> proposals = t.error() ? java.util.List.of()
                    : io.opsagent.core.tools.actions.ProposeChangeTool.proposalIdsIn(t.summary());
            if (!proposals.isEmpty()) proposals.forEach(n.putArray("proposalIds")::add);
            sse.send("tool_end", n);
        } else if (e instanceof AgentEvent.Error x) {
            HttpLog.warn(r.correlation(), "run error: " + x.message());
            sse.send("error", Json.object().put("runId", x.runId()).put("message", x.message()));
        } else if (e instanceof AgentEvent.RunFinished f) {
            HttpLog.info(r.correlation(), "chat run finished status=" + f.status() + " steps=" + f.steps() + " "
                    + f.durationMs() + "ms");
            flight.finished = f; // sent by message() once the session is free
        }
    }
}
