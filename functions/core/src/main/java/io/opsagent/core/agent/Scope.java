package io.opsagent.core.agent;

import io.opsagent.core.cluster.KubeKinds;

/**
 * What a session is about: {@code namespace/name} (one workload, looked up by name: a Deployment before a Service of
 * the same name), {@code namespace/kind/name} (that object: {@code shop/service/catalog}, kubectl's kind names and
 * short names too) or {@code namespace/*} (a namespace).
 *
 * @param kind null when looked up by name (or for a namespace session)
 * @param name null for a namespace session
 */
public record Scope(String namespace, String kind, String name) {

    /** A scope looked up by name. */
    public Scope(String namespace, String name) {
        this(namespace, null, name);
    }

    private static final String NS = "[a-z0-9]([-a-z0-9.]*[a-z0-9])?";
    private static final String NAME = "[a-zA-Z0-9]([-a-zA-Z0-9._]*[a-zA-Z0-9])?";

    /** Parses {@code ns/name}, {@code ns/kind/name} or {@code ns/*}; throws IllegalArgumentException saying what is expected. */
    public static Scope parse(String s) {
        String t = s == null ? "" : s.strip();
        if (t.matches(NS + "/([*]|" + NAME + ")")) {
            String[] p = t.split("/", 2);
            return new Scope(p[0], null, p[1].equals("*") ? null : p[1]);
        }
        if (t.matches(NS + "/[a-zA-Z]+/" + NAME)) {
            String[] p = t.split("/", 3);
            String kind = KubeKinds.kindOf(p[1]);
            if (kind == null) {
                throw new IllegalArgumentException("unknown kind '" + p[1] + "' in '" + t
                        + "' (a Kubernetes kind or kubectl name: deployment, service, job, cronjob, pod…)");
            }
            return new Scope(p[0], kind, p[2]);
        }
        throw new IllegalArgumentException("workload must be namespace/name, namespace/kind/name or namespace/*, got '" + s + "'");
    }

    @Override
    public String toString() {
        return namespace + "/" + (name == null ? "*" : kind == null ? name : kind + "/" + name);
    }
}
