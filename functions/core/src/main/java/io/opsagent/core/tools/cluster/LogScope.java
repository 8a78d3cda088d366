package io.opsagent.core.tools.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.opsagent.core.cluster.ObjectKey;
import io.opsagent.core.logs.search.LogQuery;
import java.util.Set;
import java.util.stream.Collectors;

/** Sets a log query's scope (namespace, workload or pod) from a {@link Target}. */
final class LogScope {
    /** The controllers ({@link io.opsagent.core.cluster.KubeKinds#CONTROLLERS}) and ReplicaSets: owners of pods. */
    private static final Set<String> WORKLOAD_KINDS = java.util.stream.Stream.concat(
            io.opsagent.core.cluster.KubeKinds.CONTROLLERS.stream(), java.util.stream.Stream.of("ReplicaSet"))
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    private LogScope() {
    }

    static LogQuery.Builder apply(Target t, String pod, LogQuery.Builder b) {
        b.namespace(t.namespace());
        if (pod != null) return b.pod(pod);
        if (t.object() == null) return b;
        String kind = t.object().getKind();
        if (t.object() instanceof Pod p) return b.pod(p.getMetadata().getName());
        if (WORKLOAD_KINDS.contains(kind)) return b.workload(t.object().getMetadata().getName());
        // a Service (or a Node): the workload of its pods when they share one
        Set<ObjectKey> owners = t.pods().stream().map(p -> t.ctx().workloadOf(p)).collect(Collectors.toSet());
        if (owners.size() == 1 && WORKLOAD_KINDS.contains(owners.iterator().next().kind())) {
            return b.workload(owners.iterator().next().name());
        }
        if (t.pods().size() == 1) return b.pod(t.pods().get(0).getMetadata().getName());
        return b;
    }
}
