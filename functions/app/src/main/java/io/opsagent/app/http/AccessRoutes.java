package io.opsagent.app.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsagent.core.access.Projects;
import java.io.IOException;

/**
 * {@code GET /api/me}: who the caller is, their groups, and their projects with their role in each (none configured:
 * {@code projects: null}, everyone sees everything). {@code GET /api/projects}: the caller's projects; an admin of a
 * project also sees its members and their roles.
 */
final class AccessRoutes {
    private final AppContext app;

    AccessRoutes(AppContext app) {
        this.app = app;
    }

    void register(Router router) {
        router.add("GET", "/api/me", this::me)
                .add("GET", "/api/projects", this::projects);
    }

    private void projects(Request r) throws IOException {
        ObjectNode out = Json.object();
        Projects p = Visibility.projects(app);
        if (p == null) {
            r.json(200, out.put("enabled", false).put("why", "no projects: everyone sees every namespace (OPSAGENT_PROJECTS_FILE)"));
            return;
        }
        ArrayNode items = out.put("enabled", true).putArray("items");
        p.of(r.user(), r.groups()).forEach((project, role) -> {
            ObjectNode o = items.addObject().put("name", project.name()).put("role", role.json());
            project.namespaces().forEach(o.withArray("namespaces")::add);
            if (role == io.opsagent.core.access.Role.ADMIN) { // members are the admin's to see
                ObjectNode users = o.putObject("users");
                project.users().forEach((u, ur) -> users.put(u, ur.json()));
                ObjectNode groups = o.putObject("groups");
                project.groups().forEach((g, gr) -> groups.put(g, gr.json()));
            }
        });
        r.json(200, out);
    }

    private void me(Request r) throws IOException {
        ObjectNode out = Json.object().put("user", r.user());
        ArrayNode groups = out.putArray("groups");
        r.groups().forEach(groups::add);
        Projects p = Visibility.projects(app);
        if (p == null) {
            out.putNull("projects");
        } else {
            ArrayNode items = out.putArray("projects");
            p.of(r.user(), r.groups()).forEach((project, role) -> {
                ObjectNode o = items.addObject().put("name", project.name()).put("role", role.json());
                project.namespaces().forEach(o.withArray("namespaces")::add);
            });
        }
        r.json(200, out);
    }
}
