package io.opsagent.core.diagnosis.analyzers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.opsagent.core.cluster.ObjectKey;
import io.opsagent.core.diagnosis.AnalysisContext;
import io.opsagent.core.diagnosis.Analyzer;
import io.opsagent.core.diagnosis.Category;
import io.opsagent.core.diagnosis.EventGroup;
import io.opsagent.core.diagnosis.EvidenceSource;
import io.opsagent.core.diagnosis.Finding;
import io.opsagent.core.diagnosis.FindingBuilder;
import io.opsagent.core.diagnosis.Severity;
import java.util.ArrayList;
import java.util.List;

/**
 * Deployments, StatefulSets and DaemonSets whose replicas are not available: ProgressDeadlineExceeded, ReplicaFailure,
 * unavailable replicas. The engine links the finding to the pod-level finding that explains it.
 */
public final class RolloutAnalyzer implements Analyzer {

    @Override
    public List<Finding> analyze(AnalysisContext ctx) {
        List<Finding> out = new ArrayList<>();
        for (Deployment d : ctx.snapshot().deployments()) deployment(ctx, d, out);
        for (StatefulSet s : ctx.snapshot().statefulSets()) {
            if (s.getStatus() == null || s.getSpec() == null && s.getStatus().getReplicas() == null) continue;
            int want = s.getSpec() != null && s.getSpec().getReplicas() != null ? s.getSpec().getReplicas()
                    : s.getStatus().getReplicas() == null ? 1 : s.getStatus().getReplicas();
            int ready = s.getStatus() == null || s.getStatus().getReadyReplicas() == null ? 0 : s.getStatus().getReadyReplicas();
            if (want > 0 && ready < want && s.getStatus() != null) {
                String text = "readyReplicas: " + ready + " of replicas: " + want;
                out.add(build(ctx, s, want, ready, null, text, "status.readyReplicas", "statefulset"));
            }
        }
        for (DaemonSet d : ctx.snapshot().daemonSets()) {
            if (d.getStatus() == null) continue;
            int want = nz(d.getStatus().getDesiredNumberScheduled());
            int ready = nz(d.getStatus().getNumberReady());
            if (want > 0 && ready < want) {
                String text = "numberReady: " + ready + " of desiredNumberScheduled: " + want
                        + (d.getStatus().getNumberUnavailable() == null ? "" : ", numberUnavailable: " + d.getStatus().getNumberUnavailable());
                out.add(build(ctx, d, want, ready, null, text, "status.numberReady", "daemonset"));
            }
        }
        return out;
    }

    private void deployment(AnalysisContext ctx, Deployment d, List<Finding> out) {
        if (d.getStatus() == null) return;
        Integer specReplicas = d.getSpec() == null ? null : d.getSpec().getReplicas();
        if (specReplicas == null && d.getStatus().getReplicas() == null) return; // nothing known about the size
        int want = specReplicas != null ? specReplicas : d.getStatus().getReplicas();
        if (want == 0) return;
        int available = nz(d.getStatus().getAvailableReplicas());
        int updated = nz(d.getStatus().getUpdatedReplicas());
        List<DeploymentCondition> conds = d.getStatus().getConditions() == null ? List.of() : d.getStatus().getConditions();
        DeploymentCondition stuck = null;
        int stuckIdx = -1;
        for (int i = 0; i < conds.size(); i++) {
            DeploymentCondition c = conds.get(i);
            if ("Progressing".equals(c.getType()) && "False".equals(c.getStatus())
                    || "ReplicaFailure".equals(c.getType()) && "True".equals(c.getStatus())) {
                if (stuck == null || "ReplicaFailure".equals(c.getType())) {
                    stuck = c;
                    stuckIdx = i;
                }
            }
        }
        if (stuck == null && available >= want && updated >= want) return;
        if (stuck == null && available >= want) return; // rolling update in progress, capacity intact
        String text = "replicas: " + want + ", updatedReplicas: " + updated + ", availableReplicas: " + available
                + (d.getStatus().getUnavailableReplicas() == null ? "" : ", unavailableReplicas: " + d.getStatus().getUnavailableReplicas());
        out.add(build(ctx, d, want, available, stuck == null ? null : new Object[]{stuck, stuckIdx}, text,
                "status.availableReplicas", "deployment"));
    }

    private Finding build(AnalysisContext ctx, HasMetadata w, int want, int ready, Object[] cond, String statusText,
                          String statusField, String kubectlKind) {
        ObjectKey key = AnalysisContext.key(w);
        String ns = w.getMetadata().getNamespace();
        DeploymentCondition c = cond == null ? null : (DeploymentCondition) cond[0];
        Severity sev = ready == 0 || c != null && "ProgressDeadlineExceeded".equals(c.getReason()) || c != null
                && "ReplicaFailure".equals(c.getType()) ? Severity.CRITICAL : Severity.WARNING;
        String transition = c == null ? inTransition(ctx, key) : null;
        if (transition != null) sev = Severity.INFO; // a restart or rollout under way is not a stuck one
        StringBuilder s = new StringBuilder(OOMKilledAnalyzer.capitalize(Workloads.describe(key)));
        if (c != null && ready >= want && w instanceof Deployment d && d.getStatus() != null) {
            // the new version does not come up while the previous ReplicaSet keeps serving
            s.append("'s rollout is stuck: ").append(nz(d.getStatus().getUpdatedReplicas())).append(" of ").append(want)
                    .append(" replicas run the new version and ").append(nz(d.getStatus().getUnavailableReplicas()))
                    .append(" are unavailable; the previous version still serves");
        } else {
            s.append(" has ").append(ready).append(" of ").append(want).append(" replicas ")
                    .append(kubectlKind.equals("deployment") ? "available" : "ready");
        }
        if (c != null) s.append(" (").append(c.getReason()).append(": ").append(c.getMessage()).append(")");
        if (transition != null) s.append(": ").append(transition);
        s.append('.');
        FindingBuilder b = ctx.finding(Category.RolloutStuck, sev, key).summary(s.toString());
        b.evidence(ctx.evidence(w, statusField, EvidenceSource.STATUS, statusText));
        if (c != null) {
            b.evidence(ctx.evidence(w, "status.conditions[" + cond[1] + "]", EvidenceSource.STATUS,
                    c.getType() + "=" + c.getStatus() + " (" + c.getReason() + "): " + c.getMessage()));
        }
        ctx.warnings(w).stream().limit(1).forEach(e -> b.evidence(ctx.evidence(e)));
        // the ReplicaSets of a Deployment carry FailedCreate events and belong to it
        for (var rs : ctx.snapshot().replicaSets()) {
            if (rs.getMetadata().getOwnerReferences() != null && rs.getMetadata().getOwnerReferences().stream()
                    .anyMatch(o -> w.getMetadata().getName().equals(o.getName()) && "Deployment".equals(o.getKind()))
                    && java.util.Objects.equals(rs.getMetadata().getNamespace(), ns)) {
                b.about(AnalysisContext.key(rs));
                for (EventGroup e : ctx.warnings(rs, "FailedCreate")) b.evidence(ctx.evidence(e));
            }
        }
        b.about(ctx.podsOf(key).stream().map(AnalysisContext::key).toList());
        b.fix("Fix the cause (linked finding), then follow the rollout: kubectl rollout status " + kubectlKind + "/"
                + w.getMetadata().getName() + Workloads.ns(ns));
        b.fix("If the latest change broke it, roll back: kubectl rollout undo " + kubectlKind + "/" + w.getMetadata().getName()
                + Workloads.ns(ns));
        return b.build();
    }

    /** Pods younger than this are starting: a workload whose only unready pods are starting is not stuck. */
    static final java.time.Duration STARTING = java.time.Duration.ofMinutes(2);

    /**
     * Why the workload's missing replicas are a transition, not a failure: every pod that is not ready is terminating
     * or was created moments ago (a restart, a rollout, a rescheduled pod); null when one is not, or nothing is known.
     */
    private static String inTransition(AnalysisContext ctx, ObjectKey key) {
        List<io.fabric8.kubernetes.api.model.Pod> pods = ctx.podsOf(key);
        List<io.fabric8.kubernetes.api.model.Pod> notReady = pods.stream().filter(p -> !ready(p)).toList();
        if (notReady.isEmpty()) return null;
        int terminating = 0;
        int starting = 0;
        java.time.Instant now = ctx.now();
        for (var p : notReady) {
            if (p.getMetadata().getDeletionTimestamp() != null) {
                terminating++;
                continue;
            }
            java.time.Instant created = AnalysisContext.parse(p.getMetadata().getCreationTimestamp());
            if (created == null || now == null || java.time.Duration.between(created, now).compareTo(STARTING) > 0) return null;
            if (failing(p)) return null; // a young pod that already crashes or cannot start is not just starting
            starting++;
        }
        return (terminating > 0 ? terminating + " pod" + (terminating == 1 ? " is" : "s are") + " terminating" : "")
                + (terminating > 0 && starting > 0 ? " and " : "")
                + (starting > 0 ? starting + " pod" + (starting == 1 ? " was" : "s were") + " created less than "
                + STARTING.toMinutes() + " minutes ago" : "")
                + ": a restart or rollout in progress, not a stuck one";
    }

    private static boolean ready(io.fabric8.kubernetes.api.model.Pod p) {
        return p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static boolean failing(io.fabric8.kubernetes.api.model.Pod p) {
        if (p.getStatus() == null || p.getStatus().getContainerStatuses() == null) return false;
        return p.getStatus().getContainerStatuses().stream().anyMatch(cs -> cs.getRestartCount() != null && cs.getRestartCount() > 0
                || cs.getState() != null && cs.getState().getWaiting() != null && cs.getState().getWaiting().getReason() != null
                && !List.of("ContainerCreating", "PodInitializing").contains(cs.getState().getWaiting().getReason()));
    }

    private static int nz(Integer i) {
        return i == null ? 0 : i;
    }
}
