package io.opsagent.core.actions;

import static io.opsagent.core.actions.ActionException.Reason.BAD_INPUT;
import static io.opsagent.core.actions.ActionException.Reason.CONFLICT;
import static io.opsagent.core.actions.ActionException.Reason.EXPIRED;
import static io.opsagent.core.actions.ActionException.Reason.FORBIDDEN;
import static io.opsagent.core.actions.ActionException.Reason.NOT_FOUND;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Quantity;
import io.opsagent.core.actions.ClusterActions.Identity;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.cluster.ObjectKey;
import io.opsagent.core.diagnosis.AnalysisContext;
import io.opsagent.core.diagnosis.DiagnosisEngine;
import io.opsagent.core.diagnosis.Finding;
import io.opsagent.core.diagnosis.Severity;
import io.opsagent.core.tools.SnapshotProvider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Write actions, from proposal to verified outcome — the one place their rules live:
 * <ol>
 *   <li>{@link #propose}: never changes the cluster. Reads the target, dry-runs the action on the API server as the
 *       requester ({@code dryRun=All}), keeps the fields that change, the blast radius, the risk and the cost, and
 *       stores the proposal ({@code pending}, expiring after the policy's expiry) with the action's hash.</li>
 *   <li>{@link #approve}: only with the hash of the action the approver saw; not after expiry, not twice, not by the
 *       requester under separation of duties, not by a non-approver; two distinct approvers where the risk says so.
 *       Every change of a proposal is a conditional write over the version it was read at, so of two concurrent
 *       approvals one wins and the other is told.</li>
 *   <li>Execution (on the last approval): exactly once ({@code approved → executing} is conditional). Re-reads the
 *       target; if it changed since the proposal and a fresh dry run's diff differs from the approved one, the
 *       proposal is {@code stale} and nothing is sent. A SubjectAccessReview must allow the request for the
 *       approver and the requester; the request is sent impersonating the approver.</li>
 *   <li>Verification: the rollout ({@code kubectl rollout status} semantics), then a health check through the
 *       diagnosis (problems of the workload that were not there before). {@code succeeded} or {@code failed}; when a
 *       Deployment's change failed, a rollback proposal is made (it too waits for a human).</li>
 * </ol>
 * Every step is appended to the {@link AuditLog}.
 */
public final class ActionService {
    /** The actor of what OpsAgent does itself (verification, a rollback proposal after a failed change). */
    public static final String SYSTEM = "opsagent";
    /** How long a rollout is followed before the outcome is called inconclusive. */
    public static final Duration DEFAULT_ROLLOUT_TIMEOUT = Duration.ofMinutes(5);

    private final ClusterActions cluster;
    private final ProposalStore store;
    private final AuditLog audit;
    private final ApprovalPolicy policy;
    private final SnapshotProvider snapshots;
    private final Clock clock;
    private final Executor verifier;
    private final Duration rolloutTimeout;
    private final ComputePrices prices;
    private volatile Consumer<Proposal> listener = p -> { };
    private volatile Orchestration orchestration;

    /**
     * @param snapshots the cluster as the product reads it (blast radius, health check); may be null
     * @param verifier  where the rollout is followed after an execution (a direct executor in tests)
     */
    public ActionService(ClusterActions cluster, ProposalStore store, AuditLog audit, ApprovalPolicy policy,
                         SnapshotProvider snapshots, Clock clock, Executor verifier, Duration rolloutTimeout) {
        this.cluster = cluster;
        this.store = store;
        this.audit = audit;
        this.policy = policy == null ? ApprovalPolicy.LOCAL : policy;
        this.snapshots = snapshots;
        this.clock = clock;
        this.verifier = verifier;
        this.rolloutTimeout = rolloutTimeout == null ? DEFAULT_ROLLOUT_TIMEOUT : rolloutTimeout;
        this.prices = ComputePrices.FARGATE_US_EAST_1;
    }

    public ApprovalPolicy policy() {
        return policy;
    }

    /** The audit log every step is appended to. */
    public AuditLog audit() {
        return audit;
    }

    /** Hears every proposal as it is stored (status changes included): the chat streams them. */
    public void onChange(Consumer<Proposal> l) {
        this.listener = l == null ? p -> { } : l;
    }

    /**
     * What runs some proposals as one step of a longer process (the change chain): an approval of such a proposal
     * answers that process, which executes it later with {@link #executeApproved}; a rejection answers it too.
     */
    public interface Orchestration {
        boolean owns(Proposal p);

        void approved(Proposal p, Requester by);

        void rejected(Proposal p, Requester by, String reason);

        /** An approver narrowed {@code original} into {@code derived} (its own hash): the process follows it now. */
        default void narrowed(Proposal original, Proposal derived, Requester by) {
        }

        /** The execution window an approver set for {@code p}, told before {@code p} is approved. */
        default void window(Proposal p, Instant notBefore, Instant notAfter) {
        }
    }

    public void orchestration(Orchestration o) {
        this.orchestration = o;
    }

    /** Who asks, and from where. */
    public record Requester(String user, List<String> groups, String runId, String sessionId, String correlationId) {
        public Requester {
            groups = groups == null ? List.of() : List.copyOf(groups);
        }

        public Identity identity() {
            return new Identity(user, groups);
        }
    }

    /**
     * Proposes {@code action} for {@code by}. A rollback without a revision goes to the revision before the current
     * one. Nothing in the cluster changes.
     *
     * @throws ActionException BAD_INPUT when the target does not exist or the action would change nothing
     */
    public Proposal propose(Action action, Requester by) {
        return propose(action, by, by.identity());
    }

    /**
     * As {@link #propose(Action, Requester)}, with the dry run made as {@code dryRunAs}: a rollback OpsAgent proposes
     * itself after a failed change is dry-run as the approver who made that change (OpsAgent's own identity writes
     * nothing, not even in a dry run).
     */
    public Proposal propose(Action action, Requester by, Identity dryRunAs) {
        if (action.kind() == ActionKind.ROLLBACK && !action.params().has("revision")) {
            Integer prev = cluster.previousRevision(action.namespace(), action.name());
            if (prev == null) {
                throw new ActionException(BAD_INPUT, "deployment " + action.namespace() + "/" + action.name()
                        + " has no earlier revision to roll back to");
            }
            action = Action.of(ActionKind.ROLLBACK, action.namespace(), action.targetKind(), action.name(),
                    com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("revision", prev));
        }
        JsonNode current = cluster.read(action);
        if (current == null && action.kind() != ActionKind.APPLY_MANIFEST) {
            throw new ActionException(BAD_INPUT, action.targetKind() + " " + action.namespace() + "/" + action.name()
                    + " does not exist");
        }
        ClusterActions.DryRunResult dr = cluster.dryRun(action, dryRunAs);
        List<FieldChange> diff = diffOf(action, dr);
        if (dr.error() == null && diff.isEmpty() && action.kind() != ActionKind.DELETE_POD) {
            throw new ActionException(BAD_INPUT, action.summary() + " changes nothing: " + action.target()
                    + " is already so");
        }
        Proposal.DryRun dry = new Proposal.DryRun(dr.error(), diff);
        Proposal.BlastRadius blast = blast(action, current, dr.after(), diff);
        Proposal.Risk risk = RiskRules.assess(action, dry, blast, policy);
        List<QuotaCheck.Shortfall> quota = quotaShortfalls(action, dr);
        if (!quota.isEmpty()) {
            List<String> reasons = new ArrayList<>(quota.stream().map(QuotaCheck.Shortfall::text).toList());
            reasons.addAll(risk.reasons());
            risk = new Proposal.Risk("high", reasons, risk.twoApprovers(), quota);
        }
        Instant now = clock.instant();
        Proposal p = new Proposal("act-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12), action,
                action.hash(), target(current), dry, blast, risk, cost(action, current, dr.after()), by.user(),
                by.runId(), by.sessionId(), by.correlationId(), now, now.plus(policy.expiry()), ProposalStatus.PENDING,
                List.of(), null, null, 0);
        Proposal stored = store.create(p);
        audit.append(new AuditRecord.Entry("proposed", by.user(), p.id(), action.target(), action.kind().id(),
                AuditRecord.detail("hash", p.hash(), "action", action.toJson(), "dryRunError", dr.error(),
                        "diff", diff.stream().map(FieldChange::text).toList(), "risk", risk.level(),
                        "runId", by.runId(), "sessionId", by.sessionId(), "correlationId", by.correlationId())));
        listener.accept(stored);
        return stored;
    }

    /**
     * After a restart (the data directory is this process's now): a proposal left {@code approved} was never sent,
     * and is failed so; one left {@code executing} after its request was sent has its rollout followed again. None
     * stays in between. Returns how many were found.
     */
    public int recover() {
        int n = 0;
        for (ProposalStatus st : List.of(ProposalStatus.APPROVED, ProposalStatus.EXECUTING)) {
            for (Proposal p : store.list(st, 500)) {
                n++;
                if (p.execution() == null) {
                    Proposal at = p.status() == ProposalStatus.APPROVED ? move(p, p.withStatus(ProposalStatus.EXECUTING)) : p;
                    finish(at, ProposalStatus.FAILED, "failed", SYSTEM,
                            "OpsAgent stopped before the change was sent; nothing was changed: propose it again", null);
                } else {
                    verifier.execute(() -> verify(p, Set.of()));
                }
            }
        }
        return n;
    }

    /** The proposal, expired first if its time is up. */
    public Proposal get(String id) {
        Proposal p = store.get(id).orElseThrow(() -> new ActionException(NOT_FOUND, "no action proposal " + id));
        return expireIfDue(p);
    }

    /** Proposals, newest first ({@code status} null: all), the due ones expired first. */
    public List<Proposal> list(ProposalStatus status, int limit) {
        List<Proposal> out = new ArrayList<>();
        for (Proposal p : store.list(status, limit)) {
            Proposal q = expireIfDue(p);
            if (status == null || q.status() == status) out.add(q);
        }
        return out;
    }

    /**
     * Approves {@code id} as {@code by}, who saw the action with {@code hashSeen}; executes it when this was the last
     * approval needed. Returns the proposal as it is after this call (executing, or pending a second approver).
     */
    public Proposal approve(String id, Requester by, String hashSeen) {
        Proposal p = approvable(id, by, hashSeen);
        Proposal.Decision d = new Proposal.Decision(by.user(), clock.instant(), true, hashSeen.strip(), null);
        Proposal next = p.withDecision(d);
        boolean complete = !p.risk().twoApprovers() || next.approvers().size() >= 2;
        next = next.withStatus(complete ? ProposalStatus.APPROVED : ProposalStatus.PENDING);
        Proposal stored = store.replace(p, next).orElseThrow(() -> new ActionException(CONFLICT,
                "proposal " + id + " was decided by someone else meanwhile; reload it"));
        audit.append(new AuditRecord.Entry("approved", by.user(), id, p.action().target(), p.action().kind().id(),
                AuditRecord.detail("hashSeen", hashSeen.strip(), "approvals", next.approvers().size(),
                        "needed", p.risk().twoApprovers() ? 2 : 1)));
        listener.accept(stored);
        if (!complete) return stored;
        Orchestration o = orchestration;
        if (o != null && o.owns(stored)) {
            o.approved(stored, by); // executed by its process, as this approver
            return stored;
        }
        return execute(stored, by, true);
    }

    /**
     * Approves {@code id} as {@code by}, who saw it with {@code hashSeen}, under {@code conditions} that only narrow it
     * ({@link Conditions}): a smaller value becomes a new proposal of the same requester with its own hash, which
     * {@code by} approves (the asked one ends, {@code narrowed}); an execution window applies to a change's proposal
     * (its chain waits for the window, and a closed window makes it stale). No conditions: {@link #approve}.
     *
     * @throws ActionException BAD_INPUT naming what widens the change or is malformed; the refusals of approve
     */
    public Proposal approve(String id, Requester by, String hashSeen, Conditions conditions) {
        if (conditions == null || conditions.isEmpty()) return approve(id, by, hashSeen);
        Proposal p = approvable(id, by, hashSeen);
        Orchestration o = orchestration;
        boolean chained = o != null && o.owns(p);
        Instant now = clock.instant();
        if (conditions.hasWindow()) {
            if (!chained) {
                throw new ActionException(BAD_INPUT, "an execution window applies to changes (their chain waits for it); "
                        + "this proposal executes when it is approved");
            }
            if (conditions.notAfter() != null && !conditions.notAfter().isAfter(now)) {
                throw new ActionException(BAD_INPUT, "notAfter " + conditions.notAfter() + " has passed");
            }
            if (conditions.notBefore() != null && conditions.notAfter() != null
                    && !conditions.notBefore().isBefore(conditions.notAfter())) {
                throw new ActionException(BAD_INPUT, "notBefore must be before notAfter");
            }
            if (conditions.notBefore() != null && conditions.notBefore().isAfter(now.plus(Duration.ofDays(7)))) {
                throw new ActionException(BAD_INPUT, "notBefore is more than 7 days away: propose the change nearer the time");
            }
        }
        Proposal target = p;
        if (conditions.params() != null) {
            Action narrowed = Action.of(p.action().kind(), p.action().namespace(), p.action().targetKind(), p.action().name(),
                    conditions.params());
            String widens = Conditions.widens(p.action(), narrowed, cluster.read(p.action()));
            if (widens != null) throw new ActionException(BAD_INPUT, widens);
            Proposal derived = propose(narrowed, new Requester(p.requester(), List.of(), p.runId(), p.sessionId(),
                    p.correlationId()));
            Proposal closed = store.replace(p, p.withDecision(new Proposal.Decision(by.user(), now, false, hashSeen.strip(),
                    "narrowed to " + derived.id() + ": " + narrowed.summary())).withStatus(ProposalStatus.REJECTED))
                    .orElseThrow(() -> new ActionException(CONFLICT, "proposal " + id + " was decided by someone else meanwhile; reload it"));
            audit.append(new AuditRecord.Entry("narrowed", by.user(), id, p.action().target(), p.action().kind().id(),
                    AuditRecord.detail("hashSeen", hashSeen.strip(), "into", derived.id(), "hash", derived.hash(),
                            "asked", p.action().params(), "narrowed", narrowed.params())));
            listener.accept(closed);
            if (chained) o.narrowed(closed, derived, by);
            target = derived;
        }
        if (conditions.hasWindow()) {
            o.window(target, conditions.notBefore(), conditions.notAfter());
            audit.append(new AuditRecord.Entry("window-set", by.user(), target.id(), target.action().target(),
                    target.action().kind().id(), AuditRecord.detail("notBefore", String.valueOf(conditions.notBefore()),
                            "notAfter", String.valueOf(conditions.notAfter()))));
        }
        return approve(target.id(), by, target.hash());
    }

    /** The proposal, when {@code by} may approve it having seen {@code hashSeen}; else the refusal. */
    private Proposal approvable(String id, Requester by, String hashSeen) {
        if (hashSeen == null || hashSeen.isBlank()) {
            throw new ActionException(BAD_INPUT, "hash is missing: approve with the hash of the action you reviewed");
        }
        Proposal p = get(id);
        decidable(p);
        if (!p.hash().equals(hashSeen.strip())) {
            throw new ActionException(CONFLICT, "the hash you approved (" + abbrev(hashSeen) + ") is not this proposal's ("
                    + abbrev(p.hash()) + "): what you reviewed is not this action; reload the proposal and review it again");
        }
        String refusal = policy.refusal(p, by.user(), by.groups(), true);
        if (refusal != null) throw new ActionException(FORBIDDEN, refusal);
        if (p.approvers().contains(by.user())) {
            throw new ActionException(CONFLICT, by.user() + " already approved " + id + "; a second approver must be someone else");
        }
        if (!p.dryRun().ok()) {
            throw new ActionException(CONFLICT, "the dry run failed when this was proposed (" + p.dryRun().error()
                    + "): it cannot be approved; propose it again once the cause is fixed");
        }
        // an approver approves only what their own RBAC lets them make (asked again, as the execution's check, before
        // anything is sent): refused here, the proposal stays pending for an approver who may
        if (!by.user().equals(SYSTEM)) {
            ClusterActions.Access access = cluster.access(p.action(), by.identity());
            if (!access.allowed()) {
                audit.append(new AuditRecord.Entry("access-checked", by.user(), p.id(), p.action().target(), p.action().kind().id(),
                        AuditRecord.detail("request", access.request(), "allowed", false, "reason", access.reason(), "at", "approval")));
                throw new ActionException(FORBIDDEN, by.user() + " may not " + access.request() + " (SubjectAccessReview"
                        + (access.reason() == null || access.reason().isBlank() ? "" : ": " + access.reason())
                        + "): an approver approves only what their own RBAC allows; the proposal stays pending");
            }
        }
        return p;
    }

    /** Rejects {@code id} as {@code by} (an approver, or the requester withdrawing it), with an optional reason. */
    public Proposal reject(String id, Requester by, String reason) {
        Proposal p = get(id);
        decidable(p);
        if (!by.user().equals(p.requester())) {
            String refusal = policy.refusal(p, by.user(), by.groups(), false);
            if (refusal != null) throw new ActionException(FORBIDDEN, refusal);
        }
        String why = reason == null || reason.isBlank() ? null : reason.strip();
        if (why != null && why.length() > 1000) throw new ActionException(BAD_INPUT, "reason is longer than 1000 characters");
        Proposal next = p.withDecision(new Proposal.Decision(by.user(), clock.instant(), false, null, why))
                .withStatus(ProposalStatus.REJECTED);
        Proposal stored = store.replace(p, next).orElseThrow(() -> new ActionException(CONFLICT,
                "proposal " + id + " was decided by someone else meanwhile; reload it"));
        audit.append(new AuditRecord.Entry("rejected", by.user(), id, p.action().target(), p.action().kind().id(),
                AuditRecord.detail("reason", why)));
        listener.accept(stored);
        Orchestration o = orchestration;
        if (o != null && o.owns(stored)) o.rejected(stored, by, why);
        return stored;
    }

    private void decidable(Proposal p) {
        if (p.status() == ProposalStatus.EXPIRED) {
            throw new ActionException(EXPIRED, "proposal " + p.id() + " expired at " + p.expiresAt() + "; propose it again");
        }
        if (p.status() != ProposalStatus.PENDING) {
            throw new ActionException(CONFLICT, "proposal " + p.id() + " is already " + p.status().id() + "; it can be decided once");
        }
    }

    private Proposal expireIfDue(Proposal p) {
        if (p.status() != ProposalStatus.PENDING || clock.instant().isBefore(p.expiresAt())) return p;
        Optional<Proposal> done = store.replace(p, p.withStatus(ProposalStatus.EXPIRED));
        if (done.isEmpty()) return store.get(p.id()).orElse(p);
        audit.append(new AuditRecord.Entry("expired", SYSTEM, p.id(), p.action().target(), p.action().kind().id(),
                AuditRecord.detail("expiresAt", p.expiresAt().toString())));
        listener.accept(done.get());
        return done.get();
    }

    /**
     * Executes an approved proposal that a process owns (see {@link Orchestration}) as {@code approver}, who approved
     * it: the stale check, the SubjectAccessReviews and the request, now; the rollout is not followed here (the
     * process monitors it and records the outcome with {@link #recordVerification}). Returns the proposal as it is
     * after: executing, or stale or failed (nothing sent, or refused).
     */
    public Proposal executeApproved(String id, Requester approver) {
        Proposal p = get(id);
        if (p.status() != ProposalStatus.APPROVED) {
            throw new ActionException(CONFLICT, "proposal " + id + " is " + p.status().id() + ", not approved: it cannot be executed");
        }
        if (!p.approvers().contains(approver.user())) {
            throw new ActionException(FORBIDDEN, approver.user() + " did not approve " + id + "; it runs as its approver");
        }
        return execute(p, approver, false);
    }

    /** The end of a rollout a process followed: succeeded when {@code v} says so, failed otherwise. */
    public Proposal recordVerification(String id, Proposal.Verification v) {
        Proposal p = get(id);
        if (p.status() != ProposalStatus.EXECUTING) return p; // recorded before (a repeated step)
        return finish(p, v.outcome().equals("succeeded") ? ProposalStatus.SUCCEEDED : ProposalStatus.FAILED, "verified",
                SYSTEM, v.outcome() + ": " + v.rollout() + (v.newProblems().isEmpty() ? "" : "; new problems: "
                        + String.join("; ", v.newProblems())), v);
    }

    /** Follows the rollout of {@code a} (kubectl rollout status) up to {@code timeout}. */
    public ClusterActions.Rollout awaitRollout(Action a, Duration timeout) {
        return cluster.awaitRollout(a, timeout);
    }

    /** The workload's critical root-cause problems now ("OOMKilled: ..."), read fresh; none without a snapshot. */
    public Set<String> problemsNow(Action a) {
        return problems(a);
    }

    /**
     * A rollback to the revision before {@code failed}'s change, executed at once as {@code approver}: only for a
     * process whose approval covered it (the change chain's approval card says "rolled back automatically if the
     * analysis fails", and policy allows it). Proposed by OpsAgent, dry-run and executed as the approver, audited as
     * covered by {@code coveredBy} (the approved proposal's hash). Returns the rollback proposal, executing.
     */
    public Proposal rollbackCovered(Proposal failed, Requester approver, String coveredBy) {
        Action a = failed.action();
        return executeCovered(Action.of(ActionKind.ROLLBACK, a.namespace(), a.targetKind(), a.name(), null), approver,
                failed.id(), coveredBy, "automatic rollback on a failed analysis", failed.runId(), failed.sessionId(),
                failed.correlationId());
    }

    /**
     * Proposes {@code action} as OpsAgent (dry-run as {@code approver}) and executes it at once as {@code approver},
     * recorded as covered by an approval {@code approver} gave before ({@code coveredId} with hash {@code coveredHash}):
     * a rollback the approval card announced, or drift remediation restoring exactly the state a change they
     * approved recorded. Returns the proposal (executing, or stale/failed).
     */
    public Proposal executeCovered(Action action, Requester approver, String coveredId, String coveredHash, String why,
                                   String runId, String sessionId, String correlationId) {
        Proposal p = propose(action, new Requester(SYSTEM, List.of(), runId, sessionId, correlationId), approver.identity());
        Proposal.Decision d = new Proposal.Decision(approver.user(), clock.instant(), true, p.hash(),
                "covered by the approval of " + coveredId + " (" + coveredHash + "): " + why);
        Proposal approved = move(p, p.withDecision(d).withStatus(ProposalStatus.APPROVED));
        audit.append(new AuditRecord.Entry("approved", approver.user(), p.id(), action.target(), action.kind().id(),
                AuditRecord.detail("coveredBy", coveredId, "coveredHash", coveredHash, "automatic", true, "why", why)));
        return execute(approved, approver, false);
    }

    /** Executes an approved proposal once; the rollout is followed on the verifier when {@code follow}. */
    private Proposal execute(Proposal approved, Requester approver, boolean follow) {
        Proposal p = move(approved, approved.withStatus(ProposalStatus.EXECUTING));
        try {
            return executing(p, approver, follow);
        } catch (RuntimeException e) {
            // never left executing: the proposal says what went wrong (whatever reached the cluster is audited)
            Proposal now = store.get(p.id()).orElse(p);
            if (now.status() != ProposalStatus.EXECUTING) throw e;
            return finish(now, ProposalStatus.FAILED, "failed", approver.user(), "execution failed: " + e.getMessage(), null);
        }
    }

    private Proposal executing(Proposal p, Requester approver, boolean follow) {
        Action a = p.action();
        // stale: the object changed since the proposal in a way that changes what this action does
        JsonNode now = cluster.read(a);
        String rvNow = now == null ? null : now.path("metadata").path("resourceVersion").asText(null);
        String rvThen = p.target() == null ? null : p.target().resourceVersion();
        if (a.kind() != ActionKind.APPLY_MANIFEST && now == null) {
            return finish(p, ProposalStatus.STALE, "stale", approver.user(), a.target() + " no longer exists", null);
        }
        if (rvThen != null && !rvThen.equals(rvNow)) {
            ClusterActions.DryRunResult fresh = cluster.dryRun(a, approver.identity());
            List<FieldChange> freshDiff = diffOf(a, fresh);
            if (fresh.error() != null || !freshDiff.equals(p.dryRun().diff())) {
                return finish(p, ProposalStatus.STALE, "stale", approver.user(), a.target() + " changed since it was proposed"
                        + " (resourceVersion " + rvThen + " → " + rvNow + ") and the change would now be different"
                        + (fresh.error() != null ? " (the dry run now fails: " + fresh.error() + ")" : ": "
                        + freshDiff.stream().map(FieldChange::text).toList()) + "; propose it again", null);
            }
        }
        // the server decides: the approver and the requester must both be allowed this exact request
        for (Identity who : new LinkedHashSet<>(List.of(approver.identity(), new Identity(p.requester(), List.of())))) {
            if (who.user().equals(SYSTEM)) continue;
            ClusterActions.Access access = cluster.access(a, who);
            audit.append(new AuditRecord.Entry("access-checked", who.user(), p.id(), a.target(), a.kind().id(),
                    AuditRecord.detail("request", access.request(), "allowed", access.allowed(), "reason", access.reason())));
            if (!access.allowed()) {
                return finish(p, ProposalStatus.FAILED, "failed", approver.user(), who.user() + " may not " + access.request()
                        + " (SubjectAccessReview" + (access.reason() == null || access.reason().isBlank() ? "" : ": " + access.reason())
                        + "): nothing was sent", null);
            }
        }
        Set<String> problemsBefore = problems(a);
        ClusterActions.Sent sent = cluster.apply(a, approver.identity());
        Proposal.Execution ex = new Proposal.Execution(approver.user(), approver.groups(), sent.method(), sent.path(),
                sent.patchType(), sent.body(), clock.instant(), sent.resultVersion(), sent.error());
        p = move(p, p.withExecution(ex));
        audit.append(new AuditRecord.Entry("executed", approver.user(), p.id(), a.target(), a.kind().id(),
                AuditRecord.detail("asUser", approver.user(), "asGroups", approver.groups(), "method", sent.method(),
                        "path", sent.path(), "patchType", sent.patchType(), "body", sent.body(),
                        "resultVersion", sent.resultVersion(), "error", sent.error())));
        if (sent.error() != null) {
            return finish(p, ProposalStatus.FAILED, "failed", approver.user(), "the API server refused it: " + sent.error(), null);
        }
        Proposal executing = p;
        if (!follow) return p;
        verifier.execute(() -> {
            try {
                verify(executing, problemsBefore);
            } catch (RuntimeException e) {
                Proposal current = store.get(executing.id()).orElse(executing);
                if (current.status() == ProposalStatus.EXECUTING) {
                    finish(current, ProposalStatus.FAILED, "verified", SYSTEM, "verification failed: " + e.getMessage(), null);
                }
            }
        });
        return p;
    }

    /** Follows the rollout, checks the workload's health, and records the outcome. */
    void verify(Proposal p, Set<String> problemsBefore) {
        Action a = p.action();
        ClusterActions.Rollout r;
        try {
            r = cluster.awaitRollout(a, rolloutTimeout);
        } catch (RuntimeException e) {
            r = new ClusterActions.Rollout("failed", "the rollout could not be followed: " + e.getMessage());
        }
        List<String> newProblems = new ArrayList<>(problems(a));
        newProblems.removeAll(problemsBefore);
        String outcome = r.outcome().equals("succeeded") && newProblems.isEmpty() ? "succeeded"
                : r.outcome().equals("timeout") && newProblems.isEmpty() ? "inconclusive" : "failed";
        Proposal.Verification v = new Proposal.Verification(outcome, r.detail(), newProblems, clock.instant());
        Proposal withV = p.withVerification(v);
        // inconclusive (not rolled out in time) is not a success: failed, with that outcome, and no rollback proposed
        ProposalStatus end = outcome.equals("succeeded") ? ProposalStatus.SUCCEEDED : ProposalStatus.FAILED;
        Proposal done = finish(withV, end, "verified", SYSTEM, outcome + ": " + r.detail()
                + (newProblems.isEmpty() ? "" : "; new problems: " + String.join("; ", newProblems)), v);
        if (outcome.equals("failed") && a.targetKind().equals("Deployment") && a.kind() != ActionKind.SCALE
                && a.kind() != ActionKind.DELETE_POD) {
            try {
                Identity approver = p.execution() == null ? null
                        : new Identity(p.execution().asUser(), p.execution().asGroups());
                Proposal rb = propose(Action.of(ActionKind.ROLLBACK, a.namespace(), "Deployment", a.name(), null),
                        new Requester(SYSTEM, List.of(), p.runId(), p.sessionId(), p.correlationId()), approver);
                audit.append(new AuditRecord.Entry("rollback-proposed", SYSTEM, done.id(), a.target(), a.kind().id(),
                        AuditRecord.detail("rollbackProposal", rb.id())));
            } catch (ActionException e) {
                audit.append(new AuditRecord.Entry("rollback-not-proposed", SYSTEM, done.id(), a.target(), a.kind().id(),
                        AuditRecord.detail("why", e.getMessage())));
            }
        }
    }

    private Proposal finish(Proposal p, ProposalStatus status, String auditType, String actor, String detail,
                            Proposal.Verification v) {
        Proposal done = move(p, (v == null ? p : p.withVerification(v)).withStatus(status));
        audit.append(new AuditRecord.Entry(auditType, actor, p.id(), p.action().target(), p.action().kind().id(),
                AuditRecord.detail("status", status.id(), "detail", detail)));
        listener.accept(done);
        return done;
    }

    /** A conditional move; the proposal is this service's while executing, so a lost race is a bug, said loudly. */
    private Proposal move(Proposal from, Proposal to) {
        if (from.status() != to.status() && !from.status().canMoveTo(to.status())) {
            throw new IllegalStateException("proposal " + from.id() + " cannot move from " + from.status() + " to " + to.status());
        }
        Optional<Proposal> stored = store.replace(from, to);
        if (stored.isEmpty()) {
            throw new ActionException(CONFLICT, "proposal " + from.id() + " changed meanwhile (another decision or execution); reload it");
        }
        listener.accept(stored.get());
        return stored.get();
    }

    /** The workload's critical problems now, from the diagnosis ("OOMKilled: ..."), or none without a snapshot. */
    private Set<String> problems(Action a) {
        Set<String> out = new LinkedHashSet<>();
        if (snapshots == null) return out;
        try {
            snapshots.invalidate();
            ClusterSnapshot s = snapshots.snapshot();
            for (Finding f : new DiagnosisEngine().diagnose(s).findings()) {
                if (f.severity() == Severity.CRITICAL && a.namespace().equals(f.namespace()) && a.name().equals(f.name())
                        && f.rootCause()) {
                    out.add(f.category() + ": " + f.summary());
                }
            }
        } catch (RuntimeException e) {
            // the health check is advice; the rollout decides
        }
        return out;
    }

    /** Quotas of the namespace without room for the new pods the change makes (read from the snapshot). */
    private List<QuotaCheck.Shortfall> quotaShortfalls(Action a, ClusterActions.DryRunResult dr) {
        if (snapshots == null || dr.error() != null || dr.after() == null) return List.of();
        try {
            return QuotaCheck.shortfalls(snapshots.snapshot(), a.namespace(), dr.before(), dr.after());
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /** What a dry run says changes: the fields; for a deleted pod, the pod. */
    private static List<FieldChange> diffOf(Action a, ClusterActions.DryRunResult dr) {
        if (dr.error() != null) return List.of();
        if (a.kind() == ActionKind.DELETE_POD) return List.of(new FieldChange("pod " + a.name(), "exists", null));
        return Diffs.between(dr.before(), dr.after());
    }

    private static Proposal.Target target(JsonNode current) {
        if (current == null) return null;
        JsonNode m = current.path("metadata");
        return new Proposal.Target(m.path("resourceVersion").asText(null),
                m.has("generation") ? m.get("generation").asLong() : null, m.path("uid").asText(null));
    }

    private Proposal.BlastRadius blast(Action a, JsonNode before, JsonNode after, List<FieldChange> diff) {
        Integer rb = before != null && before.path("spec").path("replicas").isInt()
                ? Integer.valueOf(before.path("spec").path("replicas").asInt()) : null;
        Integer ra = after != null && after.path("spec").path("replicas").isInt()
                ? Integer.valueOf(after.path("spec").path("replicas").asInt()) : rb;
        boolean templateChanges = diff.stream().anyMatch(c -> c.path().startsWith("spec.template"));
        List<String> pods = new ArrayList<>();
        List<String> services = new ArrayList<>();
        if (snapshots != null) {
            try {
                ClusterSnapshot s = snapshots.snapshot();
                AnalysisContext ctx = new AnalysisContext(s);
                ObjectKey target = new ObjectKey(a.targetKind(), a.namespace(), a.name());
                for (var pod : s.pods()) {
                    if (!a.namespace().equals(pod.getMetadata().getNamespace())) continue;
                    boolean of = a.kind() == ActionKind.DELETE_POD ? pod.getMetadata().getName().equals(a.name())
                            : templateChanges && target.equals(ctx.workloadOf(pod));
                    if (of) pods.add(pod.getMetadata().getName());
                }
                Map<String, String> labels = templateLabels(before, s, a);
                for (var svc : s.services()) {
                    if (!a.namespace().equals(svc.getMetadata().getNamespace()) || svc.getSpec() == null
                            || svc.getSpec().getSelector() == null || svc.getSpec().getSelector().isEmpty()) continue;
                    if (labels != null && labels.entrySet().containsAll(svc.getSpec().getSelector().entrySet())) {
                        services.add(svc.getMetadata().getName());
                    }
                }
            } catch (RuntimeException e) {
                // the blast radius is advice; the proposal stands without it
            }
        }
        return new Proposal.BlastRadius(pods, rb, ra, services);
    }

    private static Map<String, String> templateLabels(JsonNode before, ClusterSnapshot s, Action a) {
        if (a.kind() == ActionKind.DELETE_POD) {
            return s.find("Pod", a.namespace(), a.name()).map(p -> p.getMetadata().getLabels()).orElse(null);
        }
        if (before == null) return null;
        JsonNode l = before.path("spec").path("template").path("metadata").path("labels");
        if (!l.isObject()) return null;
        Map<String, String> out = new java.util.HashMap<>();
        l.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /** The monthly cost change of a scale or a change of requests (replicas × requests, {@link ComputePrices}). */
    private Proposal.Cost cost(Action a, JsonNode before, JsonNode after) {
        if (before == null || after == null) return null;
        double[] b = requested(before);
        double[] n = requested(after);
        double delta = prices.perMonth(n[0] - b[0], n[1] - b[1]);
        if (Math.abs(delta) < 0.5) return null;
        return new Proposal.Cost(delta, String.format(java.util.Locale.ROOT,
                "replicas × requests: %.2f → %.2f vCPU, %.2f → %.2f GiB; %s", b[0], n[0], b[1], n[1], prices.name()));
    }

    /** Total cpu cores and memory GiB requested by the object's replicas. */
    private static double[] requested(JsonNode o) {
        JsonNode spec = o.path("spec");
        int replicas = spec.path("replicas").isInt() ? spec.path("replicas").asInt() : 1;
        double cpu = 0;
        double mem = 0;
        for (JsonNode c : spec.path("template").path("spec").path("containers")) {
            JsonNode r = c.path("resources").path("requests");
            if (r.path("cpu").isTextual()) cpu += Quantity.getAmountInBytes(new Quantity(r.get("cpu").asText())).doubleValue();
            if (r.path("memory").isTextual()) {
                mem += Quantity.getAmountInBytes(new Quantity(r.get("memory").asText())).doubleValue() / (1024.0 * 1024 * 1024);
            }
        }
        return new double[] {cpu * replicas, mem * replicas};
    }

    private static String abbrev(String h) {
        String v = h.strip();
        return v.length() > 12 ? v.substring(0, 12) + "…" : v;
    }
}
