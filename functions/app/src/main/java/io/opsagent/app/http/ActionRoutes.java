package io.opsagent.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsagent.core.actions.Action;
import io.opsagent.core.actions.ActionException;
import io.opsagent.core.actions.ActionKind;
import io.opsagent.core.actions.ActionService;
import io.opsagent.core.actions.AuditLog;
import io.opsagent.core.actions.AuditRecord;
import io.opsagent.core.actions.Proposal;
import io.opsagent.core.actions.ProposalJson;
import io.opsagent.core.actions.ProposalStatus;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code /api/actions…} (proposals: list, one, propose, approve with the hash seen, reject) and {@code /api/audit}
 * (the audit log: filtered, paged; and its verification). Every rule is {@link ActionService}'s; this maps its
 * refusals to status codes: bad input 400, not found 404, not allowed 403, already decided or another hash 409,
 * expired 410. Without a live cluster there is nothing to change: proposing answers 409, lists are empty.
 */
final class ActionRoutes {
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern WORD = Pattern.compile("[a-z-]{1,32}");
    private final AppContext app;

    ActionRoutes(AppContext app) {
        this.app = app;
    }

    void register(Router router) {
        router.add("GET", "/api/actions", this::list)
                .add("POST", "/api/actions", this::propose)
                .add("GET", "/api/actions/{id}", this::get)
                .add("POST", "/api/actions/{id}/approve", this::approve)
                .add("POST", "/api/actions/{id}/reject", this::reject)
                .add("GET", "/api/audit", this::audit)
                .add("GET", "/api/audit/verify", this::verify);
    }

    private ActionService service() {
        if (app.actions() == null) {
            throw ApiError.conflict("actions need a live cluster: this OpsAgent reads a dump or pasted evidence"
                    + " (start it with --context, e.g. ./opsagent up --context opsagent-local)");
        }
        return app.actions();
    }

    /** The proposal {@code id}, if the caller sees its namespace; 404 otherwise, as if it did not exist. */
    private Proposal visible(Request r, String id) {
        Proposal p = call(() -> service().get(id));
        Visibility.require(app, r, p.action().namespace(), "no action proposal " + id);
        return p;
    }

    private ActionService.Requester requester(Request r) {
        return new ActionService.Requester(r.user(), r.groups(), null, null, r.correlation());
    }

    private void list(Request r) throws IOException {
        ObjectNode out = Json.object();
        ArrayNode items = out.putArray("items");
        if (app.actions() == null) {
            out.put("enabled", false).put("why", "actions need a live cluster (./opsagent up --context …)");
            r.json(200, out);
            return;
        }
        ProposalStatus status = null;
        if (r.query("status") != null) status = call(() -> ProposalStatus.of(r.query("status")));
        int limit = Params.intParam(r, "limit", 50, 1, 200);
        Instant now = Instant.now();
        for (Proposal p : call(() -> app.actions().list(null, 500))) {
            if (status != null && p.status() != status) continue;
            if (!Visibility.sees(app, r, p.action().namespace())) continue; // another project's: not listed
            if (items.size() == limit) break;
            items.add(mine(ProposalJson.view(p, now), p, r));
        }
        out.put("enabled", true);
        var pol = app.actions().policy();
        ObjectNode policy = out.putObject("policy");
        if (pol.approverGroup() == null) policy.putNull("approverGroup");
        else policy.put("approverGroup", pol.approverGroup());
        policy.put("separationOfDuties", pol.separationOfDuties()).put("expiryMinutes", pol.expiry().toMinutes());
        pol.production().stream().sorted().forEach(policy.putArray("production")::add);
        r.json(200, out);
    }

    private void get(Request r) throws IOException {
        String id = r.id(0, "action");
        Proposal p = visible(r, id);
        r.json(200, mine(ProposalJson.view(p, Instant.now()), p, r));
    }

    private void propose(Request r) throws IOException {
        ObjectNode b = r.jsonBody();
        Action a = call(() -> Action.of(ActionKind.of(text(b, "kind")), text(b, "namespace"), text(b, "targetKind"),
                text(b, "name"), b.get("params")));
        Visibility.requireRole(app, r, a.namespace(), io.opsagent.core.access.Role.OPERATOR, "propose");
        Proposal p = call(() -> service().propose(a, requester(r)));
        r.json(201, ProposalJson.view(p, Instant.now()));
    }

    private void approve(Request r) throws IOException {
        String id = r.id(0, "action");
        ObjectNode b = r.jsonBody();
        JsonNode h = b.get("hash");
        if (h == null || !h.isTextual() || !HASH.matcher(h.asText().strip()).matches()) {
            throw ApiError.badRequest("hash", "'hash' must be the 64 hexadecimal characters of the action you reviewed"
                    + " (the proposal's hash)");
        }
        io.opsagent.core.actions.Conditions cond = conditions(b.get("conditions"));
        Visibility.requireRole(app, r, visible(r, id).action().namespace(), io.opsagent.core.access.Role.APPROVER, "approve");
        Proposal p = call(() -> service().approve(id, requester(r), h.asText().strip(), cond));
        r.json(200, ProposalJson.view(p, Instant.now()));
    }

    /**
     * {@code conditions}: {@code params} (the narrowed action's parameters), {@code notBefore}, {@code notAfter} (ISO
     * instants); absent or null: none. A malformed one is a 400 naming the field.
     */
    static io.opsagent.core.actions.Conditions conditions(JsonNode c) {
        if (c == null || c.isNull()) return null;
        if (!c.isObject()) throw ApiError.badRequest("conditions", "'conditions' must be an object");
        c.fieldNames().forEachRemaining(f -> {
            if (!java.util.Set.of("params", "notBefore", "notAfter").contains(f)) {
                throw ApiError.badRequest("conditions." + f, "'conditions." + f + "' is not a condition (params, notBefore, notAfter)");
            }
        });
        JsonNode params = c.get("params");
        if (params != null && !params.isNull() && !params.isObject()) {
            throw ApiError.badRequest("conditions.params", "'conditions.params' must be an object");
        }
        return new io.opsagent.core.actions.Conditions(params == null || params.isNull() ? null : params,
                instant(c, "notBefore"), instant(c, "notAfter"));
    }

    private static Instant instant(JsonNode c, String f) {
        JsonNode v = c.get(f);
        if (v == null || v.isNull()) return null;
        try {
            return Instant.parse(v.asText());
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiError.badRequest("conditions." + f, "'conditions." + f + "' must be an ISO instant such as "
                    + "2026-12-06T22:00:00Z, got '" + v.asText() + "'");
        }
    }

    private void reject(Request r) throws IOException {
        String id = r.id(0, "action");
        ObjectNode b = r.jsonBody(true);
        JsonNode reason = b.get("reason");
        if (reason != null && !reason.isNull() && !reason.isTextual()) throw ApiError.badRequest("reason", "'reason' must be a string");
        Visibility.requireRole(app, r, visible(r, id).action().namespace(), io.opsagent.core.access.Role.APPROVER, "reject");
        Proposal p = call(() -> service().reject(id, requester(r), reason == null || reason.isNull() ? null : reason.asText()));
        r.json(200, ProposalJson.view(p, Instant.now()));
    }

    private void audit(Request r) throws IOException {
        ObjectNode out = Json.object();
        ArrayNode items = out.putArray("items");
        AuditLog log = auditLog();
        if (log == null) {
            r.json(200, out.putNull("next"));
            return;
        }
        String action = r.query("action");
        if (action != null && !WORD.matcher(action).matches()) {
            throw ApiError.badRequest("action", "'action' must be an action or record type such as set-resources or approved");
        }
        String proposal = r.query("proposal");
        if (proposal != null && !proposal.matches("[A-Za-z0-9-]{1,64}")) throw ApiError.badRequest("proposal", "not a proposal id");
        AuditLog.Filter f = new AuditLog.Filter(r.query("workload"), r.query("user"), action, proposal,
                Params.instant(r, "from"), Params.instant(r, "to"));
        int limit = Params.intParam(r, "limit", 50, 1, 200);
        AuditLog.Page page = call(() -> log.list(f, r.query("cursor"), limit));
        for (AuditRecord rec : page.records()) {
            // with projects, admins read the audit of their projects (records of no namespace: any admin)
            if (Visibility.projects(app) != null && !auditable(r, rec)) continue;
            items.add(ProposalJson.view(rec));
        }
        if (page.next() == null) out.putNull("next");
        else out.put("next", page.next());
        r.json(200, out);
    }

    private boolean auditable(Request r, AuditRecord rec) {
        String workload = rec.workload();
        if ((workload == null || workload.isBlank()) && rec.detail() != null && rec.detail().path("project").isTextual()) {
            // a project's own change: its admins now, and whoever made it
            if (r.user().equals(rec.actor())) return true;
            return Visibility.projects(app).named(rec.detail().path("project").asText())
                    .map(p -> p.roleOf(r.user(), r.groups()) == io.opsagent.core.access.Role.ADMIN).orElse(false);
        }
        String ns = workload == null || workload.isBlank() ? null : workload.contains("/") ? workload.substring(0, workload.indexOf('/')) : workload;
        if (ns == null) return Visibility.admin(app, r);
        return Visibility.role(app, r, ns) == io.opsagent.core.access.Role.ADMIN;
    }

    /** The audit log: the actions' (a live cluster), else the projects' (the same chain, in the same table); or none. */
    private AuditLog auditLog() {
        return app.actions() != null ? app.actions().audit()
                : app.engine().projectDirectory() != null ? app.engine().projectDirectory().audit() : null;
    }

    private void verify(Request r) throws IOException {
        AuditLog log = auditLog();
        if (log == null) throw ApiError.conflict("there is no audit log here: no live cluster and no projects");
        // the whole chain's count and state: for admins where projects divide who sees what
        if (Visibility.projects(app) != null && !Visibility.admin(app, r)) throw ApiError.notFound("no route GET /api/audit/verify");
        AuditRecord.Verdict v = log.verify();
        ObjectNode out = Json.object().put("intact", v.intact()).put("records", v.count());
        if (v.firstBroken() != null) out.put("firstBroken", v.firstBroken()).put("reason", v.reason());
        r.json(v.intact() ? 200 : 409, out);
    }

    /** What the caller may do with it: {@code mayApprove} (and {@code whyNot}), so a page offers only what works. */
    private ObjectNode mine(ObjectNode view, Proposal p, Request r) {
        if (p.status() != ProposalStatus.PENDING) return view.put("mayApprove", false);
        String why = app.actions().policy().refusal(p, r.user(), r.groups(), true);
        if (why == null && p.approvers().contains(r.user())) why = "you approved it already; a second approver must be someone else";
        if (why == null && !p.dryRun().ok()) why = "its dry run was refused; propose it again once the cause is fixed";
        view.put("mayApprove", why == null);
        if (why != null) view.put("whyNot", why);
        return view;
    }

    static String text(ObjectNode b, String field) {
        JsonNode v = b.get(field);
        if (v == null || !v.isTextual()) throw ApiError.badRequest(field, "'" + field + "' must be a string");
        return v.asText();
    }

    /** Runs {@code f}, mapping a refusal to its status (400, 404, 403, 409, 410). */
    static <T> T call(java.util.function.Supplier<T> f) {
        try {
            return f.get();
        } catch (ActionException e) {
            int status = switch (e.reason()) {
                case BAD_INPUT -> 400;
                case NOT_FOUND -> 404;
                case FORBIDDEN -> 403;
                case CONFLICT -> 409;
                case EXPIRED -> 410;
            };
            throw new ApiError(status, e.getMessage(), null);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(null, e.getMessage());
        }
    }
}
