package io.opsagent.core.changes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.opsagent.core.actions.Action;
import io.opsagent.core.actions.ActionException;
import io.opsagent.core.actions.ActionKind;
import io.opsagent.core.actions.ActionService;
import io.opsagent.core.actions.AuditRecord;
import io.opsagent.core.actions.ClusterActions;
import io.opsagent.core.actions.Proposal;
import io.opsagent.core.actions.ProposalStatus;
import io.opsagent.core.tools.SnapshotProvider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Drift between what successful changes left ({@link IntendedState}) and the live cluster: a container image that is
 * not the intended one, replicas that differ (unless an HPA owns them), a ConfigMap whose content changed, a workload
 * that is gone, a Service of the workload with no ready endpoint. Each is classified and either remediated at once — only the types {@link DriftPolicy} allows, inside
 * the change windows, within the attempt budget and its backoff, and never on an object that keeps changing under us
 * — by restoring exactly the intended value as the human who approved the change that recorded it (covered by that
 * approval: {@link ActionService#executeCovered}), or escalated as a proposal for a human to approve. Every check,
 * remediation and escalation is in the audit log.
 */
public final class DriftService {
    /**
     * One difference: its type ({@code image}, {@code replicas}, {@code config}, {@code missing}, {@code endpoints}: a
     * Service of the workload with no ready endpoint), what, the fix (null: none is known, a human must look).
     */
    public record Drift(IntendedState intent, String type, String detail, Action fix, String resourceVersion) {
    }

    /** What was done about one drift: {@code remediated}, {@code escalated}, {@code deferred} (backoff), with why. */
    public record Outcome(Drift drift, String result, String why, String proposalId) {
    }

    private final IntendedStateStore intents;
    private final ActionService actions;
    private final ClusterActions cluster;
    private final SnapshotProvider snapshots;
    private final java.util.function.Supplier<ChangePolicy> changePolicy;
    private final Clock clock;
    private volatile DriftPolicy policy;
    /** Per target: our remediation attempts, and the resourceVersions seen (with when), to find thrash. */
    private final Map<String, Deque<Instant>> attempts = new ConcurrentHashMap<>();
    private final Map<String, Deque<Object[]>> versions = new ConcurrentHashMap<>();
    private final Map<String, String> ourVersions = new ConcurrentHashMap<>();

    public DriftService(IntendedStateStore intents, ActionService actions, ClusterActions cluster, SnapshotProvider snapshots,
                        java.util.function.Supplier<ChangePolicy> changePolicy, DriftPolicy policy, Clock clock) {
        this.intents = intents;
        this.actions = actions;
        this.cluster = cluster;
        this.snapshots = snapshots;
        this.changePolicy = changePolicy;
        this.policy = policy;
        this.clock = clock;
    }

    public void policy(DriftPolicy p) {
        this.policy = p;
    }

    /** How many intended states there are to compare. */
    public int intended() {
        return intents.list().size();
    }

    /** Every drift of every intended state now. */
    public List<Drift> detect() {
        List<Drift> out = new ArrayList<>();
        for (IntendedState s : intents.list()) out.addAll(detect(s));
        return out;
    }

    /** The drift of one intended state now. */
    public List<Drift> detect(IntendedState s) {
        List<Drift> out = new ArrayList<>();
        JsonNode live = cluster.read(readAction(s));
        if (live == null) {
            out.add(new Drift(s, "missing", s.kind() + " " + s.namespace() + "/" + s.name() + " no longer exists", null, null));
            return out;
        }
        String rv = live.path("metadata").path("resourceVersion").asText(null);
        see(s.key(), rv);
        if (s.kind().equals("ConfigMap")) {
            String now = IntendedState.hash(live.path("data"));
            if (s.configHash() != null && !s.configHash().equals(now)) {
                out.add(new Drift(s, "config", "ConfigMap " + s.namespace() + "/" + s.name() + " content changed since change "
                        + s.changeId() + " (sha256 " + s.configHash().substring(0, 12) + " → " + now.substring(0, 12) + ")", null, rv));
            }
            return out;
        }
        for (JsonNode ct : live.path("spec").path("template").path("spec").path("containers")) {
            String c = ct.path("name").asText();
            String want = s.images().get(c);
            String have = ct.path("image").asText();
            if (want != null && !want.equals(have)) {
                out.add(new Drift(s, "image", "container " + c + " of " + s.key() + " runs " + have + ", not the intended "
                        + want + " (" + s.origin() + ")", Action.of(ActionKind.SET_IMAGE, s.namespace(), s.kind(),
                        s.name(), JsonNodeFactory.instance.objectNode().put("container", c).put("image", want)), rv));
            }
        }
        Integer have = live.path("spec").path("replicas").isInt() ? live.path("spec").path("replicas").asInt() : null;
        if (s.replicas() != null && have != null && !have.equals(s.replicas()) && !hpaOwns(s)) {
            out.add(new Drift(s, "replicas", s.key() + " has " + have + " replicas, not the intended " + s.replicas()
                    + " (" + s.origin() + ")", Action.of(ActionKind.SCALE, s.namespace(), s.kind(), s.name(),
                    JsonNodeFactory.instance.objectNode().put("replicas", s.replicas())), rv));
        }
        if (s.replicas() == null || s.replicas() > 0) out.addAll(darkServices(s, live, rv));
        return out;
    }

    /**
     * The Services that select the workload's pods (their selector is part of its pod template's labels) and have no
     * ready endpoint: traffic sent to them goes nowhere. Never remediated automatically (what would restore it is not
     * known from here: the pods may fail their probes, be gone, or be scaled away): escalated for a human.
     */
    private List<Drift> darkServices(IntendedState s, JsonNode live, String rv) {
        List<Drift> out = new ArrayList<>();
        if (snapshots == null) return out;
        JsonNode labels = live.path("spec").path("template").path("metadata").path("labels");
        io.opsagent.core.cluster.ClusterSnapshot snap;
        try {
            snap = snapshots.snapshot();
        } catch (RuntimeException e) {
            return out;
        }
        for (var svc : snap.services()) {
            if (!s.namespace().equals(svc.getMetadata().getNamespace()) || svc.getSpec() == null) continue;
            Map<String, String> sel = svc.getSpec().getSelector();
            if (sel == null || sel.isEmpty() || "ExternalName".equals(svc.getSpec().getType())) continue;
            if (!sel.entrySet().stream().allMatch(e -> e.getValue().equals(labels.path(e.getKey()).asText(null)))) continue;
            var ep = snap.endpoints().stream().filter(e -> svc.getMetadata().getName().equals(e.getMetadata().getName())
                    && s.namespace().equals(e.getMetadata().getNamespace())).findFirst();
            if (ep.isEmpty()) continue; // not made yet by its controller: nothing known
            int ready = 0;
            int notReady = 0;
            if (ep.get().getSubsets() != null) {
                for (var sub : ep.get().getSubsets()) {
                    ready += sub.getAddresses() == null ? 0 : sub.getAddresses().size();
                    notReady += sub.getNotReadyAddresses() == null ? 0 : sub.getNotReadyAddresses().size();
                }
            }
            if (ready == 0) {
                out.add(new Drift(s, "endpoints", "Service " + s.namespace() + "/" + svc.getMetadata().getName()
                        + " selects the pods of " + s.key() + " and has no ready endpoint ("
                        + (notReady == 0 ? "no pod" : notReady + " pod" + (notReady == 1 ? "" : "s") + " not ready")
                        + "): its traffic goes nowhere", null, rv));
            }
        }
        return out;
    }

    /** One drift as a state machine item: {@code {key, type, container?, detail}}. */
    public static com.fasterxml.jackson.databind.node.ObjectNode item(Drift d) {
        var o = JsonNodeFactory.instance.objectNode().put("key", d.intent().key()).put("type", d.type()).put("detail", d.detail());
        if (d.fix() != null && d.fix().params().has("container")) o.put("container", d.fix().params().path("container").asText());
        return o;
    }

    /** The drift an item names, as it is now (empty: it is gone, or its intended state is). */
    public java.util.Optional<Drift> find(JsonNode item) {
        return intents.get(item.path("key").asText()).flatMap(s -> detect(s).stream()
                .filter(d -> d.type().equals(item.path("type").asText()))
                .filter(d -> !item.has("container") || d.fix() != null
                        && item.path("container").asText().equals(d.fix().params().path("container").asText()))
                .findFirst());
    }

    /** Detects and acts on every drift; returns what was done. */
    public List<Outcome> checkAndRemediate() {
        List<Outcome> out = new ArrayList<>();
        for (Drift d : detect()) out.add(remediate(d));
        actions.audit().append(new AuditRecord.Entry("drift-checked", ActionService.SYSTEM, null, null, null,
                AuditRecord.detail("intended", intents.list().size(), "drift", out.size(),
                        "remediated", out.stream().filter(o -> o.result().equals("remediated")).count(),
                        "escalated", out.stream().filter(o -> o.result().equals("escalated")).count())));
        return out;
    }

    /** Remediates {@code d} where policy allows, else escalates it (or defers it, inside its backoff). */
    public Outcome remediate(Drift d) {
        IntendedState s = d.intent();
        Instant now = clock.instant();
        String why = autoRefusal(d, now);
        if (why == null) {
            Deque<Instant> tried = attempts.computeIfAbsent(s.key(), k -> new ConcurrentLinkedDeque<>());
            Instant last = tried.peekLast();
            if (last != null) {
                long n = tried.stream().filter(t -> t.isAfter(now.minus(policy.budgetWindow()))).count();
                Duration wait = policy.backoff().multipliedBy(1L << Math.min(20, Math.max(0, n - 1)));
                if (now.isBefore(last.plus(wait))) {
                    return audit(new Outcome(d, "deferred", "backing off: the last attempt was at " + last + ", the next is due at "
                            + last.plus(wait), null));
                }
            }
            tried.add(now);
            try {
                Proposal p = actions.executeCovered(d.fix(), new ActionService.Requester(s.approver(), s.approverGroups(), null,
                                null, "drift-" + s.changeId()), s.changeId(), s.proposalHash(),
                        "drift remediation: restore the state change " + s.changeId() + " left (" + d.type() + ")",
                        null, null, "drift-" + s.changeId());
                if (p.status() == ProposalStatus.EXECUTING) {
                    if (p.execution() != null && p.execution().resultVersion() != null) ourVersions.put(s.key(), p.execution().resultVersion());
                    ClusterActions.Rollout r = actions.awaitRollout(d.fix(), ActionService.DEFAULT_ROLLOUT_TIMEOUT);
                    actions.recordVerification(p.id(), new Proposal.Verification(r.outcome(), r.detail(), List.of(), clock.instant()));
                    return audit(new Outcome(d, "remediated", "restored as " + s.approver() + " (" + r.detail() + ")", p.id()));
                }
                why = "the remediation was " + p.status().id();
            } catch (ActionException e) {
                why = "the remediation could not run: " + e.getMessage();
            }
        }
        return escalate(d, why);
    }

    /** Why {@code d} may not be remediated without asking; null when it may. */
    private String autoRefusal(Drift d, Instant now) {
        IntendedState s = d.intent();
        if (d.fix() == null) return d.type() + " drift is never remediated automatically";
        if (!policy.autoTypes().contains(d.type())) return "policy does not remediate " + d.type() + " drift automatically";
        if (s.approver() == null || s.proposalHash() == null) {
            return "no approval comes with the intended state (" + s.origin() + "): a human must approve the fix";
        }
        List<String> v = changePolicy.get().violations(d.fix(), now);
        if (!v.isEmpty()) return String.join("; ", v);
        Deque<Instant> tried = attempts.getOrDefault(s.key(), new ConcurrentLinkedDeque<>());
        long n = tried.stream().filter(t -> t.isAfter(now.minus(policy.budgetWindow()))).count();
        if (n >= policy.maxAttempts()) {
            return "the attempt budget is spent: " + n + " remediations of " + s.key() + " in the last "
                    + policy.budgetWindow().toMinutes() + " minutes";
        }
        long theirs = changesByOthers(s.key(), now);
        if (theirs >= policy.thrashChanges()) {
            return s.key() + " keeps changing under us (" + theirs + " changes by someone else in the last "
                    + policy.thrashWindow().toMinutes() + " minutes): someone is editing it";
        }
        return null;
    }

    private volatile ChangeService chain;

    /**
     * Escalations go through the change chain of {@code c} (validated, evidence, a human's approval, executed as them,
     * monitored, rolled back): the fix is submitted as a change of OpsAgent's. A fix the change windows refuse now
     * waits as a plain proposal instead (the chain would refuse it at once). Returns this.
     */
    public DriftService changes(ChangeService c) {
        this.chain = c;
        return this;
    }

    private Outcome escalate(Drift d, String why) {
        if (d.fix() == null) return audit(new Outcome(d, "escalated", why + "; a human must look", null));
        ChangeService cs = chain;
        if (cs != null && changePolicy.get().violations(d.fix(), clock.instant()).isEmpty()) {
            // one change per drift: a check that finds it again does not submit it again
            for (Change c : cs.list(200)) {
                if (!c.ended() && c.action().equals(d.fix())) {
                    return new Outcome(d, "escalated", why + "; change " + c.id() + " waits already", c.proposalId());
                }
            }
            IntendedState.ActionOwner owner = d.intent().owner();
            if (owner != null) {
                try {
                    // on behalf of whoever stands behind the intended state: their RBAC applies to its dry run, and
                    // someone else must approve it
                    Change c = cs.submit(d.fix(), new ActionService.Requester(owner.user(), owner.groups(), null, null,
                            "drift-" + d.intent().changeId()));
                    return audit(new Outcome(d, "escalated", why + "; submitted as change " + c.id() + " on behalf of "
                            + owner.user() + ", for another approver", null));
                } catch (ActionException e) {
                    // the chain cannot take it: a plain proposal still asks a human
                }
            }
        }
        // one waiting proposal per drift: a check that finds it again does not propose it again
        for (Proposal p : actions.list(ProposalStatus.PENDING, 200)) {
            if (p.action().equals(d.fix())) return new Outcome(d, "escalated", why + "; proposal " + p.id() + " waits already", p.id());
        }
        try {
            IntendedState s = d.intent();
            IntendedState.ActionOwner owner = s.owner();
            ActionService.Requester system = new ActionService.Requester(ActionService.SYSTEM, List.of(), null, null,
                    "drift-" + s.changeId());
            // dry-run as whoever stands behind the intended state (OpsAgent's own identity writes nothing), so an
            // approver can approve it
            Proposal p = owner == null ? actions.propose(d.fix(), system)
                    : actions.propose(d.fix(), system, new io.opsagent.core.actions.ClusterActions.Identity(owner.user(), owner.groups()));
            return audit(new Outcome(d, "escalated", why + "; proposed for approval: " + p.id(), p.id()));
        } catch (ActionException e) {
            return audit(new Outcome(d, "escalated", why + "; not proposed: " + e.getMessage(), null));
        }
    }

    private Outcome audit(Outcome o) {
        IntendedState s = o.drift().intent();
        actions.audit().append(new AuditRecord.Entry("drift-" + o.result(), ActionService.SYSTEM, o.proposalId(),
                s.namespace() + "/" + s.kind() + "/" + s.name(), o.drift().fix() == null ? null : o.drift().fix().kind().id(),
                AuditRecord.detail("type", o.drift().type(), "detail", o.drift().detail(), "why", o.why(),
                        "intendedBy", s.changeId())));
        return o;
    }

    /** Records a resourceVersion seen for {@code key} now. */
    private void see(String key, String rv) {
        if (rv == null) return;
        Deque<Object[]> seen = versions.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>());
        Object[] last = seen.peekLast();
        if (last == null || !rv.equals(last[1])) seen.add(new Object[] {clock.instant(), rv});
        while (seen.size() > 50) seen.poll();
    }

    /** Changes of the object's resourceVersion within the thrash window that were not our remediations. */
    private long changesByOthers(String key, Instant now) {
        Deque<Object[]> seen = versions.getOrDefault(key, new ConcurrentLinkedDeque<>());
        String ours = ourVersions.get(key);
        List<Object[]> recent = seen.stream().filter(x -> ((Instant) x[0]).isAfter(now.minus(policy.thrashWindow()))).toList();
        long n = 0;
        for (int i = 1; i < recent.size(); i++) if (!recent.get(i)[1].equals(ours)) n++;
        return n;
    }

    private boolean hpaOwns(IntendedState s) {
        if (snapshots == null) return false;
        try {
            return snapshots.snapshot().hpas().stream().anyMatch(h -> s.namespace().equals(h.getMetadata().getNamespace())
                    && h.getSpec() != null && h.getSpec().getScaleTargetRef() != null
                    && s.kind().equals(h.getSpec().getScaleTargetRef().getKind())
                    && s.name().equals(h.getSpec().getScaleTargetRef().getName()));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** An action naming the object, used only to read it. */
    private static Action readAction(IntendedState s) {
        return s.kind().equals("ConfigMap")
                ? Action.of(ActionKind.PATCH_CONFIGMAP, s.namespace(), "ConfigMap", s.name(),
                JsonNodeFactory.instance.objectNode().put("key", "k").put("value", "v"))
                : Action.of(ActionKind.RESTART, s.namespace(), s.kind(), s.name(), // any workload kind (scale has no DaemonSet)
                JsonNodeFactory.instance.objectNode().put("restartedAt", "2026-01-01T00:00:00Z"));
    }
}
