package io.opsagent.core.tools;

import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.logs.search.LogSource;
import io.opsagent.core.logs.search.SnapshotLogSource;
import java.util.Objects;

/**
 * Port: the cluster state tools read, and where their log search reads. A cluster dump or pasted evidence gives a
 * fixed snapshot whose logs are searched; a live cluster reads the API (and its logs from the API or CloudWatch),
 * possibly as the asking user ({@link #forUser}).
 */
public interface SnapshotProvider {

    ClusterSnapshot snapshot();

    /** True when live metrics (CPU/memory usage) can be read; false for dumps. */
    default boolean hasMetrics() {
        return false;
    }

    /**
     * Where {@code query_metrics} and {@code rightsize} read metrics (Prometheus, Container Insights); null when
     * OpsAgent was not told of any, and then those tools are not offered.
     */
    default io.opsagent.core.metrics.MetricsSource metrics() {
        return null;
    }

    /**
     * Whether this view's identity may change workloads in {@code namespace} at all (patch or update Deployments,
     * StatefulSets, DaemonSets or ConfigMaps), as a SelfSubjectRulesReview says: the write tools are offered only then.
     * A cheap filter, never the only check (a SubjectAccessReview runs before each write). True when it cannot tell.
     */
    default boolean mayChange(String namespace) {
        return true;
    }

    /** Where {@code search_logs} and {@code log_patterns} read: by default the logs held by the snapshot. */
    default LogSource logs() {
        return new SnapshotLogSource(snapshot());
    }

    /**
     * The view of {@code user} (e.g. a live cluster read with Kubernetes impersonation, so the cluster's RBAC
     * applies to that user); by default the same view for everyone.
     */
    default SnapshotProvider forUser(String user) {
        return this;
    }

    /**
     * The view of {@code user} with the groups of their token ({@code groups}): a live cluster impersonates the user
     * with those of the groups it maps to Kubernetes groups (others are never sent); by default {@link #forUser(String)}.
     */
    default SnapshotProvider forUser(String user, java.util.Collection<String> groups) {
        return forUser(user);
    }

    /** Who this view is on the cluster (the API server's SelfSubjectReview), or null when it cannot tell. */
    default Identity identity() {
        return null;
    }

    /** A user and their groups as the cluster authenticated them. */
    record Identity(String user, java.util.List<String> groups) {
    }

    /**
     * Drops what is cached (a live cluster's last snapshot, every user's), so the next {@link #snapshot()} reads the
     * source again: after a write, or after a SnapStart restore, when the cache may be from days ago. Nothing to do
     * for a fixed input.
     */
    default void invalidate() {
    }

    /**
     * How this cluster is changed once a human approved a change ({@link io.opsagent.core.actions.ActionService}),
     * or null when it cannot be (a dump or pasted evidence).
     */
    default io.opsagent.core.actions.ClusterActions actions() {
        return null;
    }

    static SnapshotProvider of(ClusterSnapshot snapshot) {
        return () -> snapshot;
    }

    /** {@code cluster} with its metrics read from {@code metrics} (per user too). */
    static SnapshotProvider withMetrics(SnapshotProvider cluster, io.opsagent.core.metrics.MetricsSource metrics) {
        Objects.requireNonNull(metrics, "metrics");
        return new Delegating(cluster, u -> withMetrics(u, metrics)) {
            @Override
            public io.opsagent.core.metrics.MetricsSource metrics() {
                return metrics;
            }
        };
    }

    /** {@code cluster} with its log search reading {@code logs} instead (per user too). */
    static SnapshotProvider withLogs(SnapshotProvider cluster, LogSource logs) {
        Objects.requireNonNull(logs, "logs");
        return new Delegating(cluster, u -> withLogs(u, logs)) {
            @Override
            public LogSource logs() {
                return logs;
            }
        };
    }

    /**
     * A view that answers as {@code cluster} does, for decorators to override one thing of; a user's view is the
     * cluster's user view decorated the same way ({@code again}).
     */
    abstract class Delegating implements SnapshotProvider {
        private final SnapshotProvider cluster;
        private final java.util.function.UnaryOperator<SnapshotProvider> again;

        protected Delegating(SnapshotProvider cluster, java.util.function.UnaryOperator<SnapshotProvider> again) {
            this.cluster = Objects.requireNonNull(cluster, "cluster");
            this.again = again;
        }

        @Override
        public ClusterSnapshot snapshot() {
            return cluster.snapshot();
        }

        @Override
        public boolean hasMetrics() {
            return cluster.hasMetrics();
        }

        @Override
        public io.opsagent.core.actions.ClusterActions actions() {
            return cluster.actions();
        }

        @Override
        public LogSource logs() {
            return cluster.logs();
        }

        @Override
        public io.opsagent.core.metrics.MetricsSource metrics() {
            return cluster.metrics();
        }

        @Override
        public boolean mayChange(String namespace) {
            return cluster.mayChange(namespace);
        }

        @Override
        public SnapshotProvider forUser(String user) {
            SnapshotProvider u = cluster.forUser(user);
            return u == cluster ? this : again.apply(u);
        }

        @Override
        public SnapshotProvider forUser(String user, java.util.Collection<String> groups) {
            SnapshotProvider u = cluster.forUser(user, groups);
            return u == cluster ? this : again.apply(u);
        }

        @Override
        public Identity identity() {
            return cluster.identity();
        }

        @Override
        public void invalidate() {
            cluster.invalidate();
        }
    }
}
