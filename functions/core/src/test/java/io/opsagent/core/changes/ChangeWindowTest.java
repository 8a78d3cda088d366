package io.opsagent.core.changes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.opsagent.core.actions.Action;
import io.opsagent.core.actions.ActionKind;
import io.opsagent.core.actions.ActionService;
import io.opsagent.core.actions.ApprovalPolicy;
import io.opsagent.core.actions.InMemoryAuditLog;
import io.opsagent.core.actions.InMemoryProposalStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An approver's execution window, as the chain's steps see it: the approval answers with the window's start (the
 * Wait state's timestamp; now when there is none), and Execute refuses once the window closed, executing nothing.
 */
class ChangeWindowTest {
    private final io.opsagent.core.agent.MovableClock clock = new io.opsagent.core.agent.MovableClock(
            Instant.parse("2026-12-06T20:00:00Z"));
    private final ChangeStore store = new ChangeStore.InMemory();
    private final ActionService actions = new ActionService(null, new InMemoryProposalStore(), new InMemoryAuditLog(clock),
            new ApprovalPolicy(null, true, Set.of(), Duration.ofMinutes(15)), null, clock, Runnable::run, null);
    private final RecordingOrchestrator chain = new RecordingOrchestrator();
    private final List<String> answers = chain.calls;
    private final ChangeService changes = new ChangeService(store, actions, null, chain, ChangePolicy.LOCAL, clock);

    @AfterEach
    void close() {
        changes.close();
    }

    private Change stored(String status, String approver, String notBefore, String notAfter) {
        Action a = Action.of(ActionKind.SCALE, "shop", "Deployment", "web", JsonNodeFactory.instance.objectNode().put("replicas", 3));
        var w = JsonNodeFactory.instance.objectNode();
        if (notBefore != null) w.put("notBefore", notBefore);
        if (notAfter != null) w.put("notAfter", notAfter);
        Change c = new Change("chg-00000000000" + answers.size(), a, "bob", List.of(), "corr", clock.instant(), clock.instant(), status, "x", List.of(),
                "act-000000000001", null, approver, List.of(), null, null, null, null, 0, null, w.isEmpty() ? null : w, null);
        store.create(c);
        return c;
    }

    @Test
    void theApprovalAnswersWithTheWindowsStartOrNow() {
        Change c = stored("executing", "carol", "2026-12-06T22:00:00Z", "2026-12-06T23:00:00Z");
        changes.handle(new ChangeTask("approval", c.id(), "corr", "tok-1", null, null, null)); // a redelivered approval
        assertThat(answers).singleElement().asString()
                .isEqualTo("ok tok-1 {\"approvedBy\":\"carol\",\"notBefore\":\"2026-12-06T22:00:00Z\"}");
        Change plain = stored("executing", "carol", null, null);
        changes.handle(new ChangeTask("approval", plain.id(), "corr", "tok-2", null, null, null));
        assertThat(answers.get(1)).isEqualTo("ok tok-2 {\"approvedBy\":\"carol\",\"notBefore\":\"2026-12-06T20:00:00Z\"}");
    }

    @Test
    void executeRefusesOnceTheWindowClosedAndExecutesNothing() {
        Change c = stored("executing", "carol", "2026-12-06T19:00:00Z", "2026-12-06T19:30:00Z");
        changes.handle(new ChangeTask("execute", c.id(), "corr", "tok-3", null, null, null));
        assertThat(answers).singleElement().asString().isEqualTo("fail tok-3 Change.Stale: the window carol approved it "
                + "for closed at 2026-12-06T19:30:00Z: nothing was executed; submit it again");
    }

    @Test
    void executeReachedLongBeforeTheWindowOpensExecutesNothing() {
        Change c = stored("executing", "carol", "2026-12-06T22:00:00Z", null);
        changes.handle(new ChangeTask("execute", c.id(), "corr", "tok-4", null, null, null));
        assertThat(answers).singleElement().asString().startsWith("fail tok-4 Change.Failed: the chain reached Execute 7200 s "
                + "before the window carol approved opens (2026-12-06T22:00:00Z)");
    }
}
