package io.opsagent.core.tools;

import io.opsagent.core.cluster.ClusterSnapshot;

/**
 * Port: the cluster state tools read. A cluster dump or pasted evidence gives a fixed snapshot; a live cluster
 * (later) reads the API for the asking user.
 */
public interface SnapshotProvider {

    ClusterSnapshot snapshot();

    /** True when live metrics (CPU/memory usage) can be read; false for dumps. */
    default boolean hasMetrics() {
        return false;
    }

    static SnapshotProvider of(ClusterSnapshot snapshot) {
        return () -> snapshot;
    }
}
