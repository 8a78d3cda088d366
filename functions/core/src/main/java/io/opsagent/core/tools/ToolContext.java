package io.opsagent.core.tools;

import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.diagnosis.CachingDiagnosis;
import io.opsagent.core.logs.search.LogSource;

/**
 * What a tool call runs against: the session's scope and the cluster view.
 *
 * @param runId     correlation id of the run
 * @param user      the user the run belongs to
 * @param namespace the session's namespace (default when the model omits it)
 * @param workload  the session's workload name, or null for a namespace session ({@code ns/*})
 * @param cluster   where cluster state is read: the view of {@code user} ({@link SnapshotProvider#forUser})
 * @param diagnosis the diagnosis the tools ask (the conversation engine's one cache); a new one when null
 * @param workloadKind the session workload's kind when the session names one ({@code shop/service/catalog}), else null
 * @param actions   where write tools propose changes (null: the cluster cannot be changed), and the session's id
 * @param changes   the change chain (null: none here)
 */
public record ToolContext(String runId, String user, String namespace, String workload, SnapshotProvider cluster,
                          CachingDiagnosis diagnosis, String workloadKind, io.opsagent.core.actions.ActionService actions,
                          String sessionId, io.opsagent.core.changes.ChangeService changes) {

    public ToolContext(String runId, String user, String namespace, String workload, SnapshotProvider cluster,
                       CachingDiagnosis diagnosis, String workloadKind, io.opsagent.core.actions.ActionService actions,
                       String sessionId) {
        this(runId, user, namespace, workload, cluster, diagnosis, workloadKind, actions, sessionId, null);
    }

    public ToolContext {
        if (user != null && cluster != null) cluster = cluster.forUser(user);
        if (diagnosis == null) diagnosis = CachingDiagnosis.standard();
    }

    /** A context without write actions. */
    public ToolContext(String runId, String user, String namespace, String workload, SnapshotProvider cluster,
                       CachingDiagnosis diagnosis, String workloadKind) {
        this(runId, user, namespace, workload, cluster, diagnosis, workloadKind, null, null);
    }

    /** A context whose session workload is looked up by name. */
    public ToolContext(String runId, String user, String namespace, String workload, SnapshotProvider cluster,
                       CachingDiagnosis diagnosis) {
        this(runId, user, namespace, workload, cluster, diagnosis, null);
    }

    /** A context with a diagnosis of its own (the command line's one-off tool calls, tests). */
    public ToolContext(String runId, String user, String namespace, String workload, SnapshotProvider cluster) {
        this(runId, user, namespace, workload, cluster, null);
    }

    /** The cluster state to read. */
    public ClusterSnapshot snapshot() {
        return cluster.snapshot();
    }

    /** Where log search reads. */
    public LogSource logs() {
        return cluster.logs();
    }
}
