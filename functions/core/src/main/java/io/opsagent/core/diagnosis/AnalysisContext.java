package io.opsagent.core.diagnosis;

import io.opsagent.core.cluster.ClusterSnapshot;

/** What analyzers read: the snapshot, plus shared helpers (ownership, selectors) added as they are needed. */
public class AnalysisContext {
    private final ClusterSnapshot snapshot;

    public AnalysisContext(ClusterSnapshot snapshot) {
        this.snapshot = snapshot;
    }

    public ClusterSnapshot snapshot() {
        return snapshot;
    }
}
