package io.opsagent.core.diagnosis;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.cluster.KubeKinds;
import io.opsagent.core.diagnosis.analyzers.Text;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the object a person means by a name, and when there is none, the names they probably meant: the one rule
 * for "close matches" used by the diagnosis engine, the tools and the conversation engine.
 */
public final class WorkloadResolver {
    private WorkloadResolver() {
    }

    /** The object named {@code name} in {@code namespace} (any when null), kinds tried in {@link KubeKinds#LOOKUP_ORDER}. */
    public static Optional<HasMetadata> find(ClusterSnapshot s, String namespace, String name) {
        return KubeKinds.findByName(s, namespace, name);
    }

    /**
     * Names of objects of {@code kinds} in {@code namespace} (any when null) — controllers and Services first — that
     * look like a typo of {@code wanted} or contain it (or are contained in it); at most {@code limit}.
     */
    public static List<String> closeNames(ClusterSnapshot s, String namespace, String wanted, List<String> kinds,
                                          int limit) {
        String w = wanted.toLowerCase(Locale.ROOT);
        return names(s, namespace, kinds).stream().filter(n -> Text.close(n.toLowerCase(Locale.ROOT), w))
                .limit(limit).toList();
    }

    /** Names of objects of {@code kinds} in {@code namespace} (any when null), controllers and Services first. */
    public static List<String> names(ClusterSnapshot s, String namespace, List<String> kinds) {
        return s.objects().filter(o -> kinds.contains(o.getKind()))
                .filter(o -> namespace == null || namespace.equals(o.getMetadata().getNamespace()))
                .sorted(Comparator.comparingInt(o -> KubeKinds.ASKABLE.contains(o.getKind())
                        ? KubeKinds.ASKABLE.indexOf(o.getKind()) : KubeKinds.ASKABLE.size()))
                .map(o -> o.getMetadata().getName()).distinct().toList();
    }

    /**
     * The one way every part says a name is not there: {@code no workload named 'carts' in namespace 'shop'; close
     * matches: cart} — or, with no close match, the names that are there (at most 8, then how many more), or that the
     * namespace has none. {@code kind} narrows the wording ({@code no CronJob named …}) and the names; null means
     * any workload.
     */
    public static String notFound(ClusterSnapshot s, String namespace, String wanted, String kind) {
        List<String> kinds = kind == null ? NAMEABLE : List.of(kind);
        List<String> close = closeNames(s, namespace, wanted, kinds, 5);
        StringBuilder m = new StringBuilder("no ").append(kind == null ? "workload" : kind).append(" named '")
                .append(wanted).append('\'');
        if (namespace != null) m.append(" in namespace '").append(namespace).append('\'');
        if (!close.isEmpty()) return m.append("; close matches: ").append(String.join(", ", close)).toString();
        List<String> all = names(s, namespace, kinds);
        if (all.isEmpty()) {
            return m.append(namespace == null ? "; the cluster has none" : "; namespace '" + namespace + "' has none").toString();
        }
        m.append("; ").append(namespace == null ? "the cluster has: " : "it has: ")
                .append(String.join(", ", all.subList(0, Math.min(8, all.size()))));
        if (all.size() > 8) m.append(" (+").append(all.size() - 8).append(" more)");
        return m.toString();
    }

    /** The one way every part says a namespace is not there, with the namespaces that are. */
    public static String namespaceNotFound(ClusterSnapshot s, String namespace) {
        return "namespace '" + namespace + "' is not in the cluster; it has: " + String.join(", ", s.namespaceNames());
    }

    /** The kinds a workload name is looked for among (and listed from) in {@link #notFound}: the askable ones and pods. */
    private static final List<String> NAMEABLE = java.util.stream.Stream.concat(KubeKinds.ASKABLE.stream(),
            java.util.stream.Stream.of("Pod")).toList();

    /**
     * How to name an object to the diagnosis and the tools: its bare name when a bare name finds it (so every
     * part asks the diagnosis the same question and shares its cache), else {@code kind/name} (a Service named like a
     * Deployment, a Job named like its CronJob's pods).
     */
    public static String lookupName(ClusterSnapshot s, String namespace, String kind, String name) {
        if (kind == null) return name;
        boolean bare = find(s, namespace, name).filter(o -> o.getKind().equals(kind)).isPresent();
        return bare ? name : kind.toLowerCase(java.util.Locale.ROOT) + "/" + name;
    }

    /** The object {@code kind/name} (any kind when {@code kind} is null: {@link #find}). */
    public static Optional<HasMetadata> find(ClusterSnapshot s, String namespace, String kind, String name) {
        return kind == null ? find(s, namespace, name) : s.find(kind, namespace, name);
    }
}
