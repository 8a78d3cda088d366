package io.opsagent.app.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsagent.core.runs.Run;
import io.opsagent.core.runs.RunQuery;
import io.opsagent.core.runs.RunStatus;
import java.io.IOException;
import java.time.Instant;
import java.util.regex.Pattern;

/** {@code /api/runs...}: list with filters and pagination, stats, one run with its steps, steps, cancel. */
final class RunRoutes {
    private static final Pattern SOURCE = Pattern.compile("[a-z_]{1,32}");
    private final AppContext app;

    RunRoutes(AppContext app) {
        this.app = app;
    }

    void register(Router router) {
        router.add("GET", "/api/runs", this::list)
                .add("GET", "/api/runs/stats", this::stats)
                .add("GET", "/api/runs/{id}", this::get)
                .add("GET", "/api/runs/{id}/steps", this::steps)
                .add("POST", "/api/runs/{id}/cancel", this::cancel);
    }

    /**
     * Whose runs a read is about: the caller's, or with {@code ?user=} another's when projects are on and the caller
     * administers a project that user is a member of (then only the runs in namespaces the caller administers are shown).
     */
    private String subject(Request r, boolean othersAllowed) {
        String asUser = r.query("user");
        if (asUser == null || asUser.equals(r.user())) return r.user();
        io.opsagent.core.access.Projects p = Visibility.projects(app);
        boolean admin = othersAllowed && p != null && p.of(r.user(), r.groups()).entrySet().stream()
                .anyMatch(e -> e.getValue() == io.opsagent.core.access.Role.ADMIN
                        && e.getKey().roleOf(asUser, p.groupsOf(asUser)) != null);
        if (!admin) {
            throw ApiError.badRequest("user", "users see only their own runs: 'user' must be " + r.user() + " or absent"
                    + (p == null ? "" : " (a project's admins may name its members)"));
        }
        return asUser;
    }

    /** Whether the caller may read {@code run}: theirs, or in a namespace they administer. */
    private boolean readable(Request r, Run run) {
        if (run.user().equals(r.user())) return true;
        return Visibility.role(app, r, Visibility.namespaceOf(run.workload())) == io.opsagent.core.access.Role.ADMIN;
    }

    private RunQuery query(Request r, boolean paged) {
        String user = subject(r, paged);
        RunStatus status = null;
        if (r.query("status") != null) {
            try {
                status = RunStatus.parse(r.query("status"));
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("status", e.getMessage());
            }
        }
        String source = r.query("source");
        if (source != null && !SOURCE.matcher(source).matches()) {
            throw ApiError.badRequest("source", "'source' must be a word such as chat, cli or alert, got '" + source + "'");
        }
        Instant from = Params.instant(r, "from");
        Instant to = Params.instant(r, "to");
        if (from != null && to != null && !from.isBefore(to)) throw ApiError.badRequest("from", "'from' must be before 'to'");
        int limit = paged ? Params.intParam(r, "limit", 50, 1, 200) : 200;
        return new RunQuery(user, status, source, from, to, limit, paged ? r.query("cursor") : null);
    }

    private void list(Request r) throws IOException {
        RunQuery q = query(r, true);
        ObjectNode out = Views.page(() -> app.runs().list(q), run -> Views.run(app.reaper().checked(run)));
        if (!q.user().equals(r.user())) { // another's runs: those in namespaces the caller administers only
            var kept = Json.object().putArray("items");
            out.withArray("items").forEach(item -> {
                String ns = Visibility.namespaceOf(item.path("workload").asText(null));
                if (Visibility.role(app, r, ns) == io.opsagent.core.access.Role.ADMIN) kept.add(item);
            });
            out.set("items", kept);
        }
        r.json(200, out);
    }

    private void stats(Request r) throws IOException {
        r.json(200, Views.stats(app.runs().stats(query(r, false))));
    }

    /** The user's run, ended first if no live server owns it (the check on read). */
    private Run find(Request r) {
        String id = r.id(0, "run");
        return app.reaper().checked(app.runs().get(r.user(), id).orElseThrow(() -> ApiError.notFound("no run " + id)));
    }

    /**
     * As {@link #find}, or with {@code ?user=} a run of another a project admin may read; or one of OpsAgent's own runs
     * (an alert's investigation, a drift check: {@link #SYSTEM_SOURCES}) for whoever sees its namespace (404 otherwise).
     */
    private Run findToRead(Request r) {
        String id = r.id(0, "run");
        String who = subject(r, true);
        java.util.Optional<Run> run = app.runs().get(who, id).filter(x -> readable(r, x));
        if (run.isEmpty() && r.query("user") == null) {
            for (String system : systemUsers()) {
                if (system.equals(r.user())) continue;
                run = app.runs().get(system, id).filter(x -> SYSTEM_SOURCES.contains(x.source()))
                        .filter(x -> Visibility.seesWorkload(app, r, x.workload()));
                if (run.isPresent()) break;
            }
        }
        return app.reaper().checked(run.orElseThrow(() -> ApiError.notFound("no run " + id)));
    }

    /** The sources of the runs OpsAgent starts itself: bound to the namespace they are about. */
    static final java.util.Set<String> SYSTEM_SOURCES = java.util.Set.of("alert", "remediation");

    /** Whose OpsAgent's own runs are: the actions' system user and the alert investigations' owner. */
    private java.util.List<String> systemUsers() {
        java.util.List<String> out = new java.util.ArrayList<>(java.util.List.of(io.opsagent.core.actions.ActionService.SYSTEM));
        if (app.alerts() != null && !out.contains(app.alerts().service().policy().owner())) out.add(app.alerts().service().policy().owner());
        return out;
    }

    private void get(Request r) throws IOException {
        Run run = findToRead(r);
        ObjectNode out = Views.run(run);
        out.set("steps", Views.steps(app.runs().steps(run.user(), run.id())));
        r.json(200, out);
    }

    private void steps(Request r) throws IOException {
        Run run = findToRead(r);
        ObjectNode out = Json.object().put("runId", run.id()).put("status", run.status().json());
        out.set("items", Views.steps(app.runs().steps(run.user(), run.id())));
        r.json(200, out);
    }

    private void cancel(Request r) throws IOException {
        String id = r.id(0, "run");
        Run run = app.runs().get(r.user(), id).orElseThrow(() -> ApiError.notFound("no run " + id));
        if (app.reaper().orphaned(run)) {
            // no live server owns it, so nobody would honour the request: end it here
            var ended = app.reaper().end(run, RunStatus.CANCELLED, "cancelled by " + run.user()
                    + "; no live server owned the run (its server stopped), so it was ended at once");
            if (ended.isPresent()) {
                HttpLog.info("run=" + run.id(), "cancel of an orphaned run: ended by " + run.user());
                r.json(200, Json.object().put("id", run.id()).put("status", ended.get().status().json())
                        .put("message", ended.get().error()));
                return;
            }
            run = find(r);
        }
        if (run.status().terminal()) {
            throw ApiError.conflict("run " + run.id() + " already finished (" + run.status().json() + ")");
        }
        if (!app.engine().cancel(run.user(), run.id())) {
            throw ApiError.conflict("run " + run.id() + " finished before it could be cancelled");
        }
        HttpLog.info("run=" + run.id(), "cancel requested by " + run.user());
        r.json(202, Json.object().put("id", run.id()).put("status", "cancelling")
                .put("message", "the run stops at its next step boundary and is marked cancelled"));
    }
}
