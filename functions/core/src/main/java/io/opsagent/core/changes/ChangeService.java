package io.opsagent.core.changes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsagent.core.actions.Action;
import io.opsagent.core.actions.ActionException;
import io.opsagent.core.actions.ActionService;
import io.opsagent.core.actions.AuditRecord;
import io.opsagent.core.actions.ClusterActions;
import io.opsagent.core.actions.Proposal;
import io.opsagent.core.actions.ProposalStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The change chain's logic: submitting a change (stored, then its chain started, named by the change id), and every
 * step the chain sends ({@link #handle}): validate against {@link ChangePolicy}, gather evidence as an action proposal
 * (the server's dry run, diff, risk, blast radius, the workload's health, its last change), hold the approval's token
 * until an approver decides the proposal (the rules of {@link ActionService}: the hash seen, separation of duties,
 * SubjectAccessReview), execute as that approver with the stale check, monitor the rollout and an analysis window,
 * record success or roll back, escalate, and record how it ended. The state machine orchestrates; this does the work.
 * Every step is idempotent: a step delivered twice answers from what is stored instead of acting twice.
 */
public final class ChangeService implements ActionService.Orchestration {
    private static final Logger LOG = Logger.getLogger(ChangeService.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ChangeStore store;
    private final ActionService actions;
    private final ClusterActions cluster;
    private final ChangeOrchestrator chain;
    private final Clock clock;
    private volatile ChangePolicy policy;
    private final ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "change-heartbeats");
        t.setDaemon(true);
        return t;
    });
    /** Tokens answered with a success: a redelivered step is not done twice. */
    private final Set<String> answered = ConcurrentHashMap.newKeySet();
    private volatile Consumer<Change> listener = c -> { };
    private volatile IntendedStateStore intents;

    public ChangeService(ChangeStore store, ActionService actions, ClusterActions cluster, ChangeOrchestrator chain,
                         ChangePolicy policy, Clock clock) {
        this.store = store;
        this.actions = actions;
        this.cluster = cluster;
        this.chain = chain;
        this.policy = policy;
        this.clock = clock;
        actions.orchestration(this);
        long every = Math.max(1, policy.heartbeat().toMillis() / 3);
        beats.scheduleAtFixedRate(this::heartbeatApprovals, every, every, TimeUnit.MILLISECONDS);
    }

    public ChangePolicy policy() {
        return policy;
    }

    public void policy(ChangePolicy p) {
        this.policy = p;
    }

    /** Where a successful change records the workload's intended state (drift detection); null: not recorded. */
    public void intents(IntendedStateStore s) {
        this.intents = s;
    }

    public IntendedStateStore intents() {
        return intents;
    }

    private volatile java.util.function.Function<String, String> driftCheck;
    private volatile ChangeInvestigator investigator;
    private volatile io.opsagent.core.runs.RunStore runs;

    /** Where the evidence step finds the requester's recent runs and incidents of the workload (null: not shown). */
    public void runs(io.opsagent.core.runs.RunStore r) {
        this.runs = r;
    }

    /** What opens an investigation run when a change fails its analysis or is escalated; null: none is opened. */
    public void investigator(ChangeInvestigator i) {
        this.investigator = i;
    }

    public ChangeInvestigator investigator() {
        return investigator;
    }

    private volatile io.opsagent.core.notify.Notifier notifier = io.opsagent.core.notify.Notifier.NONE;
    private volatile String webUrl;

    /**
     * Who hears of approvals waiting and of changes that end (Slack, SNS; {@link io.opsagent.core.notify.Notifier#all}
     * redacts), with links into the web UI at {@code webUrl} (null: no links).
     */
    public void notifier(io.opsagent.core.notify.Notifier n, String webUrl) {
        this.notifier = n == null ? io.opsagent.core.notify.Notifier.NONE : n;
        this.webUrl = webUrl == null || webUrl.isBlank() ? null : webUrl.replaceAll("/+$", "");
    }

    /** Tells people about {@code c}: never its approval's token or hash; a failure to deliver is only logged. */
    private void notify(Change c, String event, String headline, String... lines) {
        StringBuilder text = new StringBuilder(headline).append('\n').append(c.action().summary());
        for (String l : lines) if (l != null && !l.isBlank()) text.append('\n').append(l);
        try {
            notifier.send(new io.opsagent.core.notify.Notification(event, "[OpsAgent] " + headline, text.toString(),
                    webUrl == null ? null : webUrl + "/#/changes/" + c.id(), c.action().target(), c.correlationId()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "change " + c.id() + ": notification " + event + " not sent", e);
        }
    }

    /** What starts a drift check now (the remediation machine's execution) for a user (null: the schedule); its name. */
    public void driftCheck(java.util.function.Function<String, String> start) {
        this.driftCheck = start;
    }

    /** Starts a drift check now for {@code user} (its run is theirs); its name. */
    public String checkDriftNow(String user) {
        if (driftCheck == null) {
            throw new ActionException(ActionException.Reason.CONFLICT, "drift remediation is not running here");
        }
        return driftCheck.apply(user);
    }

    /**
     * Registers the live state of {@code namespace/kind/name} as intended, as {@code by} declares it (drift from it is
     * then found and escalated for approval; only states a change recorded are remediated on their own). {@code by}
     * must be allowed to change the object (a SubjectAccessReview as them); it must exist. Audited.
     *
     * @throws ActionException naming what was wrong: drift detection off, an unsupported kind, no permission, no object
     */
    public IntendedState registerIntent(String namespace, String kind, String name, ActionService.Requester by) {
        IntendedStateStore store = intents;
        if (store == null) throw new ActionException(ActionException.Reason.CONFLICT, "drift detection is not running here");
        if (!List.of("Deployment", "StatefulSet", "DaemonSet", "ConfigMap").contains(kind)) {
            throw new ActionException(ActionException.Reason.BAD_INPUT, "kind must be Deployment, StatefulSet, DaemonSet or "
                    + "ConfigMap, got '" + kind + "'");
        }
        Action probe = kind.equals("ConfigMap")
                ? Action.of(io.opsagent.core.actions.ActionKind.PATCH_CONFIGMAP, namespace, kind, name,
                JsonNodeFactory.instance.objectNode().put("key", "k").put("value", "v"))
                : Action.of(io.opsagent.core.actions.ActionKind.RESTART, namespace, kind, name,
                JsonNodeFactory.instance.objectNode().put("restartedAt", "2026-01-01T00:00:00Z"));
        ClusterActions.Access may = cluster.access(probe, new ClusterActions.Identity(by.user(), by.groups()));
        if (!may.allowed()) {
            throw new ActionException(ActionException.Reason.FORBIDDEN, by.user() + " may not " + may.request()
                    + (may.reason() == null || may.reason().isBlank() ? "" : " (" + may.reason() + ")")
                    + ": only someone who may change it can declare its intended state");
        }
        JsonNode live = cluster.read(probe);
        if (live == null) throw new ActionException(ActionException.Reason.NOT_FOUND, probe.target() + " does not exist");
        IntendedState s = IntendedState.registered(kind, live, by.user(), clock.instant());
        store.put(s);
        actions.audit().append(new AuditRecord.Entry("drift-intent-registered", by.user(), null, s.key(), null,
                AuditRecord.detail("images", s.images().toString(), "replicas", s.replicas(), "configHash", s.configHash())));
        return s;
    }

    /** The engine this service starts and answers chains through. */
    public ChangeOrchestrator orchestrator() {
        return chain;
    }

    public ActionService actions() {
        return actions;
    }

    /** Hears every change as it is stored (the UI streams them). */
    public void onChange(Consumer<Change> l) {
        this.listener = l == null ? c -> { } : l;
    }

    /**
     * After a restart: a change whose chain is no longer running (its execution ended, or the engine forgot it — a
     * LocalStack that stopped with the last server) is ended as {@code error}, saying so; one still running goes on
     * (its approval's token is stored, so heartbeats and decisions resume). None stays in between. Returns how many
     * were ended.
     */
    public int recover() {
        int ended = 0;
        for (Change c : store.list(1000)) {
            if (c.ended()) continue;
            ChangeOrchestrator.Execution e;
            try {
                e = chain.describe(c.id());
            } catch (RuntimeException ex) {
                e = null;
            }
            if (e != null && "RUNNING".equals(e.status())) continue;
            move(c, c.withApprovalToken(null, c.approvalExpiresAt()).with("error", "its chain "
                    + (e == null ? "is gone (the Step Functions engine was restarted)" : "ended " + e.status()
                    + (e.error() == null ? "" : " (" + e.error() + ")")) + " while OpsAgent was stopped, at the "
                    + c.status() + " step; nothing more will happen to it: submit it again if it is still wanted",
                    clock.instant()));
            ended++;
        }
        return ended;
    }

    // ------------------------------------------------------------------ requests

    /** Stores the change and starts its chain. Nothing in the cluster changes here. */
    public Change submit(Action action, ActionService.Requester by) {
        Instant now = clock.instant();
        String id = "chg-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String corr = by.correlationId() == null ? id : by.correlationId();
        Change c = new Change(id, action, by.user(), by.groups(), corr, now, now, "validating", "submitted", List.of(),
                null, null, null, null, null, null, null, null, 0);
        store.create(c);
        actions.audit().append(new AuditRecord.Entry("change-submitted", by.user(), id, action.target(), action.kind().id(),
                AuditRecord.detail("changeId", id, "hash", action.hash(), "action", action.toJson(), "correlationId", corr)));
        ObjectNode input = JsonNodeFactory.instance.objectNode().put("changeId", id).put("correlationId", corr);
        ChangePolicy p = policy;
        input.putObject("timeouts").put("step", p.stepTimeout().toSeconds())
                .put("approval", p.approvalTimeout().toSeconds()).put("approvalHeartbeat", p.heartbeat().toSeconds())
                .put("monitor", p.analysis().plus(ActionService.DEFAULT_ROLLOUT_TIMEOUT).plusMinutes(1).toSeconds())
                .put("monitorHeartbeat", p.heartbeat().toSeconds());
        try {
            chain.start(id, input.toString());
        } catch (RuntimeException e) {
            Change stored = get(id);
            move(stored, stored.with("error", "the change chain could not be started: " + e.getMessage(), clock.instant()));
            throw new ActionException(ActionException.Reason.BAD_INPUT, "the change chain could not be started: " + e.getMessage());
        }
        listener.accept(c);
        return get(id);
    }

    /**
     * Cancels a change that has not ended: its requester or its approver may. The chain's execution is stopped; a
     * proposal still waiting is withdrawn. What was already executed stays executed (the detail says so, with the
     * rollback to ask for).
     */
    /**
     * Submits a pending action proposal (one the agent or a user made) as a change, so it runs through the chain
     * (validation, fresh evidence, approval, execution, monitoring, rollback) instead of executing when approved.
     * Only its requester may; the proposal is withdrawn, naming the change.
     *
     * @throws ActionException no such proposal, not pending, not the caller's, already a change's, or the submit's refusals
     */
    public Change submitProposal(String proposalId, ActionService.Requester by) {
        Proposal p = actions.get(proposalId);
        if (p.status() != ProposalStatus.PENDING) {
            throw new ActionException(ActionException.Reason.CONFLICT, "proposal " + proposalId + " is " + p.status().id()
                    + ": only a pending proposal can become a change");
        }
        if (!by.user().equals(p.requester())) {
            throw new ActionException(ActionException.Reason.FORBIDDEN, by.user() + " may not submit " + proposalId
                    + " as a change: only its requester (" + p.requester() + ") may");
        }
        Optional<Change> owner = byProposal(proposalId);
        if (owner.isPresent()) {
            throw new ActionException(ActionException.Reason.CONFLICT, "proposal " + proposalId + " is already change "
                    + owner.get().id() + "'s");
        }
        Change c = submit(p.action(), by);
        try {
            actions.reject(proposalId, by, "submitted as change " + c.id());
        } catch (ActionException e) {
            LOG.log(Level.WARNING, "proposal " + proposalId + " was decided meanwhile; change " + c.id() + " goes on", e);
        }
        return c;
    }

    public Change cancel(String id, ActionService.Requester by, String reason) {
        Change c = get(id);
        if (c.ended()) {
            throw new ActionException(ActionException.Reason.CONFLICT, "change " + id + " already ended (" + c.status() + ")");
        }
        if (!by.user().equals(c.requester()) && !by.user().equals(c.approver())) {
            throw new ActionException(ActionException.Reason.FORBIDDEN, by.user() + " may not cancel " + id
                    + ": only its requester (" + c.requester() + ")" + (c.approver() == null ? "" : " or its approver (" + c.approver() + ")") + " may");
        }
        String why = reason == null || reason.isBlank() ? null : reason.strip();
        boolean executed = List.of("executing", "monitoring").contains(c.status()) && c.approver() != null;
        Change next = move(c, c.withApprovalToken(null, c.approvalExpiresAt()).with("cancelled", "cancelled by " + by.user()
                + (why == null ? "" : ": " + why) + (executed ? "; it had been executed already and stays so: to undo it,"
                + " propose a rollback of " + c.action().target() : ""), clock.instant()));
        chain.stop(id, "cancelled by " + by.user());
        if (c.proposalId() != null) {
            try {
                Proposal p = actions.get(c.proposalId());
                if (p.status() == ProposalStatus.PENDING) {
                    actions.reject(p.id(), new ActionService.Requester(c.requester(), c.requesterGroups(), null, null,
                            c.correlationId()), "the change was cancelled by " + by.user());
                }
            } catch (ActionException ignored) {
                // decided meanwhile
            }
        }
        actions.audit().append(new AuditRecord.Entry("change-cancelled", by.user(), c.proposalId(), c.action().target(),
                c.action().kind().id(), AuditRecord.detail("changeId", id, "reason", why, "afterExecution", executed)));
        listener.accept(next);
        return next;
    }

    public Change get(String id) {
        return store.get(id).orElseThrow(() -> new ActionException(ActionException.Reason.NOT_FOUND, "no change " + id));
    }

    public List<Change> list(int limit) {
        return store.list(limit);
    }

    /** The change's execution as the console shows it (states, inputs, outputs, errors), or null before it starts. */
    public ChangeOrchestrator.Execution execution(String id) {
        get(id);
        return chain.describe(id);
    }

    // ------------------------------------------------------------------ approvals (ActionService.Orchestration)

    @Override
    public boolean owns(Proposal p) {
        return byProposal(p.id()).isPresent();
    }

    @Override
    public void approved(Proposal p, ActionService.Requester by) {
        Change c = byProposal(p.id()).orElseThrow();
        String token = c.approvalToken();
        Change next = move(c, c.withApprover(by.user(), by.groups()).with("executing", "approved by " + by.user()
                + (c.window() == null ? "" : ", to execute " + windowText(c.window())), clock.instant()));
        if (token != null) answer(token, approvalAnswer(next));
        listener.accept(next);
    }

    /** What the approval step answers: who approved, and when the chain may execute (the window's start, or now). */
    private ObjectNode approvalAnswer(Change c) {
        String nb = windowEdge(c, "notBefore");
        return JsonNodeFactory.instance.objectNode().put("approvedBy", c.approver())
                .put("notBefore", nb != null ? nb : clock.instant().toString());
    }

    private static String windowEdge(Change c, String edge) {
        return c.window() != null && c.window().path(edge).isTextual() ? c.window().path(edge).asText() : null;
    }

    private static String windowText(JsonNode w) {
        String nb = w.path("notBefore").asText(null);
        String na = w.path("notAfter").asText(null);
        return nb != null && na != null ? "between " + nb + " and " + na : nb != null ? "from " + nb : "until " + na;
    }

    @Override
    public void narrowed(Proposal original, Proposal derived, ActionService.Requester by) {
        Change c = byProposal(original.id()).orElseThrow();
        Change narrowed = c.withNarrowed(derived.action());
        Change next = move(c, narrowed.withEvidence(derived.id(), evidenceOf(narrowed, derived)).with("awaiting-approval",
                "narrowed by " + by.user() + " from " + c.action().summary() + " to " + derived.action().summary(),
                clock.instant()));
        actions.audit().append(new AuditRecord.Entry("change-narrowed", by.user(), derived.id(), c.action().target(),
                c.action().kind().id(), AuditRecord.detail("changeId", c.id(), "asked", original.id(), "into", derived.id())));
        listener.accept(next);
    }

    @Override
    public void window(Proposal p, Instant notBefore, Instant notAfter) {
        Change c = byProposal(p.id()).orElseThrow();
        ObjectNode w = JsonNodeFactory.instance.objectNode();
        if (notBefore != null) w.put("notBefore", notBefore.toString());
        if (notAfter != null) w.put("notAfter", notAfter.toString());
        listener.accept(move(c, c.withWindow(w)));
    }

    @Override
    public void rejected(Proposal p, ActionService.Requester by, String reason) {
        Change c = byProposal(p.id()).orElseThrow();
        String token = c.approvalToken();
        Change next = move(c, c.withApprovalToken(null, c.approvalExpiresAt())
                .with("rejected", "rejected by " + by.user() + (reason == null ? "" : ": " + reason), clock.instant()));
        if (token != null) fail(token, "Change.ApprovalRejected", "rejected by " + by.user() + (reason == null ? "" : ": " + reason));
        listener.accept(next);
    }

    private Optional<Change> byProposal(String proposalId) {
        return store.list(1000).stream().filter(c -> proposalId.equals(c.proposalId()) && !c.ended()).findFirst();
    }

    /** Tells the engine every approval request this store holds is still held (a schedule calls it in AWS). */
    public void heartbeatApprovals() {
        try {
            for (Change c : store.list(1000)) {
                if (!"awaiting-approval".equals(c.status()) || c.approvalToken() == null) continue;
                try {
                    chain.heartbeat(c.approvalToken());
                } catch (ChangeOrchestrator.TokenGone gone) {
                    // the chain moved on (timed out): its finish step records why
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "heartbeat of " + c.id() + " failed", e);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "approval heartbeats failed", e);
        }
    }

    // ------------------------------------------------------------------ the steps

    /** Does one step of a chain and answers its token (on the caller's thread; a monitor step takes its window). */
    public void handle(ChangeTask t) {
        if (answered.contains(t.token())) return; // delivered again after it was answered
        Change c;
        try {
            c = get(t.changeId());
        } catch (ActionException e) {
            fail(t.token(), "Change.Failed", "no change " + t.changeId() + " is stored");
            return;
        }
        if (c.ended()) {
            // cancelled (or ended otherwise) while its chain still ran: nothing more is done, and nothing recorded over it
            if (t.step().equals("finish") || t.step().equals("escalate")) {
                answer(t.token(), JsonNodeFactory.instance.objectNode().put("status", c.status()));
            } else {
                fail(t.token(), "Change.Cancelled", "change " + c.id() + " is " + c.status() + ": " + c.detail());
            }
            return;
        }
        try {
            switch (t.step()) {
                case "validate" -> validate(c, t);
                case "evidence" -> evidence(c, t);
                case "approval" -> approval(c, t);
                case "execute" -> execute(c, t);
                case "monitor" -> monitor(c, t);
                case "record" -> record(c, t);
                case "rollback" -> rollback(c, t);
                case "escalate" -> escalate(c, t);
                case "finish" -> finish(c, t);
                default -> fail(t.token(), "Change.Failed", "unknown step " + t.step());
            }
        } catch (ActionException e) {
            fail(t.token(), e.reason() == ActionException.Reason.CONFLICT ? "Change.Stale" : "Change.Failed", e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "step " + t + " failed", e);
            fail(t.token(), "Change.Transient", t.step() + " failed: " + e);
        }
    }

    private void validate(Change c, ChangeTask t) {
        List<String> v = new ArrayList<>(policy.violations(c.action(), clock.instant()));
        JsonNode target = cluster.read(c.action());
        if (target == null) v.add(c.action().targetKind() + " " + c.action().namespace() + "/" + c.action().name() + " does not exist");
        Change next = move(c, c.withViolations(v).with(v.isEmpty() ? "gathering-evidence" : "validating",
                v.isEmpty() ? "validated" : "refused: " + String.join("; ", v), clock.instant()));
        listener.accept(next);
        if (!v.isEmpty()) {
            fail(t.token(), "Change.Rejected", String.join("; ", v));
            return;
        }
        answer(t.token(), JsonNodeFactory.instance.objectNode().put("ok", true));
    }

    private void evidence(Change c, ChangeTask t) {
        Proposal p;
        if (c.proposalId() != null) {
            p = actions.get(c.proposalId());
        } else {
            try {
                p = actions.propose(c.action(), new ActionService.Requester(c.requester(), c.requesterGroups(), null,
                        null, c.correlationId()));
            } catch (ActionException e) {
                Change next = move(c, c.withViolations(List.of(e.getMessage())).with("validating", "refused: " + e.getMessage(), clock.instant()));
                listener.accept(next);
                fail(t.token(), "Change.Rejected", e.getMessage());
                return;
            }
        }
        if (!p.dryRun().ok()) {
            Change next = move(c, c.withEvidence(p.id(), evidenceOf(c, p)).with("validating",
                    "refused: the server's dry run fails: " + p.dryRun().error(), clock.instant()));
            listener.accept(next);
            fail(t.token(), "Change.Rejected", "the server's dry run fails: " + p.dryRun().error());
            return;
        }
        Change next = move(c, c.withEvidence(p.id(), evidenceOf(c, p)).with("awaiting-approval", "evidence gathered",
                clock.instant()));
        listener.accept(next);
        answer(t.token(), JsonNodeFactory.instance.objectNode().put("proposalId", p.id()).put("risk", p.risk().level()));
    }

    private ObjectNode evidenceOf(Change c, Proposal p) {
        ObjectNode e = JsonNodeFactory.instance.objectNode();
        e.put("risk", p.risk().level());
        ArrayNode reasons = e.putArray("riskReasons");
        p.risk().reasons().forEach(reasons::add);
        ArrayNode diff = e.putArray("diff");
        p.dryRun().diff().forEach(f -> diff.add(f.text()));
        ArrayNode health = e.putArray("health");
        try {
            actions.problemsNow(c.action()).forEach(health::add);
        } catch (RuntimeException ex) {
            health.add("health unknown: " + ex.getMessage());
        }
        store.list(200).stream().filter(o -> !o.id().equals(c.id()) && o.action().target().equals(c.action().target()))
                .findFirst().ifPresent(last -> e.putObject("lastChange").put("id", last.id())
                        .put("summary", last.action().summary()).put("status", last.status())
                        .put("at", last.createdAt().toString()));
        io.opsagent.core.runs.RunStore rs = runs;
        if (rs != null && c.requester() != null) {
            // the requester's recent runs about this workload (theirs to read: the approver sees ids, kinds and outcomes,
            // never the questions), alert investigations among them counted as incidents
            try {
                String workload = c.action().namespace() + "/" + c.action().name();
                var page = rs.list(new io.opsagent.core.runs.RunQuery(c.requester(), null, null,
                        clock.instant().minus(Duration.ofDays(7)), null, 200, null));
                ArrayNode recent = e.putArray("recentRuns");
                int incidents = 0;
                for (io.opsagent.core.runs.Run r : page.items()) {
                    if (!workload.equals(r.workload())) continue;
                    if ("alert".equals(r.source())) incidents++;
                    if (recent.size() < 5) {
                        recent.addObject().put("id", r.id()).put("source", r.source()).put("status", r.status().json())
                                .put("at", r.started().toString());
                    }
                }
                e.put("incidents", incidents);
            } catch (RuntimeException ex) {
                e.put("recentRunsUnknown", "the runs could not be read: " + ex.getMessage());
            }
        }
        e.put("autoRollback", policy.autoRollback());
        return e;
    }

    private void approval(Change c, ChangeTask t) {
        if (c.approver() != null) { // decided before this delivery: answer as the decision did
            answer(t.token(), approvalAnswer(c));
            return;
        }
        Proposal p = actions.get(c.proposalId());
        boolean first = c.approvalToken() == null;
        Change next = move(c, c.withApprovalToken(t.token(), p.expiresAt()).with("awaiting-approval",
                "waiting for an approver", clock.instant()));
        actions.audit().append(new AuditRecord.Entry("change-approval-requested", ActionService.SYSTEM, p.id(),
                c.action().target(), c.action().kind().id(), AuditRecord.detail("changeId", c.id(), "expiresAt",
                        p.expiresAt().toString())));
        listener.accept(next);
        if (first) {
            notify(next, "change-approval-requested", "Change " + c.id() + " waits for approval",
                    "Requested by " + c.requester() + "; risk " + p.risk().level()
                            + (p.risk().reasons().isEmpty() ? "" : " (" + String.join("; ", p.risk().reasons()) + ")"),
                    "Decide before " + p.expiresAt() + " on the Changes page, with the API or the CLI"
                            + " (./opsagent actions show " + p.id() + ").");
        }
        // not answered here: the approver's decision answers it (approved / rejected above)
    }

    private void execute(Change c, ChangeTask t) {
        String notAfter = windowEdge(c, "notAfter");
        if (notAfter != null && clock.instant().isAfter(Instant.parse(notAfter))) {
            fail(t.token(), "Change.Stale", "the window " + c.approver() + " approved it for closed at " + notAfter
                    + ": nothing was executed; submit it again");
            return;
        }
        // the Wait state waits for the window's start; an engine that wakes early (LocalStack's does, by a second or
        // two) is held here, so nothing executes before the approved start
        String notBefore = windowEdge(c, "notBefore");
        if (notBefore != null) {
            Duration early = Duration.between(clock.instant(), Instant.parse(notBefore));
            if (early.compareTo(Duration.ofMinutes(1)) > 0) {
                fail(t.token(), "Change.Failed", "the chain reached Execute " + early.toSeconds() + " s before the window "
                        + c.approver() + " approved opens (" + notBefore + "): nothing was executed");
                return;
            }
            if (!early.isNegative()) sleep(early.toMillis() + 1);
        }
        Proposal p = actions.get(c.proposalId());
        if (p.status() == ProposalStatus.APPROVED) {
            p = actions.executeApproved(p.id(), new ActionService.Requester(c.approver(), c.approverGroups(), null, null,
                    c.correlationId()));
        }
        switch (p.status()) {
            case EXECUTING, SUCCEEDED -> {
                Change next = move(get(c.id()), get(c.id()).with("monitoring", "executed as " + c.approver(), clock.instant()));
                listener.accept(next);
                answer(t.token(), JsonNodeFactory.instance.objectNode().put("executedAs", c.approver()));
            }
            case STALE -> fail(t.token(), "Change.Stale", lastDetail(p));
            default -> fail(t.token(), "Change.Failed", "the proposal is " + p.status().id() + ": " + lastDetail(p));
        }
    }

    private String lastDetail(Proposal p) {
        List<AuditRecord> recs = actions.audit().list(new io.opsagent.core.actions.AuditLog.Filter(null, null, null, p.id(),
                null, null), null, 1).records(); // newest first
        return recs.isEmpty() ? p.status().id() : recs.get(0).detail().path("detail").asText(p.status().id());
    }

    private void monitor(Change c, ChangeTask t) {
        Proposal p = actions.get(c.proposalId());
        var beat = beats.scheduleAtFixedRate(() -> {
            try {
                chain.heartbeat(t.token());
            } catch (RuntimeException e) {
                throw e; // stops the beat
            }
        }, 0, Math.max(1, policy.heartbeat().toMillis() / 3), TimeUnit.MILLISECONDS);
        try {
            Set<String> before = new LinkedHashSet<>(c.evidence() == null ? List.of()
                    : JSON.convertValue(c.evidence().path("health"), String[].class) == null ? List.of()
                    : List.of(JSON.convertValue(c.evidence().path("health"), String[].class)));
            ClusterActions.Rollout r = actions.awaitRollout(c.action(), ActionService.DEFAULT_ROLLOUT_TIMEOUT);
            List<String> signals = new ArrayList<>();
            String result;
            if (r.outcome().equals("failed")) {
                result = "Failed";
                signals.add("rollout: " + r.detail());
            } else {
                // the analysis window: new critical problems of the workload (restarts, OOMKills, probe failures,
                // error lines) that were not there before the change
                Instant end = clock.instant().plus(policy.analysis());
                do {
                    for (String now : actions.problemsNow(c.action())) {
                        if (!before.contains(now) && !signals.contains(now)) signals.add(now);
                    }
                    if (!signals.isEmpty()) break;
                    sleep(Math.min(2000, Math.max(200, policy.analysis().toMillis() / 5)));
                } while (clock.instant().isBefore(end));
                result = !signals.isEmpty() ? "Failed" : r.outcome().equals("succeeded") ? "Successful" : "Inconclusive";
                if (!r.outcome().equals("succeeded")) signals.add(0, "rollout: " + r.detail());
            }
            ObjectNode m = JsonNodeFactory.instance.objectNode().put("result", result).put("rollout", r.detail());
            ArrayNode s = m.putArray("signals");
            signals.forEach(s::add);
            actions.recordVerification(p.id(), new Proposal.Verification(result.equals("Successful") ? "succeeded"
                    : result.equals("Failed") ? "failed" : "inconclusive", r.detail(), signals, clock.instant()));
            Change cur = get(c.id());
            Change next = move(cur, cur.withMonitor(m).with(result.equals("Successful") ? "monitoring" : "monitoring",
                    "analysis: " + result + (signals.isEmpty() ? "" : " (" + String.join("; ", signals) + ")"), clock.instant()));
            listener.accept(next);
            answer(t.token(), JsonNodeFactory.instance.objectNode().put("result", result));
        } finally {
            beat.cancel(false);
        }
    }

    private void record(Change c, ChangeTask t) {
        IntendedStateStore store = intents;
        if (store != null && List.of("Deployment", "StatefulSet", "DaemonSet", "ConfigMap").contains(c.action().targetKind())) {
            JsonNode live = cluster.read(c.action());
            if (live != null) store.put(IntendedState.of(c, actions.get(c.proposalId()).hash(), live, clock.instant()));
        }
        boolean first = !"succeeded".equals(c.status());
        Change next = move(c, c.with("succeeded", "executed, rolled out and healthy through the analysis", clock.instant()));
        if (first) notify(next, "change-succeeded", "Change " + c.id() + " succeeded", "Executed as " + c.approver()
                + "; analysis " + (c.monitor() == null ? "not run" : c.monitor().path("result").asText()) + ".");
        actions.audit().append(new AuditRecord.Entry("change-succeeded", ActionService.SYSTEM, c.proposalId(),
                c.action().target(), c.action().kind().id(), AuditRecord.detail("changeId", c.id())));
        listener.accept(next);
        answer(t.token(), JsonNodeFactory.instance.objectNode().put("intended", c.action().target()));
    }

    private void rollback(Change c, ChangeTask t) {
        if (c.rollbackProposalId() != null) {
            answer(t.token(), JsonNodeFactory.instance.objectNode().put("rollbackProposalId", c.rollbackProposalId()));
            return;
        }
        c = investigate(c, "failed its analysis after it rolled out (" + signalsOf(c) + ")");
        Proposal failed = actions.get(c.proposalId());
        ActionService.Requester approver = new ActionService.Requester(c.approver(), c.approverGroups(), null, null,
                c.correlationId());
        if (policy.autoRollback() && "Deployment".equals(c.action().targetKind())) {
            Proposal rb = actions.rollbackCovered(failed, approver, failed.hash());
            Change cur = move(c, c.withRollback(rb.id()).with("monitoring", "rolling back to the previous revision", clock.instant()));
            listener.accept(cur);
            if (rb.status() != ProposalStatus.EXECUTING) {
                fail(t.token(), "Change.Failed", "the rollback is " + rb.status().id() + ": " + lastDetail(rb));
                return;
            }
            ClusterActions.Rollout r = actions.awaitRollout(rb.action(), ActionService.DEFAULT_ROLLOUT_TIMEOUT);
            actions.recordVerification(rb.id(), new Proposal.Verification(r.outcome(), r.detail(), List.of(), clock.instant()));
            if (!r.outcome().equals("succeeded")) {
                fail(t.token(), "Change.Failed", "the rollback did not roll out: " + r.detail());
                return;
            }
            Change next = move(get(c.id()), get(c.id()).with("rolled-back", "the analysis failed ("
                    + signalsOf(c) + "); rolled back to the previous revision", clock.instant()));
            listener.accept(next);
            notify(next, "change-rolled-back", "Change " + c.id() + " failed its analysis and was rolled back",
                    "Signals: " + signalsOf(c), "Rolled back as " + c.approver() + " to the previous revision.",
                    next.investigationRunId() == null ? null : "Investigation: run " + next.investigationRunId() + ".");
            answer(t.token(), JsonNodeFactory.instance.objectNode().put("rollbackProposalId", rb.id()).put("automatic", true));
            return;
        }
        Proposal rb = actions.propose(io.opsagent.core.actions.Action.of(io.opsagent.core.actions.ActionKind.ROLLBACK,
                c.action().namespace(), c.action().targetKind(), c.action().name(), null),
                new ActionService.Requester(ActionService.SYSTEM, List.of(), null, null, c.correlationId()));
        Change next = move(c, c.withRollback(rb.id()).with("rolled-back", "the analysis failed (" + signalsOf(c)
                + "); a rollback is proposed for approval: " + rb.id(), clock.instant()));
        listener.accept(next);
        notify(next, "change-rolled-back", "Change " + c.id() + " failed its analysis: its rollback waits for approval",
                "Signals: " + signalsOf(c), "Rollback proposal " + rb.id() + " waits for an approver.",
                next.investigationRunId() == null ? null : "Investigation: run " + next.investigationRunId() + ".");
        answer(t.token(), JsonNodeFactory.instance.objectNode().put("rollbackProposalId", rb.id()).put("automatic", false));
    }

    /**
     * Opens the investigation run about {@code c}'s failure (once: a redelivered step finds it linked) and links it;
     * a run that cannot be opened is logged and audited, never a reason for the chain to stop.
     */
    private Change investigate(Change c, String what) {
        ChangeInvestigator inv = investigator;
        if (inv == null || c.investigationRunId() != null) return c;
        Action a = c.action();
        boolean workload = List.of("Deployment", "StatefulSet", "DaemonSet").contains(a.targetKind());
        String question = "Change " + c.id() + " (" + a.summary() + ", approved by " + c.approver() + ") " + what
                + ". What went wrong with " + a.target() + ", what is the evidence, and what should be done next?";
        try {
            String runId = inv.open(c.requester(), a.namespace() + "/" + (workload ? a.name() : "*"), question);
            Change next = move(c, c.withInvestigation(runId));
            actions.audit().append(new AuditRecord.Entry("change-investigation-opened", ActionService.SYSTEM,
                    c.proposalId(), a.target(), a.kind().id(), AuditRecord.detail("changeId", c.id(), "runId", runId)));
            listener.accept(next);
            return next;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "change " + c.id() + ": no investigation run could be opened", e);
            actions.audit().append(new AuditRecord.Entry("change-investigation-failed", ActionService.SYSTEM,
                    c.proposalId(), a.target(), a.kind().id(), AuditRecord.detail("changeId", c.id(), "why",
                            String.valueOf(e.getMessage()))));
            return c;
        }
    }

    private static String signalsOf(Change c) {
        if (c.monitor() == null) return "no analysis";
        List<String> s = new ArrayList<>();
        c.monitor().path("signals").forEach(x -> s.add(x.asText()));
        return s.isEmpty() ? c.monitor().path("result").asText() : String.join("; ", s);
    }

    private void escalate(Change c, ChangeTask t) {
        String why = switch (t.outcome() == null ? "" : t.outcome()) {
            case "inconclusive" -> "the analysis was inconclusive (" + signalsOf(c) + ")";
            case "rollback-failed" -> "the analysis failed and the rollback failed too";
            case "monitor-error" -> "the monitor could not finish";
            default -> t.outcome();
        };
        c = investigate(c, "was escalated: " + why);
        Change next = move(c, c.with("escalated", "a human must look: " + why, clock.instant()));
        notify(next, "change-escalated", "Change " + c.id() + " needs a human", "Why: " + why + ".",
                next.investigationRunId() == null ? null : "Investigation: run " + next.investigationRunId() + ".");
        actions.audit().append(new AuditRecord.Entry("change-escalated", ActionService.SYSTEM, c.proposalId(),
                c.action().target(), c.action().kind().id(), AuditRecord.detail("changeId", c.id(), "why", why)));
        listener.accept(next);
        answer(t.token(), JsonNodeFactory.instance.objectNode().put("escalated", true));
    }

    private void finish(Change c, ChangeTask t) {
        String outcome = t.outcome() == null ? "error" : t.outcome();
        String cause = t.error() == null ? null : t.error().path("Cause").asText(null);
        String status = switch (outcome) {
            case "refused" -> "refused";
            case "rejected" -> "rejected";
            // an engine may report a lost approval request as a plain timeout (LocalStack does): the expiry decides
            case "approval-expired", "approval-lost" -> c.approvalExpiresAt() != null
                    && clock.instant().isBefore(c.approvalExpiresAt().minusSeconds(1)) ? "approval-lost" : "expired";
            case "stale" -> "stale";
            case "execution-failed" -> "failed";
            default -> "error";
        };
        String detail = switch (status) {
            case "refused" -> "refused: " + (c.violations().isEmpty() ? cause : String.join("; ", c.violations()));
            case "rejected" -> c.detail() != null && c.detail().startsWith("rejected") ? c.detail() : "rejected: " + cause;
            case "expired" -> "nobody decided before the approval expired";
            case "approval-lost" -> "the approval request was no longer held by a server (no heartbeat)";
            default -> cause == null ? outcome : cause;
        };
        if (c.proposalId() != null && (status.equals("expired") || status.equals("approval-lost"))) {
            Proposal p = actions.get(c.proposalId()); // expires it when due
            if (p.status() == ProposalStatus.PENDING) {
                try {
                    actions.reject(p.id(), new ActionService.Requester(c.requester(), c.requesterGroups(), null, null,
                            c.correlationId()), "the change's approval " + (status.equals("expired") ? "expired" : "request was lost"));
                } catch (ActionException ignored) {
                    // decided meanwhile
                }
            }
        }
        Change cur = get(c.id());
        boolean first = !cur.ended();
        Change next = move(cur, cur.withApprovalToken(null, cur.approvalExpiresAt()).with(status, detail, clock.instant()));
        if (first && !status.equals("cancelled")) {
            notify(next, "change-" + status, "Change " + c.id() + " ended " + status, detail);
        }
        actions.audit().append(new AuditRecord.Entry("change-" + status, ActionService.SYSTEM, c.proposalId(),
                c.action().target(), c.action().kind().id(), AuditRecord.detail("changeId", c.id(), "detail", detail)));
        listener.accept(next);
        answer(t.token(), JsonNodeFactory.instance.objectNode().put("status", status));
    }

    // ------------------------------------------------------------------ helpers

    private Change move(Change from, Change to) {
        for (int i = 0; i < 5; i++) {
            Optional<Change> done = store.replace(from, to);
            if (done.isPresent()) return done.get();
            Change now = get(from.id());
            to = rebase(now, to);
            from = now;
        }
        throw new IllegalStateException("change " + from.id() + " keeps changing under us");
    }

    /** {@code to}'s status and detail over the latest stored version (a concurrent write kept). */
    private static Change rebase(Change now, Change to) {
        Change r = now.with(to.status(), to.detail(), to.updatedAt());
        if (to.proposalId() != null) r = r.withEvidence(to.proposalId(), to.evidence());
        if (to.monitor() != null) r = r.withMonitor(to.monitor());
        if (to.rollbackProposalId() != null) r = r.withRollback(to.rollbackProposalId());
        if (!to.violations().isEmpty()) r = r.withViolations(to.violations());
        if (to.investigationRunId() != null) r = r.withInvestigation(to.investigationRunId());
        if (to.asked() != null && now.asked() == null) r = r.withNarrowed(to.action());
        if (to.window() != null) r = r.withWindow(to.window());
        return r;
    }

    private void answer(String token, JsonNode output) {
        try {
            chain.succeed(token, output.toString());
            answered.add(token);
        } catch (ChangeOrchestrator.TokenGone gone) {
            answered.add(token);
        }
    }

    private void fail(String token, String error, String cause) {
        try {
            chain.fail(token, error, cause);
        } catch (ChangeOrchestrator.TokenGone gone) {
            // nothing waits for it any more
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the heartbeats. */
    public void close() {
        beats.shutdownNow();
    }

    static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }
}
