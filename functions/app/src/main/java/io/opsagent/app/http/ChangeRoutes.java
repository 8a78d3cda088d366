package io.opsagent.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsagent.core.actions.Action;
import io.opsagent.core.actions.ActionKind;
import io.opsagent.core.actions.ActionService;
import io.opsagent.core.changes.Change;
import io.opsagent.core.changes.ChangeOrchestrator;
import io.opsagent.core.changes.ChangeService;
import java.io.IOException;

/**
 * {@code /api/changes…}: submit a change (an action: {@code kind}, {@code namespace}, {@code targetKind}, {@code name},
 * {@code params}; it runs through the change chain), list them, cancel one (its requester or approver), and one with its execution as the Step Functions
 * console shows it (status, the current state, each state's input, output, duration and error). Approvals are the
 * action proposals' ({@code POST /api/actions/{id}/approve} with the hash seen): the change's {@code proposalId}.
 */
final class ChangeRoutes {
    private final AppContext app;

    ChangeRoutes(AppContext app) {
        this.app = app;
    }

    void register(Router router) {
        router.add("GET", "/api/changes", this::list)
                .add("POST", "/api/changes", this::submit)
                .add("GET", "/api/changes/{id}", this::get)
                .add("POST", "/api/changes/{id}/cancel", this::cancel)
                .add("GET", "/api/drift", this::drift)
                .add("POST", "/api/drift/check", this::checkDrift)
                .add("POST", "/api/drift/intended", this::registerIntent);
    }

    private ChangeService service() {
        if (app.changes() == null) {
            throw ApiError.conflict(app.actions() == null
                    ? "changes need a live cluster: this OpsAgent reads a dump or pasted evidence (./opsagent up --context …)"
                    : "the change chain is off (OPSAGENT_CHANGES=off, or LocalStack could not start: see the server's log)");
        }
        return app.changes();
    }

    private void list(Request r) throws IOException {
        ObjectNode out = Json.object();
        ArrayNode items = out.putArray("items");
        if (app.changes() == null) {
            out.put("enabled", false).put("why", app.actions() == null ? "changes need a live cluster (./opsagent up --context …)"
                    : "the change chain is off (OPSAGENT_CHANGES=off, or LocalStack could not start)");
            r.json(200, out);
            return;
        }
        int limit = Params.intParam(r, "limit", 50, 1, 200);
        for (Change c : app.changes().list(limit)) {
            if (Visibility.sees(app, r, c.action().namespace())) items.add(c.toJson()); // another project's: not listed
        }
        out.put("enabled", true);
        r.json(200, out);
    }

    private void submit(Request r) throws IOException {
        ObjectNode b = r.jsonBody();
        if (b.has("proposalId")) { // a pending proposal of the caller's, run through the chain instead
            String pid = text(b, "proposalId");
            if (b.size() > 1) throw ApiError.badRequest("proposalId", "give either 'proposalId' or the action, not both");
            Change c = call(() -> service().submitProposal(pid, new ActionService.Requester(r.user(), r.groups(), null, null,
                    r.correlation())));
            r.json(201, c.toJson());
            return;
        }
        Action a = call(() -> Action.of(ActionKind.of(text(b, "kind")), text(b, "namespace"), text(b, "targetKind"),
                text(b, "name"), b.get("params")));
        Visibility.requireRole(app, r, a.namespace(), io.opsagent.core.access.Role.OPERATOR, "submit a change");
        Change c = call(() -> service().submit(a, new ActionService.Requester(r.user(), r.groups(), null, null, r.correlation())));
        r.json(201, c.toJson());
    }

    private void get(Request r) throws IOException {
        String id = r.id(0, "change");
        Change c = call(() -> service().get(id));
        Visibility.require(app, r, c.action().namespace(), "no change " + id);
        ObjectNode out = c.toJson();
        ChangeOrchestrator.Execution e = call(() -> service().execution(id));
        if (e == null) {
            out.putNull("execution");
        } else {
            ObjectNode x = out.putObject("execution").put("status", e.status()).put("currentState", e.currentState())
                    .put("startedAt", e.startedAt() == null ? null : e.startedAt().toString())
                    .put("stoppedAt", e.stoppedAt() == null ? null : e.stoppedAt().toString())
                    .put("error", e.error()).put("cause", e.cause());
            ArrayNode states = x.putArray("states");
            for (ChangeOrchestrator.StateRun s : e.states()) {
                ObjectNode o = states.addObject().put("name", s.name()).put("type", s.type())
                        .put("enteredAt", s.enteredAt() == null ? null : s.enteredAt().toString())
                        .put("exitedAt", s.exitedAt() == null ? null : s.exitedAt().toString())
                        .put("input", s.input()).put("output", s.output()).put("error", s.error())
                        .put("cause", s.cause()).put("attempts", s.attempts());
                if (s.enteredAt() != null && s.exitedAt() != null) {
                    o.put("durationMs", java.time.Duration.between(s.enteredAt(), s.exitedAt()).toMillis());
                }
            }
        }
        r.json(200, out);
    }

    /** The intended states drift is measured against, and the latest drift records (checks, remediations, escalations). */
    private void drift(Request r) throws IOException {
        ObjectNode out = Json.object();
        ArrayNode intended = out.putArray("intended");
        ArrayNode recent = out.putArray("recent");
        ChangeService cs = app.changes();
        if (cs == null || cs.intents() == null) {
            out.put("enabled", false);
            r.json(200, out);
            return;
        }
        out.put("enabled", true);
        // with projects: the intended states and drift records of the caller's projects' namespaces only
        cs.intents().list().forEach(s -> {
            if (Visibility.sees(app, r, s.namespace())) intended.add(s.toJson());
        });
        io.opsagent.core.actions.AuditLog.Page page = cs.actions().audit().list(io.opsagent.core.actions.AuditLog.Filter.ALL, null, 200);
        for (io.opsagent.core.actions.AuditRecord rec : page.records()) {
            if (rec.type().startsWith("drift-") && recent.size() < 30
                    && Visibility.sees(app, r, Visibility.namespaceOf(rec.workload()))) {
                recent.add(Json.object().put("type", rec.type()).put("at", rec.at().toString()).put("workload", rec.workload())
                        .put("proposalId", rec.proposalId()).set("detail", rec.detail()));
            }
        }
        r.json(200, out);
    }

    private void checkDrift(Request r) throws IOException {
        // a check covers every namespace's intended state: where projects divide the cluster, admins start it
        if (Visibility.projects(app) != null && !Visibility.admin(app, r)) {
            throw new ApiError(403, r.user() + " administers no project: a drift check (of every namespace) needs a project admin", null);
        }
        String name = call(() -> service().checkDriftNow(r.user()));
        r.json(202, Json.object().put("check", name));
    }

    /** {@code {namespace, kind, name}}: the object's live state becomes its intended state, as the caller declares. */
    private void registerIntent(Request r) throws IOException {
        ObjectNode b = r.jsonBody();
        String ns = text(b, "namespace");
        String kind = text(b, "kind");
        String name = text(b, "name");
        Visibility.requireRole(app, r, ns, io.opsagent.core.access.Role.OPERATOR, "register an intended state");
        var s = call(() -> service().registerIntent(ns, kind, name,
                new ActionService.Requester(r.user(), r.groups(), null, null, r.correlation())));
        r.json(201, s.toJson());
    }

    private void cancel(Request r) throws IOException {
        String id = r.id(0, "change");
        ObjectNode b = r.jsonBody(true);
        JsonNode reason = b.get("reason");
        if (reason != null && !reason.isNull() && !reason.isTextual()) throw ApiError.badRequest("reason", "'reason' must be a string");
        Visibility.require(app, r, call(() -> service().get(id)).action().namespace(), "no change " + id);
        Change c = call(() -> service().cancel(id, new ActionService.Requester(r.user(), r.groups(), null, null, r.correlation()),
                reason == null || reason.isNull() ? null : reason.asText()));
        r.json(200, c.toJson());
    }

    private static String text(ObjectNode b, String field) {
        return ActionRoutes.text(b, field);
    }

    private static <T> T call(java.util.function.Supplier<T> f) {
        return ActionRoutes.call(f);
    }
}
