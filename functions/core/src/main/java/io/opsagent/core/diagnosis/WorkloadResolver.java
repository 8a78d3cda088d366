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
    /** What people ask about first (controllers and Services), then the rest (pods, nodes, claims). */
    static final List<String> ASKABLE = List.of("Deployment", "StatefulSet", "DaemonSet", "CronJob", "Job", "Service");

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
                .sorted(Comparator.comparingInt(o -> ASKABLE.contains(o.getKind())
                        ? ASKABLE.indexOf(o.getKind()) : ASKABLE.size()))
                .map(o -> o.getMetadata().getName()).distinct().toList();
    }
}
