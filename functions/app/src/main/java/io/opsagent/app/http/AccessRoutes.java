package io.opsagent.app.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsagent.core.access.Projects;
import java.io.IOException;

/**
 * {@code GET /api/me}: who the caller is, their groups, and their projects with their role in each (none configured:
 * {@code projects: null}, everyone sees everything).
 */
final class AccessRoutes {
    private final AppContext app;

    AccessRoutes(AppContext app) {
        this.app = app;
    }

    void register(Router router) {
        router.add("GET", "/api/me", this::me);
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
