package io.opsagent.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsagent.core.access.Project;
import io.opsagent.core.access.ProjectDirectory;
import io.opsagent.core.access.ProjectRefused;
import io.opsagent.core.access.Projects;
import io.opsagent.core.access.Role;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * {@code GET /api/me}: who the caller is, their groups, and their projects with their role in each (none configured:
 * {@code projects: null}, everyone sees everything). {@code /api/projects…}: the caller's projects (an admin also sees
 * members, source and version), and for their admins: make one, change its namespaces and members (with the version
 * read: a stale one is 409), set or remove one member, delete it. The rules are {@link ProjectDirectory}'s; a project
 * the caller is not a member of is 404, whether or not it exists.
 */
final class AccessRoutes {
    private final AppContext app;

    AccessRoutes(AppContext app) {
        this.app = app;
    }

    void register(Router router) {
        router.add("GET", "/api/me", this::me)
                .add("GET", "/api/projects", this::projects)
                .add("POST", "/api/projects", this::create)
                .add("GET", "/api/projects/{name}", this::project)
                .add("PUT", "/api/projects/{name}", this::update)
                .add("DELETE", "/api/projects/{name}", this::delete)
                .add("PUT", "/api/projects/{name}/budget", r -> budget(r, true))
                .add("DELETE", "/api/projects/{name}/budget", r -> budget(r, false))
                .add("PUT", "/api/projects/{name}/users/{user}", r -> member(r, false, true))
                .add("DELETE", "/api/projects/{name}/users/{user}", r -> member(r, false, false))
                .add("PUT", "/api/projects/{name}/groups/{group}", r -> member(r, true, true))
                .add("DELETE", "/api/projects/{name}/groups/{group}", r -> member(r, true, false));
    }

    private ProjectDirectory directory() {
        ProjectDirectory d = app.engine().projectDirectory();
        if (d == null) throw ApiError.conflict("projects are off here (OPSAGENT_PROJECTS_FILE=none): everyone sees every namespace");
        return d;
    }

    private void projects(Request r) throws IOException {
        ObjectNode out = Json.object();
        ProjectDirectory d = app.engine().projectDirectory();
        if (d == null) {
            r.json(200, out.put("enabled", false).put("why", "no projects: everyone sees every namespace (OPSAGENT_PROJECTS_FILE)"));
            return;
        }
        out.put("enabled", true).put("writable", d.writable());
        ArrayNode items = out.putArray("items");
        for (ProjectDirectory.Entry e : call(d::entries)) {
            Role role = e.project().roleOf(r.user(), r.groups());
            if (role != null) items.add(view(e, role));
        }
        // the namespaces the caller may give a new project: those they administer
        ArrayNode admin = out.putArray("administers");
        Projects now = call(d::current);
        now.of(r.user(), r.groups()).forEach((p, role) -> {
            if (role == Role.ADMIN) p.namespaces().forEach(n -> { if (!contains(admin, n)) admin.add(n); });
        });
        r.json(200, out);
    }

    private static boolean contains(ArrayNode a, String s) {
        for (JsonNode n : a) if (n.asText().equals(s)) return true;
        return false;
    }

    private void project(Request r) throws IOException {
        String name = r.param(0);
        for (ProjectDirectory.Entry e : call(directory()::entries)) {
            Role role = e.project().name().equals(name) ? e.project().roleOf(r.user(), r.groups()) : null;
            if (role != null) {
                r.json(200, view(e, role));
                return;
            }
        }
        throw ApiError.notFound("no project " + Params.clip(name, 63));
    }

    /** {@code {"name", "role", "namespaces"}}: what every member sees of a project. */
    private static ObjectNode brief(Project p, Role role) {
        ObjectNode o = Json.object().put("name", p.name()).put("role", role.json());
        p.namespaces().forEach(o.putArray("namespaces")::add);
        return o;
    }

    private static ObjectNode view(ProjectDirectory.Entry e, Role role) {
        Project p = e.project();
        ObjectNode o = brief(p, role);
        if (role == Role.ADMIN) { // members are the admin's to see
            ObjectNode full = p.toJson();
            o.set("users", full.get("users"));
            o.set("groups", full.get("groups"));
            o.put("source", e.source()).put("version", e.version());
            if (full.has("budget")) o.set("budget", full.get("budget"));
            if (e.updatedBy() != null) o.put("updatedBy", e.updatedBy());
            if (e.updatedAt() != null) o.put("updatedAt", e.updatedAt().toString());
        }
        return o;
    }

    private void create(Request r) throws IOException {
        ObjectNode b = r.jsonBody();
        Project p = parse(b);
        ProjectDirectory.Entry e = call(() -> directory().create(r.user(), r.groups(), p));
        r.json(201, view(e, Role.ADMIN));
    }

    private void update(Request r) throws IOException {
        ObjectNode b = r.jsonBody();
        String name = r.param(0);
        JsonNode v = b.get("version");
        if (v == null || !v.canConvertToLong() || v.asLong() < 1) {
            throw ApiError.badRequest("version", "'version' must be the project's version as read (GET /api/projects/" + Params.clip(name, 63)
                    + "): a change is made only to what was read");
        }
        if (!b.has("name")) b.put("name", name);
        Project p = parse(b);
        ProjectDirectory.Entry e = call(() -> directory().update(r.user(), r.groups(), name, v.asLong(), p));
        r.json(200, mineOrNone(r, e));
    }

    private void delete(Request r) throws IOException {
        String name = r.param(0);
        String v = r.query("version");
        if (v == null || !v.matches("[1-9][0-9]{0,17}")) {
            throw ApiError.badRequest("version", "'version' (a query parameter) must be the project's version as read");
        }
        call(() -> {
            directory().delete(r.user(), r.groups(), name, Long.parseLong(v));
            return null;
        });
        r.json(200, Json.object().put("deleted", name));
    }

    private void member(Request r, boolean group, boolean set) throws IOException {
        String name = r.param(0);
        String member = r.param(1);
        Role role = null;
        if (set) {
            ObjectNode b = r.jsonBody();
            try {
                role = Role.parse(b.path("role").asText(null));
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("role", "role: " + e.getMessage());
            }
        }
        Role given = role;
        ProjectDirectory.Entry e = call(() -> directory().setMember(r.user(), r.groups(), name, group, member, given));
        r.json(200, mineOrNone(r, e));
    }

    /** The project as the caller now sees it (one who left it: its name and no role). */
    private static ObjectNode mineOrNone(Request r, ProjectDirectory.Entry e) {
        Role mine = e.project().roleOf(r.user(), r.groups());
        return mine == null ? Json.object().put("name", e.project().name()).putNull("role") : view(e, mine);
    }

    /** {@code {tokensPerDay, usdPerDay, requestsPerMinute, concurrentRuns}}: the project's budget (DELETE: none). */
    private void budget(Request r, boolean set) throws IOException {
        String name = r.param(0);
        io.opsagent.core.budget.Budget b = null;
        if (set) {
            ObjectNode body = r.jsonBody();
            try {
                b = Projects.budget(name, body, "budget");
            } catch (IllegalArgumentException e) {
                throw invalid(e);
            }
        }
        io.opsagent.core.budget.Budget given = b;
        ProjectDirectory.Entry e = call(() -> directory().setBudget(r.user(), r.groups(), name, given));
        r.json(200, mineOrNone(r, e));
    }

    private static Project parse(ObjectNode b) {
        try {
            return Projects.project(b, "");
        } catch (IllegalArgumentException e) {
            throw invalid(e);
        }
    }

    /** A 400 naming the field the message starts with ({@code users.bob: unknown role 'boss'}). */
    private static ApiError invalid(IllegalArgumentException e) {
        String m = e.getMessage();
        return ApiError.badRequest(m.contains(":") ? m.substring(0, m.indexOf(':')) : null, m);
    }

    /** Runs a directory call, mapping its refusals: 404, 403, 409, 400; a store that cannot be read: 503. */
    private static <T> T call(Supplier<T> s) {
        try {
            return s.get();
        } catch (ProjectRefused e) {
            throw switch (e.why()) {
                case NOT_FOUND -> ApiError.notFound(e.getMessage());
                case FORBIDDEN -> new ApiError(403, e.getMessage(), null);
                case CONFLICT -> ApiError.conflict(e.getMessage());
                case INVALID -> ApiError.badRequest(null, e.getMessage());
            };
        }
    }

    private void me(Request r) throws IOException {
        ObjectNode out = Json.object().put("user", r.user());
        ArrayNode groups = out.putArray("groups");
        r.groups().forEach(groups::add);
        // who the cluster sees this caller as (impersonation on a live cluster: the user and mapped groups)
        io.opsagent.core.tools.SnapshotProvider.Identity who = r.query("cluster") == null ? null
                : app.cluster() == null ? null : app.cluster().forUser(r.user(), r.groups()).identity();
        if (who != null) {
            ObjectNode c = out.putObject("cluster").put("user", who.user());
            who.groups().forEach(c.putArray("groups")::add);
        }
        Projects p = Visibility.projects(app);
        if (p == null) {
            out.putNull("projects");
        } else {
            ArrayNode items = out.putArray("projects");
            p.of(r.user(), r.groups()).forEach((project, role) -> items.add(brief(project, role)));
        }
        r.json(200, out);
    }
}
