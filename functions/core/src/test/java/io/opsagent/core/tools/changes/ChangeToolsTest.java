package io.opsagent.core.tools.changes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.opsagent.core.actions.Action;
import io.opsagent.core.actions.ActionKind;
import io.opsagent.core.actions.ActionService;
import io.opsagent.core.actions.ApprovalPolicy;
import io.opsagent.core.actions.Canonical;
import io.opsagent.core.actions.FieldChange;
import io.opsagent.core.actions.InMemoryAuditLog;
import io.opsagent.core.actions.InMemoryProposalStore;
import io.opsagent.core.actions.Proposal;
import io.opsagent.core.actions.ProposalStatus;
import io.opsagent.core.agent.offline.Intent;
import io.opsagent.core.agent.offline.IntentRules;
import io.opsagent.core.changes.Change;
import io.opsagent.core.changes.ChangePolicy;
import io.opsagent.core.changes.ChangeService;
import io.opsagent.core.changes.ChangeStore;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.tools.SnapshotProvider;
import io.opsagent.core.tools.ToolContext;
import io.opsagent.core.tools.ToolResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The approvals and changes tools over the real services (stores in memory; the engine that runs chains records what
 * it is told): what waits for approval, what runs, and a cancel only the requester or approver may make. The offline
 * analyst's questions for them are recognised.
 */
class ChangeToolsTest {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private final InMemoryProposalStore proposals = new InMemoryProposalStore();
    private final ActionService actions = new ActionService(null, proposals, new InMemoryAuditLog(Clock.systemUTC()),
            new ApprovalPolicy(null, true, Set.of(), Duration.ofMinutes(15)), null, Clock.systemUTC(), Runnable::run, null);
    private final ChangeStore store = new ChangeStore.InMemory();
    private final io.opsagent.core.changes.RecordingOrchestrator chain = new io.opsagent.core.changes.RecordingOrchestrator();
    private final List<String> engine = chain.calls;
    private final ChangeService changes = new ChangeService(store, actions, null, chain, ChangePolicy.LOCAL, Clock.systemUTC());

    @AfterEach
    void close() {
        changes.close();
    }

    private ToolContext as(String user) {
        SnapshotProvider none = () -> ClusterSnapshot.builder("none").build();
        return new ToolContext("run-1", user, "shop", "web", none, null, "deployment", actions, "sess-1", changes);
    }

    private Proposal pending() {
        Instant t = Instant.now();
        Action a = Action.of(ActionKind.SET_IMAGE, "shop", "Deployment", "web", Canonical.parse("{\"container\":\"web\",\"image\":\"web:2\"}"));
        return proposals.create(new Proposal("act-000000000001", a, a.hash(), new Proposal.Target("7", 1L, "uid"),
                new Proposal.DryRun(null, List.of(new FieldChange("spec.template.spec.containers[web].image", "web:1", "web:2"))),
                new Proposal.BlastRadius(List.of("web-1"), 1, 1, List.of()), new Proposal.Risk("medium", List.of("1 pod"), false),
                null, "bob", null, null, "c", t, t.plusSeconds(900), ProposalStatus.PENDING, List.of(), null, null, 0));
    }

    @Test
    void approvalsAndRunningChangesAreListedAndOnlyTheRequesterOrApproverCancels() {
        Proposal p = pending();
        Instant t = Instant.now();
        store.create(new Change("chg-000000000001", p.action(), "bob", List.of(), "c", t, t, "awaiting-approval", "waiting",
                List.of(), p.id(), JsonNodeFactory.instance.objectNode(), null, null, null, null, "tok", p.expiresAt(), 0));
        // the agent's context of shop/web names both, fresh each turn
        String context = io.opsagent.core.agent.ContextBuilder.inFlight(as("carol"), new io.opsagent.core.agent.Scope("shop", "web"),
                io.opsagent.core.redact.Redactor.standard());
        assertThat(context).contains("## Changes in flight and pending approvals of this workload",
                "change chg-000000000001 [awaiting-approval]", "proposal " + p.id() + " waits for an approval");
        assertThat(io.opsagent.core.agent.ContextBuilder.inFlight(as("carol"), new io.opsagent.core.agent.Scope("shop", "other"),
                io.opsagent.core.redact.Redactor.standard())).isEmpty();
        ToolResult approvals = new ChangeTools.ListApprovals().call(JsonNodeFactory.instance.objectNode(), as("carol"));
        assertThat(approvals.text()).contains("1 proposal waits for an approval", p.id(), "you may approve it");
        assertThat(new ChangeTools.ListApprovals().call(JsonNodeFactory.instance.objectNode(), as("bob")).text())
                .contains("you may not approve it");
        assertThat(approvals.text()).doesNotContain(p.hash()); // nothing in a tool's output can approve anything
        ToolResult running = new ChangeTools.ListChanges().call(JsonNodeFactory.instance.objectNode().put("running", true), as("carol"));
        assertThat(running.text()).contains("chg-000000000001 [awaiting-approval]", "asked by bob");
        ToolResult refused = new ChangeTools.CancelChange().call(JsonNodeFactory.instance.objectNode(), as("dave"));
        assertThat(refused.error()).isTrue();
        assertThat(refused.text()).contains("dave may not cancel chg-000000000001: only its requester (bob)");
        ToolResult cancelled = new ChangeTools.CancelChange().call(JsonNodeFactory.instance.objectNode().put("reason", "wrong tag"), as("bob"));
        assertThat(cancelled.error()).as(cancelled.text()).isFalse();
        assertThat(cancelled.text()).contains("cancelled by bob: wrong tag");
        assertThat(engine).containsExactly("stop chg-000000000001: cancelled by bob");
        assertThat(proposals.get(p.id()).orElseThrow().status()).isEqualTo(ProposalStatus.REJECTED); // withdrawn
        assertThat(new ChangeTools.ListChanges().call(JsonNodeFactory.instance.objectNode().put("running", true), as("bob")).text())
                .contains("No running changes of shop/web");
        assertThat(new ChangeTools.CancelChange().call(JsonNodeFactory.instance.objectNode(), as("bob")).text())
                .contains("no change of this workload is running");
        // without a change chain or write actions, each says so
        ToolContext plain = new ToolContext("run-1", "bob", "shop", "web", () -> ClusterSnapshot.builder("none").build());
        assertThat(new ChangeTools.ListChanges().call(JsonNodeFactory.instance.objectNode(), plain).text()).contains("not running here");
        assertThat(new ChangeTools.ListApprovals().call(JsonNodeFactory.instance.objectNode(), plain).text()).contains("no approvals");
    }

    @Test
    void aPendingProposalIsSubmittedAsAChangeByItsRequesterOnly() {
        Proposal p = pending();
        ToolResult notHers = new ChangeTools.SubmitChange().call(JSON.createObjectNode().put("proposalId", p.id()), as("carol"));
        assertThat(notHers.error()).isTrue();
        assertThat(notHers.text()).contains("carol may not submit " + p.id() + " as a change: only its requester (bob) may");
        assertThat(new ChangeTools.SubmitChange().call(JSON.createObjectNode().put("proposalId", "x"), as("bob")).text())
                .contains("proposalId must be a proposal id");
        ToolResult ok = new ChangeTools.SubmitChange().call(JSON.createObjectNode().put("proposalId", p.id()), as("bob"));
        assertThat(ok.error()).as(ok.text()).isFalse();
        String changeId = ok.data().path("changeId").asText();
        assertThat(ok.text()).contains("Proposal " + p.id() + " is now change " + changeId, "nothing changes before one approves");
        Change c = store.get(changeId).orElseThrow();
        assertThat(c.action()).isEqualTo(p.action());
        assertThat(c.requester()).isEqualTo("bob");
        Proposal withdrawn = actions.get(p.id());
        assertThat(withdrawn.status()).isEqualTo(ProposalStatus.REJECTED);
        assertThat(withdrawn.decisions().get(0).reason()).isEqualTo("submitted as change " + changeId);
        // once: it is no longer pending
        assertThat(new ChangeTools.SubmitChange().call(JSON.createObjectNode().put("proposalId", p.id()), as("bob")).text())
                .contains("is rejected: only a pending proposal can become a change");
    }

    @Test
    void theOfflineAnalystRecognisesTheQuestions() {
        assertThat(IntentRules.classify("show pending approvals", null).kind()).isEqualTo(Intent.Kind.APPROVALS);
        assertThat(IntentRules.classify("what is waiting for my approval?", null).kind()).isEqualTo(Intent.Kind.APPROVALS);
        assertThat(IntentRules.classify("what changes are running?", null).kind()).isEqualTo(Intent.Kind.CHANGE_RUNS);
        assertThat(IntentRules.classify("cancel the failing change", null).kind()).isEqualTo(Intent.Kind.CANCEL);
        assertThat(IntentRules.classify("what changed?", null).kind()).isEqualTo(Intent.Kind.CHANGES);
        assertThat(IntentRules.classify("roll back to the previous version", null).kind()).isEqualTo(Intent.Kind.WRITE);
        assertThat(IntentRules.classify("show the deployment history", null).kind()).isEqualTo(Intent.Kind.CHANGES);
    }
}
