package io.opsagent.core.access;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A named set of namespaces and its members. A namespace entry is a name ({@code payments}), a prefix
 * ({@code payments-*}) or {@code *} (every namespace). Members are users and groups, each with a {@link Role}.
 */
public record Project(String name, List<String> namespaces, Map<String, Role> users, Map<String, Role> groups) {
    public Project {
        Objects.requireNonNull(name, "name");
        namespaces = List.copyOf(namespaces);
        users = Map.copyOf(users);
        groups = Map.copyOf(groups);
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
