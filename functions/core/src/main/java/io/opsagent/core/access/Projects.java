package io.opsagent.core.access;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Who may see and do what, by project (issue 17): a user's role in a namespace is the highest role they (or one of
 * their groups) hold in a project covering it; no role means the namespace does not exist for them (404, never 403).
 */
public final class Projects {
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern NAMESPACE = Pattern.compile("\\*|[a-z0-9][-a-z0-9]{0,62}\\*|[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private final List<Project> projects;

    public Projects(List<Project> projects) {
        this.projects = List.copyOf(projects);
    }

    public List<Project> all() {
        return projects;
    }

    /**
     * The local product's default: one project, {@code default}, with every namespace; the local users {@code dev}
     * (admin), {@code alice} (approver) and {@code bob} (operator) are its members.
     */
    public static Projects localDefault() {
        return new Projects(List.of(new Project("default", List.of("*"),
                Map.of("dev", Role.ADMIN, "alice", Role.APPROVER, "bob", Role.OPERATOR), Map.of())));
    }

    /** The role of {@code user} with {@code groups} in {@code namespace}, or null (they see nothing of it). */
    public Role role(String user, Collection<String> groups, String namespace) {
        Role best = null;
        for (Project p : projects) {
            if (!p.covers(namespace)) continue;
            Role r = p.roleOf(user, groups);
            if (r != null && (best == null || r.atLeast(best))) best = r;
        }
        return best;
    }

    public boolean sees(String user, Collection<String> groups, String namespace) {
        return role(user, groups, namespace) != null;
    }

    /** Whether {@code user} administers any project (alerts about no namespace are shown to admins only). */
    public boolean admin(String user, Collection<String> groups) {
        return projects.stream().anyMatch(p -> p.roleOf(user, groups) == Role.ADMIN);
    }

    /** The projects {@code user} is a member of, with their role in each. */
    public Map<Project, Role> of(String user, Collection<String> groups) {
        Map<Project, Role> out = new LinkedHashMap<>();
        for (Project p : projects) {
            Role r = p.roleOf(user, groups);
            if (r != null) out.put(p, r);
        }
        return out;
    }

    /**
     * Reads {@code {"projects": [{"name", "namespaces": [...], "users": {"alice": "approver"}, "groups": {...}}]}}.
     *
     * @throws IllegalArgumentException naming the field at fault ({@code projects[1].users.bob: unknown role 'boss'})
     */
    public static Projects read(JsonNode root) {
        if (root == null || !root.path("projects").isArray()) throw new IllegalArgumentException("projects: must be a list");
        List<Project> out = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        int i = 0;
        for (JsonNode p : root.path("projects")) {
            String at = "projects[" + i++ + "]";
            String name = p.path("name").asText("");
            if (!NAME.matcher(name).matches()) throw new IllegalArgumentException(at + ".name: '" + name + "' is not a name (a-z, 0-9, -)");
            if (!names.add(name)) throw new IllegalArgumentException(at + ".name: '" + name + "' is declared twice");
            if (!p.path("namespaces").isArray() || p.path("namespaces").isEmpty()) {
                throw new IllegalArgumentException(at + ".namespaces: must be a non-empty list");
            }
            List<String> ns = new ArrayList<>();
            for (JsonNode n : p.path("namespaces")) {
                if (!NAMESPACE.matcher(n.asText()).matches()) {
                    throw new IllegalArgumentException(at + ".namespaces: '" + n.asText() + "' is not a namespace, a prefix* or *");
                }
                ns.add(n.asText());
            }
            out.add(new Project(name, ns, members(p.path("users"), at + ".users"), members(p.path("groups"), at + ".groups")));
        }
        return new Projects(out);
    }

    private static Map<String, Role> members(JsonNode m, String at) {
        Map<String, Role> out = new LinkedHashMap<>();
        if (m.isMissingNode() || m.isNull()) return out;
        if (!m.isObject()) throw new IllegalArgumentException(at + ": must be an object of member: role");
        m.fields().forEachRemaining(e -> {
            try {
                out.put(e.getKey(), Role.parse(e.getValue().asText()));
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException(at + "." + e.getKey() + ": " + bad.getMessage());
            }
        });
        return out;
    }
}
