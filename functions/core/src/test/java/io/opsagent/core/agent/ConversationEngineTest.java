package io.opsagent.core.agent;

import static io.opsagent.core.agent.model.ScriptedChatModel.answer;
import static io.opsagent.core.agent.model.ScriptedChatModel.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsagent.core.agent.model.ChatMessage;
import io.opsagent.core.agent.model.ChatRequest;
import io.opsagent.core.agent.model.ModelEvent;
import io.opsagent.core.agent.model.ScriptedChatModel;
import io.opsagent.core.agent.model.StopReason;
import io.opsagent.core.agent.model.ToolCall;
import io.opsagent.core.agent.model.ToolResultBlock;
import io.opsagent.core.redact.Redactor;
import io.opsagent.core.runs.Message;
import io.opsagent.core.runs.Run;
import io.opsagent.core.runs.RunStatus;
import io.opsagent.core.runs.Step;
import io.opsagent.core.runs.StepType;
import io.opsagent.core.tools.Citation;
import io.opsagent.core.tools.Schema;
import io.opsagent.core.tools.SnapshotProvider;
import io.opsagent.core.tools.Tool;
import io.opsagent.core.tools.ToolContext;
import io.opsagent.core.tools.ToolRegistry;
import io.opsagent.core.tools.ToolResult;
import io.opsagent.core.tools.ToolSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ConversationEngineTest {
    static final String AKIA = "AKIAIOSFODNN7EXAMPLE";
    static final String USER = "alice";

    final InMemoryRunStore runs = new InMemoryRunStore();
    final InMemorySessionStore sessions = new InMemorySessionStore();
    final List<AgentEvent> events = new CopyOnWriteArrayList<>();

    /** echo {text}: returns the text, citing "x/logs.txt:1". */
    static Tool echo() {
        return simple(new ToolSpec("echo", "echo the text", Schema.object().string("text", "what to echo")
                .enumeration("mode", "how", "plain", "loud").require("text").build()), (a, c) -> ToolResult.ok(
                "echo: " + a.get("text").asText(), "echoed", null, List.of(new Citation("x/logs.txt:1", "log"))));
    }

    static Tool simple(ToolSpec spec, ToolFn fn) {
        return new Tool() {
            @Override
            public ToolSpec spec() {
                return spec;
            }

            @Override
            public ToolResult call(ObjectNode args, ToolContext context) throws Exception {
                return fn.apply(args, context);
            }
        };
    }

    interface ToolFn {
        ToolResult apply(ObjectNode a, ToolContext c) throws Exception;
    }

    ConversationEngine engine(ScriptedChatModel model, EngineConfig config, Tool... tools) {
        return new ConversationEngine(model, new ToolRegistry(List.of(tools)), SnapshotProvider.of(Demo.snapshot()),
                runs, sessions, Redactor.standard(), config, Clock.systemUTC());
    }

    ConversationEngine engine(ScriptedChatModel model, Tool... tools) {
        return engine(model, EngineConfig.defaults(), tools);
    }

    Run ask(ConversationEngine e, String q) {
        return e.askOnce(USER, "shop/cart", q, "chat", events::add);
    }

    List<Step> steps(Run r) {
        return runs.steps(USER, r.id());
    }

    @Test
    void toolLoopRunsToolsFeedsResultsBackAndStoresEveryStep() {
        ScriptedChatModel model = ScriptedChatModel.of(call("c1", "echo", "{\"text\":\"hello\"}"),
                answer("The answer is hello [x/logs.txt:1].\n"));
        Run run = ask(engine(model, echo()), "say hello");

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.finalAnswer()).isEqualTo("The answer is hello [x/logs.txt:1].");
        assertThat(run.model()).isEqualTo("scripted");
        assertThat(runs.get(USER, run.id())).contains(run);
        // the second request carries the assistant's tool call and the tool result
        ChatRequest second = model.requests().get(1);
        ChatMessage assistant = second.messages().get(second.messages().size() - 2);
        assertThat(assistant.toolCalls()).extracting(ToolCall::name).containsExactly("echo");
        ToolResultBlock result = second.messages().get(second.messages().size() - 1).toolResults().get(0);
        assertThat(result.toolCallId()).isEqualTo("c1");
        assertThat(result.text()).isEqualTo("echo: hello");
        assertThat(result.citations()).extracting(Citation::ref).containsExactly("x/logs.txt:1");
        // tools are offered with their schema; the system prompt holds the workload context
        assertThat(second.tools()).extracting(t -> t.name()).containsExactly("echo");
        assertThat(second.system()).contains("Session scope: shop/cart").contains("CrashLoopBackOff");

        List<Step> steps = steps(run);
        assertThat(steps).extracting(Step::type).containsExactly(StepType.MODEL_TURN, StepType.TOOL_CALL,
                StepType.MODEL_TURN, StepType.RESPONSE);
        assertThat(steps).extracting(Step::number).containsExactly(1, 2, 3, 4);
        assertThat(steps.get(1).toolName()).isEqualTo("echo");
        assertThat(steps.get(1).args()).isEqualTo("{\"text\":\"hello\"}");
        assertThat(steps.get(1).result()).isEqualTo("echo: hello");
        assertThat(steps.get(0).inputTokens()).isEqualTo(100);
        assertThat(run.steps()).isEqualTo(4);
        assertThat(run.inputTokens()).isEqualTo(200);
        assertThat(run.completed()).isNotNull();
        // session history: question and answer
        List<Message> history = sessions.messages(USER, run.sessionId());
        assertThat(history).extracting(Message::role).containsExactly("user", "assistant");
        assertThat(history.get(1).text()).isEqualTo(run.finalAnswer());
        assertThat(history).extracting(Message::runId).containsOnly(run.id());
    }

    @Test
    void theFinalAnswerIsTheLastTurnsTextWhileEarlierTextIsStreamed() {
        ScriptedChatModel model = ScriptedChatModel.of(req -> List.of(new ModelEvent.TextDelta("Let me look.\n"),
                        new ModelEvent.ToolUse(new ToolCall("c1", "echo", ScriptedChatModel.parse("{\"text\":\"a\"}"))),
                        new ModelEvent.Stop(StopReason.TOOL_USE, null)),
                answer("It is a."));
        Run run = ask(engine(model, echo()), "q");
        assertThat(run.finalAnswer()).isEqualTo("It is a.");
        assertThat(events).filteredOn(e -> e instanceof AgentEvent.TextDelta)
                .extracting(e -> ((AgentEvent.TextDelta) e).text()).containsExactly("Let me look.\n", "It is a.");
        assertThat(steps(run).get(0).text()).isEqualTo("Let me look.\n");
        assertThat(steps(run).get(0).args()).isEqualTo("[{\"name\":\"echo\",\"arguments\":{\"text\":\"a\"}}]");
    }

    @Test
    void eventsArriveInOrderAndAllCarryTheRunId() {
        Run run = ask(engine(ScriptedChatModel.of(call("c1", "echo", "{\"text\":\"a\"}"), answer("line one\nline two")),
                echo()), "q");
        assertThat(events).extracting(e -> e.getClass().getSimpleName()).containsExactly("RunStarted", "ToolStarted",
                "ToolFinished", "TextDelta", "TextDelta", "RunFinished");
        assertThat(events).extracting(AgentEvent::runId).containsOnly(run.id());
        AgentEvent.ToolStarted started = (AgentEvent.ToolStarted) events.get(1);
        assertThat(started.arguments()).isEqualTo("{\"text\":\"a\"}");
        AgentEvent.ToolFinished finished = (AgentEvent.ToolFinished) events.get(2);
        assertThat(finished.summary()).isEqualTo("echoed");
        assertThat(finished.citations()).extracting(Citation::ref).containsExactly("x/logs.txt:1");
        assertThat(finished.step()).isEqualTo(started.step()).isEqualTo(2);
        // deltas are whole lines, and together they are the answer
        assertThat(((AgentEvent.TextDelta) events.get(3)).text()).isEqualTo("line one\n");
        assertThat(((AgentEvent.TextDelta) events.get(4)).text()).isEqualTo("line two");
        AgentEvent.RunFinished end = (AgentEvent.RunFinished) events.get(5);
        assertThat(end.status()).isEqualTo("completed");
        assertThat(end.text()).isEqualTo("line one\nline two");
        assertThat(end.steps()).isEqualTo(4);
    }

    @Test
    void correlationIdIsOnEveryStepAndUpdate() {
        Run run = ask(engine(ScriptedChatModel.of(call("c1", "echo", "{\"text\":\"a\"}"),
                call("c2", "echo", "{\"text\":\"b\"}"), answer("done")), echo()), "q");
        assertThat(steps(run)).hasSize(6).extracting(Step::runId).containsOnly(run.id());
        assertThat(runs.updates).isNotEmpty().extracting(Run::id).containsOnly(run.id());
        assertThat(runs.updates).extracting(Run::steps).isSorted();
    }

    @Test
    void everyLogLineCarriesTheRunId() {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger("io.opsagent.agent");
        List<String> lines = new CopyOnWriteArrayList<>();
        java.util.logging.Handler h = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                lines.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.setLevel(java.util.logging.Level.INFO);
        log.addHandler(h);
        try {
            Run run = ask(engine(ScriptedChatModel.of(call("c1", "echo", "{\"text\":\"a\"}"), answer("done")), echo()), "q");
            assertThat(lines).hasSizeGreaterThanOrEqualTo(4).allMatch(l -> l.startsWith("run=" + run.id() + " "));
            assertThat(lines).anyMatch(l -> l.contains("tool echo step=2 ok")).anyMatch(l -> l.contains("finished status=completed"));
        } finally {
            log.removeHandler(h);
        }
    }

    @Test
    void stepLimitEndsTheRunWithMaxSteps() {
        List<ScriptedChatModel.Turn> loop = new ArrayList<>();
        for (int i = 0; i < 10; i++) loop.add(call("c" + i, "echo", "{\"text\":\"again\"}"));
        ScriptedChatModel model = new ScriptedChatModel(loop);
        Run run = ask(engine(model, EngineConfig.defaults().withMaxSteps(3), echo()), "loop forever");

        assertThat(run.status()).isEqualTo(RunStatus.MAX_STEPS);
        assertThat(model.requests()).hasSize(3);
        assertThat(run.finalAnswer()).contains("Stopped after 3 model turns");
        assertThat(steps(run)).filteredOn(s -> s.type() == StepType.MODEL_TURN).hasSize(3);
        assertThat(events.get(events.size() - 1)).isInstanceOfSatisfying(AgentEvent.RunFinished.class,
                f -> assertThat(f.status()).isEqualTo("max_steps"));
    }

    @Test
    void slowToolTimesOutAsAToolErrorAndTheRunGoesOn() {
        Tool slow = simple(new ToolSpec("slow", "sleeps", Schema.object().build(), Duration.ofMillis(200), 1000),
                (a, c) -> {
                    Thread.sleep(5_000);
                    return ToolResult.ok("late", "late", null, List.of());
                });
        ScriptedChatModel model = ScriptedChatModel.of(call("c1", "slow", "{}"), answer("gave up on slow"));
        long t0 = System.nanoTime();
        Run run = ask(engine(model, slow), "q");

        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        ToolResultBlock r = lastToolResult(model);
        assertThat(r.error()).isTrue();
        assertThat(r.text()).contains("slow timed out after 200 ms");
        Step step = steps(run).get(1);
        assertThat(step.error()).contains("timed out");
        assertThat(events).filteredOn(e -> e instanceof AgentEvent.ToolFinished)
                .singleElement().satisfies(e -> assertThat(((AgentEvent.ToolFinished) e).error()).isTrue());
    }

    @Test
    void badArgumentsGiveAToolErrorTheModelCanCorrect() {
        ScriptedChatModel model = ScriptedChatModel.of(
                call("c1", "echo", "{\"txt\":\"hi\",\"mode\":\"quiet\"}"),
                req -> {
                    ToolResultBlock err = lastResult(req);
                    assertThat(err.error()).isTrue();
                    assertThat(err.text()).contains("missing required argument 'text'")
                            .contains("unknown argument 'txt'").contains("'mode' must be one of plain, loud");
                    return List.of(new ModelEvent.ToolUse(new ToolCall("c2", "echo",
                            ScriptedChatModel.parse("{\"text\":\"hi\",\"mode\":\"loud\"}"))),
                            new ModelEvent.Stop(StopReason.TOOL_USE, null));
                },
                answer("fixed"));
        Run run = ask(engine(model, echo()), "q");

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(lastToolResult(model).error()).isFalse();
        assertThat(lastToolResult(model).text()).isEqualTo("echo: hi");
        assertThat(steps(run)).filteredOn(s -> s.type() == StepType.TOOL_CALL).extracting(s -> s.error() != null)
                .containsExactly(true, false);
    }

    @Test
    void wrongTypeAndUnknownToolAreToolErrorsToo() {
        ScriptedChatModel model = ScriptedChatModel.of(call("c1", "echo", "{\"text\":42}"),
                call("c2", "nope", "{}"), answer("ok"));
        ask(engine(model, echo()), "q");
        assertThat(model.requests().get(1).messages().get(model.requests().get(1).messages().size() - 1)
                .toolResults().get(0).text()).contains("'text' must be a string, got number 42");
        assertThat(lastToolResult(model).text()).contains("unknown tool 'nope'").contains("echo");
    }

    @Test
    void outputIsCappedAtTheToolsLimit() {
        Tool big = simple(new ToolSpec("big", "a lot", Schema.object().build(), Duration.ofSeconds(5), 1000),
                (a, c) -> ToolResult.ok("x".repeat(50_000), "big", null, List.of()));
        ScriptedChatModel model = ScriptedChatModel.of(call("c1", "big", "{}"), answer("ok"));
        Run run = ask(engine(model, big), "q");
        ToolResultBlock r = lastToolResult(model);
        assertThat(r.text()).hasSize(1000).contains("output truncated: 49");
        assertThat(steps(run).get(1).result()).hasSize(1000);
    }

    @Test
    void secretsAreRedactedBeforeModelListenerAndStore() {
        Tool leaky = simple(new ToolSpec("leaky", "leaks", Schema.object().build()),
                (a, c) -> ToolResult.ok("config: aws_access_key_id = " + AKIA, "key " + AKIA, null,
                        List.of(new Citation("x/logs.txt:9", "line with " + AKIA))));
        ScriptedChatModel model = ScriptedChatModel.of(call("c1", "leaky", "{}"),
                answer("The key is aws_access_key_id = " + AKIA + "\n"));
        Run run = ask(engine(model, leaky), "my key is aws_access_key_id = " + AKIA);

        assertThat(lastToolResult(model).text()).doesNotContain(AKIA).contains("AKIA****");
        assertThat(model.requests().get(0).messages().get(0).text()).doesNotContain(AKIA);
        assertThat(events.toString()).doesNotContain(AKIA);
        assertThat(steps(run).toString()).doesNotContain(AKIA);
        assertThat(runs.get(USER, run.id()).orElseThrow().toString()).doesNotContain(AKIA);
        assertThat(sessions.messages(USER, run.sessionId()).toString()).doesNotContain(AKIA);
        assertThat(run.finalAnswer()).contains("AKIA****");
    }

    @Test
    void cancellationStopsAtTheNextStepBoundary() {
        AtomicReference<ConversationEngine> engine = new AtomicReference<>();
        ScriptedChatModel model = ScriptedChatModel.of(
                req -> {
                    assertThat(engine.get().cancel(USER, req.runId())).isTrue();
                    return List.of(new ModelEvent.ToolUse(new ToolCall("c1", "echo", ScriptedChatModel.parse("{\"text\":\"x\"}"))),
                            new ModelEvent.Stop(StopReason.TOOL_USE, null));
                },
                answer("never"));
        // a clock that stands still: however slow the machine, no read of the store ever falls due
        engine.set(new ConversationEngine(model, new ToolRegistry(List.of(echo())), SnapshotProvider.of(Demo.snapshot()),
                runs, sessions, Redactor.standard(), EngineConfig.defaults(),
                Clock.fixed(java.time.Instant.parse("2026-12-06T10:00:00Z"), java.time.ZoneOffset.UTC)));
        Run run = ask(engine.get(), "q");

        assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(model.requests()).hasSize(1);
        assertThat(steps(run)).extracting(Step::type).containsExactly(StepType.MODEL_TURN); // the tool never ran
        assertThat(events.get(events.size() - 1)).isInstanceOfSatisfying(AgentEvent.RunFinished.class,
                f -> assertThat(f.status()).isEqualTo("cancelled"));
        assertThat(runs.reads.get()).isZero(); // told in process: the store was not asked
        assertThat(engine.get().cancel(USER, run.id())).isFalse(); // already finished
        assertThat(runs.requestCancel(USER, run.id())).isFalse();
    }

    @Test
    void theToolsAndThePromptReadTheEnginesOneDiagnosis() {
        AtomicReference<io.opsagent.core.diagnosis.CachingDiagnosis> seen = new AtomicReference<>();
        Tool capture = simple(echo().spec(), (a, c) -> {
            seen.set(c.diagnosis());
            return ToolResult.ok("ok", "ok", null, List.of());
        });
        ScriptedChatModel model = ScriptedChatModel.of(
                req -> List.of(new ModelEvent.ToolUse(new ToolCall("c1", "echo", ScriptedChatModel.parse("{\"text\":\"x\"}"))),
                        new ModelEvent.Stop(StopReason.TOOL_USE, null)),
                answer("done"));
        ConversationEngine e = engine(model, capture);
        ask(e, "q");
        assertThat(seen.get()).isSameAs(e.diagnosis());
        long afterFirst = e.diagnosis().computed();
        assertThat(afterFirst).isEqualTo(1); // the prompt diagnosed shop/cart
        ask(e, "again");
        assertThat(e.diagnosis().computed()).isEqualTo(afterFirst); // the same snapshot: not worked out again
    }

    @Test
    void aCancelOfAnotherUsersRunIsRefusedAndChangesNothing() {
        AtomicReference<ConversationEngine> engine = new AtomicReference<>();
        AtomicReference<Boolean> refused = new AtomicReference<>();
        ScriptedChatModel model = ScriptedChatModel.of(
                req -> {
                    refused.set(!engine.get().cancel("mallory", req.runId()));
                    return List.of(new ModelEvent.ToolUse(new ToolCall("c1", "echo", ScriptedChatModel.parse("{\"text\":\"x\"}"))),
                            new ModelEvent.Stop(StopReason.TOOL_USE, null));
                },
                answer("done"));
        engine.set(engine(model, echo()));
        Run run = ask(engine.get(), "q");

        assertThat(refused.get()).isTrue();
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
    }

    @Test
    void modelErrorFailsTheRunWithAClearMessageAndAnErrorEvent() {
        Run run = ask(engine(ScriptedChatModel.of(ScriptedChatModel.error("throttled: too many requests")), echo()), "q");
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.error()).isEqualTo("model scripted failed: throttled: too many requests");
        assertThat(events).extracting(e -> e.getClass().getSimpleName()).containsExactly("RunStarted", "Error", "RunFinished");
        assertThat(((AgentEvent.Error) events.get(1)).message()).isEqualTo(run.error());
        assertThat(steps(run)).singleElement().satisfies(s -> assertThat(s.error()).isEqualTo(run.error()));
        // the question stays in the history, no answer is added
        assertThat(sessions.messages(USER, run.sessionId())).extracting(Message::role).containsExactly("user");
    }

    @Test
    void modelExceptionFailsTheRunToo() {
        Run run = ask(engine(ScriptedChatModel.of(ScriptedChatModel.throwing(new IllegalStateException("connection reset"))),
                echo()), "q");
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.error()).isEqualTo("model scripted failed: connection reset");
    }

    @Test
    void aHungModelTurnTimesOutAndFailsTheRun() {
        ScriptedChatModel model = ScriptedChatModel.of(req -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of(new ModelEvent.TextDelta("too late"), new ModelEvent.Stop(StopReason.END_TURN, null));
        });
        long t0 = System.nanoTime();
        Run run = ask(engine(model, EngineConfig.defaults().withModelTimeout(Duration.ofMillis(300)), echo()), "q");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.error()).isEqualTo("model scripted did not finish its turn within 300 ms");
        assertThat(events).noneMatch(e -> e instanceof AgentEvent.TextDelta);
    }

    @Test
    void aFailingListenerDoesNotBreakTheRun() {
        ConversationEngine e = engine(ScriptedChatModel.of(call("c1", "echo", "{\"text\":\"a\"}"), answer("done")), echo());
        Run run = e.askOnce(USER, "shop/cart", "q", "chat", ev -> {
            throw new IllegalStateException("client went away");
        });
        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(steps(run)).hasSize(4);
    }

    @Test
    void followUpsSeeTheSessionHistory() {
        ScriptedChatModel model = ScriptedChatModel.of(answer("first answer"), answer("second answer"));
        ConversationEngine e = engine(model, echo());
        Run first = ask(e, "first question");
        Run second = e.ask(new AskRequest(USER, first.sessionId(), "second question", "chat"), events::add);

        List<ChatMessage> sent = model.requests().get(1).messages();
        assertThat(sent).extracting(ChatMessage::role).containsExactly(ChatMessage.Role.USER, ChatMessage.Role.ASSISTANT,
                ChatMessage.Role.USER);
        assertThat(sent).extracting(ChatMessage::text).containsExactly("first question", "first answer", "second question");
        assertThat(sessions.messages(USER, first.sessionId())).extracting(Message::seq).containsExactly(1, 2, 3, 4);
        assertThat(second.id()).isNotEqualTo(first.id());
    }

    @Test
    void aSessionMayNameTheKindOfItsWorkload() {
        assertThat(Scope.parse("shop/svc/catalog")).isEqualTo(new Scope("shop", "Service", "catalog"));
        assertThat(Scope.parse("shop/Service/catalog").toString()).isEqualTo("shop/Service/catalog");
        assertThat(Scope.parse("shop/catalog")).isEqualTo(new Scope("shop", null, "catalog"));
        assertThatThrownBy(() -> Scope.parse("shop/gizmo/catalog")).hasMessageContaining("unknown kind 'gizmo'");
        assertThatThrownBy(() -> Scope.parse("shop/a/b/c")).hasMessageContaining("namespace/kind/name");
        ConversationEngine e = engine(ScriptedChatModel.of(answer("x")), echo());
        assertThat(e.openSession(USER, "shop/service/catalog").workload()).isEqualTo("shop/Service/catalog");
        assertThatThrownBy(() -> e.openSession(USER, "shop/cronjob/catalog"))
                .hasMessageStartingWith("no CronJob named 'catalog' in namespace 'shop'");
    }

    @Test
    void sessionsAreValidatedAndOwned() {
        ConversationEngine e = engine(ScriptedChatModel.of(answer("x")), echo());
        assertThatThrownBy(() -> e.openSession(USER, "shop/nosuch")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no workload named 'nosuch' in namespace 'shop'").hasMessageContaining("cart");
        assertThatThrownBy(() -> e.openSession(USER, "nope/cart")).hasMessageContaining("namespace 'nope'");
        assertThatThrownBy(() -> e.openSession(USER, "cart")).hasMessageContaining("namespace/name");
        var s = e.openSession(USER, "shop/*");
        assertThat(s.workload()).isEqualTo("shop/*");
        assertThatThrownBy(() -> e.ask(new AskRequest("mallory", s.id(), "q", "chat"), events::add))
                .hasMessageContaining("no session");
    }

    @Test
    void costComesFromThePriceTable() {
        EngineConfig cfg = EngineConfig.defaults().withPrices(new PriceTable(java.util.Map.of("scripted",
                new PriceTable.Price(3.0, 15.0))));
        Run run = ask(engine(ScriptedChatModel.of(answer("abcdefgh")), cfg, echo()), "q");
        assertThat(run.inputTokens()).isEqualTo(100);
        assertThat(run.outputTokens()).isEqualTo(3);
        assertThat(run.cost()).isCloseTo((100 * 3.0 + 3 * 15.0) / 1e6, org.assertj.core.data.Offset.offset(1e-12));
    }

    static ToolResultBlock lastResult(ChatRequest req) {
        List<ChatMessage> m = req.messages();
        return m.get(m.size() - 1).toolResults().get(0);
    }

    static ToolResultBlock lastToolResult(ScriptedChatModel model) {
        return lastResult(model.requests().get(model.requests().size() - 1));
    }
}
