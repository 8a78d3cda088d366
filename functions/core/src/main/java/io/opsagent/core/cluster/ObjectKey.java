package io.opsagent.core.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Identity of a Kubernetes object: kind, namespace (null for cluster-scoped), name. */
public record ObjectKey(String kind, String namespace, String name) {
    public static ObjectKey of(HasMetadata o) {
        return new ObjectKey(o.getKind(), o.getMetadata().getNamespace(), o.getMetadata().getName());
    }

    @Override
    public String toString() {
        return (namespace == null ? "" : namespace + "/") + kind + "/" + name;
    }
}
