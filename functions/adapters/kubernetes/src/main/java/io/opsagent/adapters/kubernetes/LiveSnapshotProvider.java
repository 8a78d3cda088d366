package io.opsagent.adapters.kubernetes;

import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.tools.SnapshotProvider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * {@link SnapshotProvider} over the live API: reads a namespace (or all) with {@link LiveClusterReader} and keeps the
 * snapshot for a short TTL, so the several tool calls of one agent turn see one consistent state and do not each
 * list the whole namespace. Thread-safe.
 */
public final class LiveSnapshotProvider implements SnapshotProvider {

    /** Default time a snapshot is reused. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(15);

    private final LiveClusterReader reader;
    private final String namespace;
    private final Duration ttl;
    private final Clock clock;
    private ClusterSnapshot cached;
    private Instant readAt;

    public LiveSnapshotProvider(LiveClusterReader reader, String namespace) {
        this(reader, namespace, DEFAULT_TTL, Clock.systemUTC());
    }

    /** @param namespace the namespace read, or null for all namespaces */
    public LiveSnapshotProvider(LiveClusterReader reader, String namespace, Duration ttl, Clock clock) {
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("snapshot TTL must not be negative, was " + ttl);
        }
        this.reader = reader;
        this.namespace = namespace;
        this.ttl = ttl;
        this.clock = clock;
    }

    @Override
    public synchronized ClusterSnapshot snapshot() {
        Instant now = clock.instant();
        if (cached == null || !now.isBefore(readAt.plus(ttl))) {
            cached = reader.read(namespace);
            readAt = now;
        }
        return cached;
    }

    /** Drops the cached snapshot (e.g. after a write), so the next call reads the API again. */
    @Override
    public synchronized void invalidate() {
        cached = null;
    }
}
