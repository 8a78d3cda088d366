package io.opsagent.core.diagnosis;

import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.input.InputException;
import java.util.List;

/** Runs every analyzer, links symptoms to root causes, and scopes the result to a workload. */
public final class DiagnosisEngine {

    /** Everything wrong in the snapshot. */
    public Diagnosis diagnose(ClusterSnapshot snapshot) {
        return new Diagnosis(List.of());
    }

    /**
     * The findings that explain one workload (Deployment, StatefulSet, DaemonSet, Job, CronJob, Service or Pod),
     * including causes that live elsewhere (its pods, nodes, quotas).
     *
     * @param namespace null to search every namespace
     * @throws InputException if no such workload is in the snapshot
     */
    public Diagnosis diagnose(ClusterSnapshot snapshot, String namespace, String workload) throws InputException {
        return diagnose(snapshot);
    }
}
