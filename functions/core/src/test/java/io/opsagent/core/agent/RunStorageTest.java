package io.opsagent.core.agent;

import static io.opsagent.core.agent.model.ScriptedChatModel.answer;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsagent.core.agent.model.ModelEvent;
import io.opsagent.core.agent.model.ScriptedChatModel;
import io.opsagent.core.agent.model.StopReason;
import io.opsagent.core.agent.model.ToolCall;
import io.opsagent.core.redact.Redactor;
import io.opsagent.core.runs.Run;
import io.opsagent.core.runs.RunStatus;
import io.opsagent.core.runs.Step;
import io.opsagent.core.runs.StepType;
import io.opsagent.core.tools.SnapshotProvider;
import io.opsagent.core.tools.ToolRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * How a run is stored: a quick run in two writes (its start, its end with every step), a slow one after each tool
 * turn; a cancel between two tool calls of one turn is seen; a run ended elsewhere (a reaper, a shutdown) stops
 * without announcing an end of its own.
 */
class RunStorageTest {
    static final String USER = "alice";
    final InMemoryRunStore runs = new InMemoryRunStore();
    final InMemorySessionStore sessions = new InMemorySessionStore();
    final List<AgentEvent> events = new CopyOnWriteArrayList<>();

    /** A clock the test moves. */
    ConversationEngine engine(ScriptedChatModel model, Clock clock) {
        return new ConversationEngine(model, new ToolRegistry(List.of(ConversationEngineTest.echo())),
                SnapshotProvider.of(Demo.snapshot()), runs, sessions, Redactor.standard(), EngineConfig.defaults(), clock);
    }

    static ScriptedChatModel.Turn twoCalls(Runnable during) {
        return req -> {
            during.run();
            return List.of(new ModelEvent.ToolUse(new ToolCall("c1", "echo", ScriptedChatModel.parse("{\"text\":\"a\"}"))),
                    new ModelEvent.ToolUse(new ToolCall("c2", "echo", ScriptedChatModel.parse("{\"text\":\"b\"}"))),
                    new ModelEvent.Stop(StopReason.TOOL_USE, null));
        };
    }

    @Test
    void aQuickRunIsStoredInTwoWritesWithEveryStep() {
        Run run = engine(ScriptedChatModel.of(twoCalls(() -> { }), answer("done")), Clock.systemUTC())
                .askOnce(USER, "shop/cart", "q", "chat", events::add);
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(runs.steps(USER, run.id())).extracting(Step::type).containsExactly(StepType.MODEL_TURN,
                StepType.TOOL_CALL, StepType.TOOL_CALL, StepType.MODEL_TURN, StepType.RESPONSE);
        // the only write of the run besides its start is its end: no progress write per step
        assertThat(runs.updates).hasSize(1);
        assertThat(runs.updates.get(0).status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(sessions.messages(USER, run.sessionId())).extracting(m -> m.role()).containsExactly("user", "assistant");
    }

    @Test
    void aSlowRunStoresItsStepsAfterEachToolTurnSoItsHeartbeatStaysFresh() {
        MovableClock clock = new MovableClock();
        Run run = engine(ScriptedChatModel.of(twoCalls(() -> clock.advance(Duration.ofSeconds(5))),
                req -> {
                    clock.advance(Duration.ofSeconds(5));
                    return List.of(new ModelEvent.TextDelta("done\n"), new ModelEvent.Stop(StopReason.END_TURN, null));
                }), clock).askOnce(USER, "shop/cart", "q", "chat", events::add);
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        // the slow model turn and the first call are stored right after that call; the second call (quick) waits
        // for the end
        assertThat(runs.updates).hasSize(2);
        Run progress = runs.updates.get(0);
        assertThat(progress.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(progress.steps()).isEqualTo(2);
        assertThat(progress.heartbeat()).isEqualTo(Instant.parse("2026-12-06T10:00:05Z"));
    }

    @Test
    void aSlowToolCallStoresTheBatchAfterItSoTheHeartbeatNeverWaitsForTheWholeTurn() {
        MovableClock clock = new MovableClock();
        io.opsagent.core.tools.Tool slow = ConversationEngineTest.simple(ConversationEngineTest.echo().spec(),
                (a, c) -> {
                    clock.advance(Duration.ofSeconds(9)); // each call takes 9 s
                    return io.opsagent.core.tools.ToolResult.ok("ok", "ok", null, List.of());
                });
        ConversationEngine e = new ConversationEngine(ScriptedChatModel.of(twoCalls(() -> { }), answer("done")),
                new ToolRegistry(List.of(slow)), SnapshotProvider.of(Demo.snapshot()), runs, sessions,
                Redactor.standard(), EngineConfig.defaults(), clock);
        Run run = e.askOnce(USER, "shop/cart", "q", "chat", events::add);
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        // a write after each slow call: heartbeats 9 s apart, not 18
        assertThat(runs.updates).extracting(Run::heartbeat).containsExactly(
                Instant.parse("2026-12-06T10:00:09Z"), Instant.parse("2026-12-06T10:00:18Z"),
                Instant.parse("2026-12-06T10:00:18Z"));
        assertThat(runs.updates).extracting(Run::steps).containsExactly(2, 3, 5);
    }

    @Test
    void aCancelBetweenTwoToolCallsOfOneTurnIsSeen() {
        List<String> ran = new ArrayList<>();
        AtomicReference<ConversationEngine> engine = new AtomicReference<>();
        io.opsagent.core.tools.Tool cancelling = ConversationEngineTest.simple(ConversationEngineTest.echo().spec(),
                (a, c) -> {
                    ran.add(a.get("text").asText());
                    engine.get().cancel(USER, c.runId());
                    return io.opsagent.core.tools.ToolResult.ok("ok", "ok", null, List.of());
                });
        engine.set(new ConversationEngine(ScriptedChatModel.of(twoCalls(() -> { }), answer("never")),
                new ToolRegistry(List.of(cancelling)), SnapshotProvider.of(Demo.snapshot()), runs, sessions,
                Redactor.standard(), EngineConfig.defaults(), Clock.systemUTC()));
        Run run = engine.get().askOnce(USER, "shop/cart", "q", "chat", events::add);
        assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(ran).containsExactly("a"); // the second call of the same turn never ran
        assertThat(runs.steps(USER, run.id())).extracting(Step::type)
                .containsExactly(StepType.MODEL_TURN, StepType.TOOL_CALL);
    }

    @Test
    void aCancelStoredByAnotherProcessIsReadOncePerPollInterval() {
        // another process (the API function in Lambda) stores the cancel: this engine learns it from the store
        MovableClock clock = new MovableClock();
        List<String> ran = new ArrayList<>();
        io.opsagent.core.tools.Tool elsewhere = ConversationEngineTest.simple(ConversationEngineTest.echo().spec(),
                (a, c) -> {
                    ran.add(a.get("text").asText());
                    if (ran.size() == 1) runs.requestCancel(USER, c.runId()); // not through this engine
                    clock.advance(Duration.ofMillis(400));
                    return io.opsagent.core.tools.ToolResult.ok("ok", "ok", null, List.of());
                });
        ScriptedChatModel fourCalls = ScriptedChatModel.of(req -> List.of(
                new ModelEvent.ToolUse(new ToolCall("c1", "echo", ScriptedChatModel.parse("{\"text\":\"a\"}"))),
                new ModelEvent.ToolUse(new ToolCall("c2", "echo", ScriptedChatModel.parse("{\"text\":\"b\"}"))),
                new ModelEvent.ToolUse(new ToolCall("c3", "echo", ScriptedChatModel.parse("{\"text\":\"c\"}"))),
                new ModelEvent.ToolUse(new ToolCall("c4", "echo", ScriptedChatModel.parse("{\"text\":\"d\"}"))),
                new ModelEvent.Stop(StopReason.TOOL_USE, null)), answer("never"));
        ConversationEngine e = new ConversationEngine(fourCalls, new ToolRegistry(List.of(elsewhere)),
                SnapshotProvider.of(Demo.snapshot()), runs, sessions, Redactor.standard(), EngineConfig.defaults(), clock);
        Run run = e.askOnce(USER, "shop/cart", "q", "chat", events::add);

        assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
        // 0.4 s per call: the store is first asked 1.2 s after the start, before the fourth call, which never runs
        assertThat(ran).containsExactly("a", "b", "c");
        assertThat(runs.reads.get()).isEqualTo(1);
    }

    @Test
    void aQuickRunDoesNotAskTheStoreAboutACancel() {
        Run run = engine(ScriptedChatModel.of(twoCalls(() -> { }), answer("done")), new MovableClock())
                .askOnce(USER, "shop/cart", "q", "chat", events::add);
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(runs.reads.get()).isZero();
    }

    @Test
    void aRunEndedElsewhereStopsAndDoesNotAnnounceAnEndOfItsOwn() {
        MovableClock clock = new MovableClock();
        ScriptedChatModel model = ScriptedChatModel.of(req -> {
            // while the model thinks, a shutdown ends the run (as SessionRoutes.drain does through the reaper)
            Run r = runs.get(USER, req.runId()).orElseThrow();
            runs.update(r.withStatus(RunStatus.FAILED, null, clock.instant(), "the server stopped"));
            clock.advance(Duration.ofSeconds(5));
            return List.of(new ModelEvent.ToolUse(new ToolCall("c1", "echo", ScriptedChatModel.parse("{\"text\":\"a\"}"))),
                    new ModelEvent.Stop(StopReason.TOOL_USE, null));
        }, answer("never"));
        Run run = engine(model, clock).askOnce(USER, "shop/cart", "q", "chat", events::add);
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.error()).isEqualTo("the server stopped");
        assertThat(model.requests()).hasSize(1);
        assertThat(events).noneMatch(ev -> ev instanceof AgentEvent.RunFinished);
        assertThat(sessions.messages(USER, run.sessionId())).extracting(m -> m.role()).containsExactly("user");
    }
}
