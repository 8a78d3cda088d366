package io.opsagent.core.logs.search;

import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.cluster.ContainerLog;
import java.util.Objects;
import java.util.stream.Stream;

/** The logs held by a {@link ClusterSnapshot} (read from a cluster dump or from pasted evidence). */
public final class SnapshotLogSource implements LogSource {
    private final ClusterSnapshot snapshot;

    public SnapshotLogSource(ClusterSnapshot snapshot) {
        this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
    }

    @Override
    public Stream<ContainerLog> logs(LogQuery query) {
        return snapshot.logs().stream().filter(query::matchesScope);
    }

    @Override
    public String describe() {
        return snapshot.source();
    }
}
