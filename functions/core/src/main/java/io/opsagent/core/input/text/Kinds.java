package io.opsagent.core.input.text;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.opsagent.core.cluster.KubeKinds;
import java.util.Set;

/** The text reader's view of {@link KubeKinds}, plus the kubectl verbs it recognises in a command line. */
final class Kinds {
    private static final Set<String> VERBS = Set.of("get", "describe", "logs", "log", "events", "top", "explain");

    private Kinds() {
    }

    /** The kind for a kubectl resource word ("po", "deployments.apps", "Pod"); the word itself if unknown. */
    static String canonical(String word) {
        return KubeKinds.canonical(word);
    }

    static boolean known(String kind) {
        return KubeKinds.known(kind);
    }

    static Class<? extends HasMetadata> type(String kind) {
        return KubeKinds.type(kind);
    }

    static String apiVersion(String kind) {
        return KubeKinds.apiVersion(kind);
    }

    static boolean isVerb(String word) {
        return word != null && VERBS.contains(word);
    }

    static boolean clusterScoped(String kind) {
        return KubeKinds.clusterScoped(kind);
    }
}
