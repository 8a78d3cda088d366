package io.opsagent.core.access;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A named set of namespaces and its members. A namespace entry is a name ({@code payments}), a prefix
 * ({@code payments-*}) or {@code *} (every namespace). Members are users and groups, each with a {@link Role}.
 */
public record Project(String name, List<String> namespaces, Map<String, Role> users, Map<String, Role> groups,
                      io.opsagent.core.budget.Budget budget) {
    public Project {
        Objects.requireNonNull(name, "name");
        namespaces = List.copyOf(namespaces);
        users = Map.copyOf(users);
        groups = Map.copyOf(groups);
        if (budget != null && !budget.scope().equals(scope(name))) {
            throw new IllegalArgumentException("a project's budget has the scope " + scope(name) + ", not " + budget.scope());
        }
        if (budget != null && !budget.limits() && budget.requestsPerMinute() == 0 && budget.concurrentRuns() == 0) budget = null;
    }

    /** A project without a budget of its own. */
    public Project(String name, List<String> namespaces, Map<String, Role> users, Map<String, Role> groups) {
        this(name, namespaces, users, groups, null);
    }

    /** The budget scope of project {@code name}: {@code project:<name>}. */
    public static String scope(String name) {
        return "project:" + name;
    }

    /** This project with {@code b} as its budget (null: none). */
    public Project withBudget(io.opsagent.core.budget.Budget b) {
        return new Project(name, namespaces, users, groups, b);
    }

    /** Whether {@code namespace} is one of this project's. */
    public boolean covers(String namespace) {
        if (namespace == null) return false;
        for (String n : namespaces) {
            if (n.equals("*") || n.equals(namespace)) return true;
            if (n.endsWith("*") && namespace.startsWith(n.substring(0, n.length() - 1))) return true;
        }
        return false;
    }

    /**
     * Whether this project's namespaces include all of {@code entry}'s: a name, a prefix ({@code pay-*}: every
     * namespace starting {@code pay-}) or {@code *}.
     */
    public boolean coversEntry(String entry) {
        if (!entry.endsWith("*")) return covers(entry);
        String prefix = entry.substring(0, entry.length() - 1);
        for (String n : namespaces) {
            if (n.equals("*")) return true;
            if (n.endsWith("*") && prefix.startsWith(n.substring(0, n.length() - 1))) return true;
        }
        return false;
    }

    /** Whether a user or a group administers this project (a project must keep one). */
    public boolean hasAdmin() {
        return users.containsValue(Role.ADMIN) || groups.containsValue(Role.ADMIN);
    }

    /** This project with {@code member} (a user, or a group when {@code group}) holding {@code role}; null: removed. */
    public Project withMember(boolean group, String member, Role role) {
        Map<String, Role> m = new java.util.LinkedHashMap<>(group ? groups : users);
        if (role == null) m.remove(member);
        else m.put(member, role);
        return group ? new Project(name, namespaces, users, m, budget) : new Project(name, namespaces, m, groups, budget);
    }

    /** {@code {"name", "namespaces", "users": {user: role}, "groups": {group: role}}}, members sorted. */
    public com.fasterxml.jackson.databind.node.ObjectNode toJson() {
        var o = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("name", name);
        namespaces.forEach(o.putArray("namespaces")::add);
        var u = o.putObject("users");
        new java.util.TreeMap<>(users).forEach((k, v) -> u.put(k, v.json()));
        var g = o.putObject("groups");
        new java.util.TreeMap<>(groups).forEach((k, v) -> g.put(k, v.json()));
        if (budget != null) o.set("budget", budgetJson(budget));
        return o;
    }

    /** {@code {"tokensPerDay", "usdPerDay", "requestsPerMinute", "concurrentRuns"}} (0: no limit of that kind). */
    public static com.fasterxml.jackson.databind.node.ObjectNode budgetJson(io.opsagent.core.budget.Budget b) {
        return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("tokensPerDay", b.tokensPerDay())
                .put("usdPerDay", b.microUsdPerDay() / 1_000_000d).put("requestsPerMinute", b.requestsPerMinute())
                .put("concurrentRuns", b.concurrentRuns());
    }

    /** The role of {@code user} (or of the highest of their {@code groups}) here, or null for no member. */
    public Role roleOf(String user, Collection<String> groups) {
        Role best = users.get(user);
        if (groups != null) {
            for (String g : groups) {
                Role r = this.groups.get(g);
                if (r != null && (best == null || r.atLeast(best))) best = r;
            }
        }
        return best;
    }
}
