package io.opsagent.core.metrics;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One metrics query: a {@link Metric} about named Kubernetes objects. Every name is checked here against
 * Kubernetes' own naming rules, so an adapter can put it into a query language's string without quoting problems;
 * nothing else reaches a query.
 *
 * @param metric    what to read
 * @param namespace the namespace (a DNS-1123 label)
 * @param pods      pod names (DNS-1123 subdomains), at most {@link #MAX_PODS}; may be empty when {@code podPrefix} is set
 * @param owner     the controller whose pods count too, also those it made before the current ones (a rollout's
 *                  old pods); null for exactly {@code pods}
 * @param pvc       the PersistentVolumeClaim, for {@link Metric#DISK_USAGE} only
 */
public record MetricQuery(Metric metric, String namespace, List<String> pods, Owner owner, String pvc) {
    /**
     * A pods' controller: its kind (Deployment, StatefulSet, DaemonSet, Job) and name. Its pods' names have a shape
     * per kind ({@code api-7d9cf8b4c-x2x4z}, {@code db-0}, {@code agent-x2x4z}), which {@link #podRegex()} matches
     * exactly, so {@code api} does not match the pods of {@code api-gateway}.
     */
    public record Owner(String kind, String name) {
        public Owner {
            if (kind == null || !List.of("Deployment", "StatefulSet", "DaemonSet", "Job").contains(kind)) {
                throw new MetricsException("pods of a " + kind + " cannot be matched by name; give the pods");
            }
            if (name == null || !SUBDOMAIN.matcher(name).matches()) throw new MetricsException("'" + name + "' is not a workload name");
        }

        String podRegex() {
            String n = name.replace(".", "\\.");
            return switch (kind) {
                case "Deployment" -> n + "-[a-z0-9]{1,10}-[a-z0-9]{5}";
                case "StatefulSet" -> n + "-[0-9]{1,5}";
                default -> n + "-[a-z0-9]{5}";
            };
        }
    }

    /** Most pods one query names. */
    public static final int MAX_PODS = 200;
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    public MetricQuery {
        if (metric == null) throw new MetricsException("a metrics query needs a metric");
        if (namespace == null || !LABEL.matcher(namespace).matches()) {
            throw new MetricsException("namespace '" + namespace + "' is not a Kubernetes namespace name");
        }
        pods = pods == null ? List.of() : List.copyOf(pods);
        if (pods.size() > MAX_PODS) throw new MetricsException("at most " + MAX_PODS + " pods per query, got " + pods.size());
        for (String p : pods) {
            if (p == null || !SUBDOMAIN.matcher(p).matches()) throw new MetricsException("'" + p + "' is not a pod name");
        }
        if (metric == Metric.DISK_USAGE) {
            if (pvc == null || !SUBDOMAIN.matcher(pvc).matches()) {
                throw new MetricsException("disk_usage needs a PersistentVolumeClaim name, got '" + pvc + "'");
            }
        } else {
            if (pvc != null) throw new MetricsException(metric.id() + " is about pods, not a PersistentVolumeClaim");
            if (pods.isEmpty() && owner == null) throw new MetricsException(metric.id() + " needs pods or a workload");
        }
    }

    /** A query about containers of {@code pods} and, when not null, every pod {@code owner} made. */
    public static MetricQuery pods(Metric metric, String namespace, List<String> pods, Owner owner) {
        return new MetricQuery(metric, namespace, pods, owner, null);
    }

    /**
     * The pods as one regular expression (RE2 syntax, anchored by the caller): the pod names, dots escaped, and the
     * owner's pod-name shape. Built only from validated names, so it holds no quote, brace or backslash of its own
     * beyond the escapes.
     */
    public String podRegex() {
        List<String> parts = new java.util.ArrayList<>();
        for (String p : pods) parts.add(p.replace(".", "\\."));
        if (owner != null) parts.add(owner.podRegex());
        return String.join("|", parts);
    }

    /** A query about a PersistentVolumeClaim. */
    public static MetricQuery volume(String namespace, String pvc) {
        return new MetricQuery(Metric.DISK_USAGE, namespace, List.of(), null, pvc);
    }
}
