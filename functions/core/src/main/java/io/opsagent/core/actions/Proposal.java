package io.opsagent.core.actions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An action proposal: the exact action and its hash, what a server-side dry run says it changes, who and what it
 * touches, how risky it is, who asked, and where it is in its life. Stored server-side; its {@code version} grows by
 * one with every stored change, and a change is stored only over the version it was made from.
 *
 * @param id            {@code act-…}
 * @param action        the action; its {@link Action#hash()} is {@code hash}
 * @param hash          what an approver must name to approve
 * @param target        the target object as it was when proposed (resourceVersion, generation), or null if absent
 * @param dryRun        the server-side dry run ({@code dryRun=All}) of the action, as the requester
 * @param blast         pods that will restart, replicas, Services that select them
 * @param risk          level and reasons
 * @param cost          monthly cost change where there is one, else null
 * @param requester     who asked (the user of the run)
 * @param runId         the run that proposed it, or null
 * @param sessionId     its chat session, or null
 * @param correlationId the request that proposed it
 * @param createdAt     when proposed
 * @param expiresAt     when it can no longer be approved
 * @param status        where it is
 * @param decisions     approvals and rejections, in order
 * @param execution     what was sent to the cluster, or null
 * @param verification  the rollout and health check after it, or null
 * @param version       the stored version (0 before it is stored)
 */
public record Proposal(String id, Action action, String hash, Target target, DryRun dryRun, BlastRadius blast,
                       Risk risk, Cost cost, String requester, String runId, String sessionId, String correlationId,
                       Instant createdAt, Instant expiresAt, ProposalStatus status, List<Decision> decisions,
                       Execution execution, Verification verification, long version) {
    public Proposal {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(status, "status");
        decisions = decisions == null ? List.of() : List.copyOf(decisions);
        if (!action.hash().equals(hash)) {
            throw new IllegalArgumentException("proposal " + id + ": hash " + hash + " is not the action's " + action.hash());
        }
    }

    /** The object as read when proposed. */
    public record Target(String resourceVersion, Long generation, String uid) {
    }

    /**
     * The dry run's outcome: {@code error} null when the API server accepted it; {@code diff} the fields that change.
     */
    public record DryRun(String error, List<FieldChange> diff) {
        public DryRun {
            diff = diff == null ? List.of() : List.copyOf(diff);
        }

        public boolean ok() {
            return error == null;
        }
    }

    /** Who and what the change touches. */
    public record BlastRadius(List<String> podsRestarting, Integer replicasBefore, Integer replicasAfter,
                              List<String> services) {
        public BlastRadius {
            podsRestarting = podsRestarting == null ? List.of() : List.copyOf(podsRestarting);
            services = services == null ? List.of() : List.copyOf(services);
        }
    }

    /**
     * How risky: {@code low}, {@code medium}, {@code high}, with every reason; and the namespace quotas without room
     * for the new pods the change makes (each also a reason).
     */
    public record Risk(String level, List<String> reasons, boolean twoApprovers, List<QuotaCheck.Shortfall> quota) {
        public Risk {
            reasons = reasons == null ? List.of() : List.copyOf(reasons);
            quota = quota == null ? List.of() : List.copyOf(quota);
        }

        public Risk(String level, List<String> reasons, boolean twoApprovers) {
            this(level, reasons, twoApprovers, List.of());
        }
    }

    /** Monthly cost change: {@code perMonthUsd} (signed) and how it was computed. */
    public record Cost(double perMonthUsd, String basis) {
        /** "about +$15/month". */
        public String text() {
            long r = Math.round(perMonthUsd);
            return "about " + (r >= 0 ? "+" : "-") + "$" + Math.abs(r) + "/month";
        }
    }

    /** One approval or rejection: who, when, the hash they saw, why. */
    public record Decision(String user, Instant at, boolean approve, String hashSeen, String reason) {
    }

    /**
     * What was sent: as whom, the request (method, path, patch type, body), when, and the API server's answer (the
     * resulting resourceVersion, or the error).
     */
    public record Execution(String asUser, List<String> asGroups, String method, String path, String patchType,
                            String body, Instant at, String resultVersion, String error) {
        public Execution {
            asGroups = asGroups == null ? List.of() : List.copyOf(asGroups);
        }
    }

    /**
     * After the change: {@code outcome} {@code succeeded} / {@code failed} / {@code inconclusive}, what the rollout
     * did, and the health check's findings that are new.
     */
    public record Verification(String outcome, String rollout, List<String> newProblems, Instant at) {
        public Verification {
            newProblems = newProblems == null ? List.of() : List.copyOf(newProblems);
        }
    }

    /** Approvals so far (distinct users). */
    public List<String> approvers() {
        return decisions.stream().filter(Decision::approve).map(Decision::user).distinct().toList();
    }

    public Proposal withStatus(ProposalStatus s) {
        return new Proposal(id, action, hash, target, dryRun, blast, risk, cost, requester, runId, sessionId,
                correlationId, createdAt, expiresAt, s, decisions, execution, verification, version);
    }

    public Proposal withDecision(Decision d) {
        List<Decision> all = new ArrayList<>(decisions);
        all.add(d);
        return new Proposal(id, action, hash, target, dryRun, blast, risk, cost, requester, runId, sessionId,
                correlationId, createdAt, expiresAt, status, all, execution, verification, version);
    }

    public Proposal withExecution(Execution e) {
        return new Proposal(id, action, hash, target, dryRun, blast, risk, cost, requester, runId, sessionId,
                correlationId, createdAt, expiresAt, status, decisions, e, verification, version);
    }

    public Proposal withVerification(Verification v) {
        return new Proposal(id, action, hash, target, dryRun, blast, risk, cost, requester, runId, sessionId,
                correlationId, createdAt, expiresAt, status, decisions, execution, v, version);
    }

    public Proposal withVersion(long v) {
        return new Proposal(id, action, hash, target, dryRun, blast, risk, cost, requester, runId, sessionId,
                correlationId, createdAt, expiresAt, status, decisions, execution, verification, v);
    }
}
