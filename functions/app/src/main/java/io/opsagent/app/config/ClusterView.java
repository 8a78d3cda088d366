package io.opsagent.app.config;

import io.opsagent.core.tools.SnapshotProvider;
import java.nio.file.Path;
import java.util.List;

/**
 * The cluster the settings select, opened: the {@link SnapshotProvider} the engine, its tools and the workloads
 * API read (log search included), and what to tell the user about it. Closing it closes the Kubernetes and AWS
 * clients it opened.
 *
 * @param provider  the cluster view (per user with impersonation: {@link SnapshotProvider#forUser})
 * @param inputDir  the dump or evidence directory citations refer to; null for a live cluster
 * @param describe  one line: which cluster, e.g. "context prod (live, all namespaces)"
 * @param logSource one line: where log search reads
 * @param live      true for a live cluster (kubeconfig context or EKS)
 */
public record ClusterView(SnapshotProvider provider, Path inputDir, String describe, String logSource, boolean live,
                          List<AutoCloseable> resources) implements AutoCloseable {

    public ClusterView {
        resources = List.copyOf(resources);
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                if (first == null) first = new IllegalStateException("closing " + r + " failed: " + e, e);
            }
        }
        if (first != null) throw first;
    }
}
