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
    private static final Pattern MEMBER = Pattern.compile("[^\\s\\p{Cntrl}]{1,128}");
    private final List<Project> projects;
    private final Map<String, List<String>> userGroups;

    public Projects(List<Project> projects) {
        this(projects, Map.of());
    }

    /** @param userGroups the groups of local users (a file's {@code users}: {@code {"zoe": {"groups": [...]}}}) */
    public Projects(List<Project> projects, Map<String, List<String>> userGroups) {
        this.projects = List.copyOf(projects);
        Map<String, List<String>> g = new LinkedHashMap<>();
        userGroups.forEach((u, gs) -> g.put(u, List.copyOf(gs)));
        this.userGroups = Map.copyOf(g);
    }

    /** The groups a file gives local user {@code user} (none: empty); in AWS groups come from the token instead. */
    public List<String> groupsOf(String user) {
        return user == null ? List.of() : userGroups.getOrDefault(user, List.of());
    }

    /** Local users' groups as declared. */
    public Map<String, List<String>> userGroups() {
        return userGroups;
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

    /**
     * Whether {@code user} administers projects covering all of namespace entry {@code entry} (a name, a prefix* or
     * *): only namespaces one administers may be given to a project.
     */
    public boolean administers(String user, Collection<String> groups, String entry) {
        return projects.stream().anyMatch(p -> p.roleOf(user, groups) == Role.ADMIN && p.coversEntry(entry));
    }

    /** The project called {@code name}, if any. */
    public java.util.Optional<Project> named(String name) {
        return projects.stream().filter(p -> p.name().equals(name)).findFirst();
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
            Project project = project(p, at);
            if (!names.add(project.name())) throw new IllegalArgumentException(at + ".name: '" + project.name() + "' is declared twice");
            out.add(project);
        }
        Map<String, List<String>> users = new LinkedHashMap<>();
        JsonNode u = root.path("users");
        if (!u.isMissingNode() && !u.isNull()) {
            if (!u.isObject()) throw new IllegalArgumentException("users: must be an object of user: {groups: [...]}");
            u.fields().forEachRemaining(e -> {
                String at = "users." + e.getKey();
                if (!memberName(e.getKey())) throw new IllegalArgumentException(at + ": not a user name (1 to 128 characters, no spaces)");
                JsonNode gs = e.getValue().path("groups");
                if (!gs.isArray()) throw new IllegalArgumentException(at + ".groups: must be a list of group names");
                List<String> list = new ArrayList<>();
                for (JsonNode g : gs) {
                    if (!g.isTextual() || !memberName(g.asText())) throw new IllegalArgumentException(at + ".groups: '" + g.asText() + "' is not a group name");
                    list.add(g.asText());
                }
                users.put(e.getKey(), list);
            });
        }
        return new Projects(out, users);
    }

    /**
     * One project: {@code {"name", "namespaces": [...], "users": {"alice": "approver"}, "groups": {...}}}.
     *
     * @param at where it is, for the message ({@code projects[1]}; empty: the body itself)
     * @throws IllegalArgumentException naming the field at fault
     */
    public static Project project(JsonNode p, String at) {
        String dot = at.isEmpty() ? "" : at + ".";
        if (p == null || !p.isObject()) throw new IllegalArgumentException((at.isEmpty() ? "the project" : at) + ": must be an object");
        String name = p.path("name").asText("");
        if (!NAME.matcher(name).matches()) throw new IllegalArgumentException(dot + "name: '" + name + "' is not a name (a-z, 0-9, -; at most 63)");
        if (!p.path("namespaces").isArray() || p.path("namespaces").isEmpty()) {
            throw new IllegalArgumentException(dot + "namespaces: must be a non-empty list");
        }
        List<String> ns = new ArrayList<>();
        for (JsonNode n : p.path("namespaces")) {
            if (!n.isTextual() || !NAMESPACE.matcher(n.asText()).matches()) {
                throw new IllegalArgumentException(dot + "namespaces: '" + n.asText() + "' is not a namespace, a prefix* or *");
            }
            if (!ns.contains(n.asText())) ns.add(n.asText());
        }
        return new Project(name, ns, members(p.path("users"), dot + "users"), members(p.path("groups"), dot + "groups"),
                budget(name, p.path("budget"), dot + "budget"));
    }

    /**
     * A project's budget: {@code {"tokensPerDay", "usdPerDay", "requestsPerMinute", "concurrentRuns"}}, each optional
     * and at least 0 (0: no limit of that kind); absent or null: none.
     */
    public static io.opsagent.core.budget.Budget budget(String project, JsonNode b, String at) {
        if (b == null || b.isMissingNode() || b.isNull()) return null;
        if (!b.isObject()) throw new IllegalArgumentException(at + ": must be an object of tokensPerDay, usdPerDay, requestsPerMinute, concurrentRuns");
        java.util.Iterator<String> names = b.fieldNames();
        while (names.hasNext()) {
            String f = names.next();
            if (!List.of("tokensPerDay", "usdPerDay", "requestsPerMinute", "concurrentRuns").contains(f)) {
                throw new IllegalArgumentException(at + "." + f + ": unknown (tokensPerDay, usdPerDay, requestsPerMinute or concurrentRuns)");
            }
        }
        long tokens = whole(b, "tokensPerDay", at, 1_000_000_000_000L);
        double usd = b.path("usdPerDay").isMissingNode() ? 0 : b.path("usdPerDay").asDouble(-1);
        if (!b.path("usdPerDay").isMissingNode() && (!b.path("usdPerDay").isNumber() || usd < 0 || usd > 1_000_000)) {
            throw new IllegalArgumentException(at + ".usdPerDay: must be a number from 0 to 1000000");
        }
        return new io.opsagent.core.budget.Budget(Project.scope(project), tokens, io.opsagent.core.budget.Budget.micro(usd),
                (int) whole(b, "requestsPerMinute", at, 100_000), (int) whole(b, "concurrentRuns", at, 1_000));
    }

    private static long whole(JsonNode b, String f, String at, long max) {
        JsonNode v = b.path(f);
        if (v.isMissingNode()) return 0;
        if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0 || v.asLong() > max) {
            throw new IllegalArgumentException(at + "." + f + ": must be a whole number from 0 to " + max);
        }
        return v.asLong();
    }

    /** The budgets of the projects covering {@code namespace}: each caps all model use there. */
    public List<io.opsagent.core.budget.Budget> budgetsOf(String namespace) {
        List<io.opsagent.core.budget.Budget> out = new ArrayList<>();
        for (Project p : projects) if (p.budget() != null && p.covers(namespace)) out.add(p.budget());
        return out;
    }

    /** Whether {@code s} may name a member (a user or a group): 1 to 128 characters, no control characters or spaces. */
    public static boolean memberName(String s) {
        return s != null && MEMBER.matcher(s).matches();
    }

    private static Map<String, Role> members(JsonNode m, String at) {
        Map<String, Role> out = new LinkedHashMap<>();
        if (m.isMissingNode() || m.isNull()) return out;
        if (!m.isObject()) throw new IllegalArgumentException(at + ": must be an object of member: role");
        m.fields().forEachRemaining(e -> {
            if (!memberName(e.getKey())) {
                throw new IllegalArgumentException(at + ": '" + e.getKey() + "' is not a member name (1 to 128 characters, no spaces)");
            }
            try {
                out.put(e.getKey(), Role.parse(e.getValue().asText()));
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException(at + "." + e.getKey() + ": " + bad.getMessage());
            }
        });
        return out;
    }
}
