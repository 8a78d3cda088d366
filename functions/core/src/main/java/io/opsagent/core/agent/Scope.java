package io.opsagent.core.agent;

/**
 * What a session is about: {@code namespace/name} (one workload) or {@code namespace/*} (a namespace).
 *
 * @param name null for a namespace session
 */
public record Scope(String namespace, String name) {

    /** Parses {@code ns/name} or {@code ns/*}; throws IllegalArgumentException saying what is expected. */
    public static Scope parse(String s) {
        if (s == null || !s.strip().matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?/([*]|[a-zA-Z0-9]([-a-zA-Z0-9._]*[a-zA-Z0-9])?)")) {
            throw new IllegalArgumentException("workload must be namespace/name or namespace/*, got '" + s + "'");
        }
        String[] p = s.strip().split("/", 2);
        return new Scope(p[0], p[1].equals("*") ? null : p[1]);
    }

    @Override
    public String toString() {
        return namespace + "/" + (name == null ? "*" : name);
    }
}
