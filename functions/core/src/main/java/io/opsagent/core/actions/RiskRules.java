package io.opsagent.core.actions;

import java.util.ArrayList;
import java.util.List;

/**
 * The risk of a change, with its reasons. {@code high} and two approvers for a deletion, a scale to zero and any
 * change in a production namespace; {@code high} when a single-replica workload restarts (it is down meanwhile) or
 * the dry run failed; {@code medium} when pods restart or a configuration every pod reads changes; else {@code low}.
 */
public final class RiskRules {
    private RiskRules() {
    }

    public static Proposal.Risk assess(Action a, Proposal.DryRun dry, Proposal.BlastRadius blast, ApprovalPolicy policy) {
        List<String> reasons = new ArrayList<>();
        boolean two = false;
        int level = 0; // 0 low, 1 medium, 2 high
        if (!dry.ok()) {
            level = 2;
            reasons.add("the API server refused the dry run: " + dry.error());
        }
        if (a.kind() == ActionKind.DELETE_POD) {
            level = 2;
            two = true;
            reasons.add("deletes pod " + a.name() + " (its controller, if any, makes a new one)");
        }
        if (a.kind() == ActionKind.SCALE && blast.replicasAfter() != null && blast.replicasAfter() == 0) {
            level = 2;
            two = true;
            reasons.add("scales to 0: the workload stops serving");
        } else if (a.kind() == ActionKind.SCALE && blast.replicasBefore() != null && blast.replicasAfter() != null
                && blast.replicasAfter() < blast.replicasBefore()) {
            level = Math.max(level, 1);
            reasons.add("scales down from " + blast.replicasBefore() + " to " + blast.replicasAfter() + " replicas");
        }
        if (policy.production().contains(a.namespace())) {
            level = 2;
            two = true;
            reasons.add("namespace " + a.namespace() + " is marked production");
        }
        int restarting = blast.podsRestarting().size();
        if (restarting > 0) {
            level = Math.max(level, 1);
            reasons.add(restarting + " pod" + (restarting == 1 ? "" : "s") + " will be replaced");
            if (blast.replicasBefore() != null && blast.replicasBefore() == 1) {
                level = 2;
                reasons.add("a single replica: the workload is unavailable while its pod is replaced");
            }
        }
        if (a.kind() == ActionKind.PATCH_CONFIGMAP) {
            level = Math.max(level, 1);
            reasons.add("pods read a ConfigMap when they start: running pods keep the old value until they restart");
        }
        if (a.kind() == ActionKind.APPLY_MANIFEST) {
            level = Math.max(level, 1);
            reasons.add("creates or updates a " + a.targetKind() + " by server-side apply");
        }
        if (!blast.services().isEmpty() && restarting > 0) {
            reasons.add("serves Services " + String.join(", ", blast.services()));
        }
        if (reasons.isEmpty()) reasons.add("no pod restarts and nothing is removed");
        return new Proposal.Risk(level == 2 ? "high" : level == 1 ? "medium" : "low", reasons, two);
    }
}
