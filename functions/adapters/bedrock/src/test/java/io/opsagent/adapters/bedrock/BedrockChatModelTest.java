package io.opsagent.adapters.bedrock;

import static io.opsagent.adapters.bedrock.FakeBedrock.answer;
import static io.opsagent.adapters.bedrock.FakeBedrock.blockStop;
import static io.opsagent.adapters.bedrock.FakeBedrock.exception;
import static io.opsagent.adapters.bedrock.FakeBedrock.messageStart;
import static io.opsagent.adapters.bedrock.FakeBedrock.messageStop;
import static io.opsagent.adapters.bedrock.FakeBedrock.metadata;
import static io.opsagent.adapters.bedrock.FakeBedrock.text;
import static io.opsagent.adapters.bedrock.FakeBedrock.toolInput;
import static io.opsagent.adapters.bedrock.FakeBedrock.toolStart;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsagent.core.agent.model.ChatMessage;
import io.opsagent.core.agent.model.ChatRequest;
import io.opsagent.core.agent.model.ModelEvent;
import io.opsagent.core.agent.model.StopReason;
import io.opsagent.core.agent.model.ToolCall;
import io.opsagent.core.agent.model.ToolDefinition;
import io.opsagent.core.agent.model.ToolResultBlock;
import io.opsagent.core.redact.Redactor;
import io.opsagent.core.tools.Tool;
import io.opsagent.core.tools.ToolContext;
import io.opsagent.core.tools.ToolRegistry;
import io.opsagent.core.tools.ToolResult;
import io.opsagent.core.tools.ToolSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;

class BedrockChatModelTest {
    static final String MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";
    static final Backoff FAST = new Backoff(Duration.ofMillis(20), Duration.ofMillis(200));

    // one server and one client for the class: closing a Netty client takes ~2 s
    private static FakeBedrock fake;
    private static BedrockRuntimeAsyncClient client;

    @BeforeAll
    static void start() throws Exception {
        fake = new FakeBedrock();
        client = fake.client(BedrockConfig.of(MODEL, "us-east-1"));
    }

    @AfterAll
    static void stop() {
        client.close();
        fake.close();
    }

    @BeforeEach
    void reset() {
        fake.reset();
    }

    private BedrockChatModel model(Duration retryDeadline, Duration idle) {
        BedrockConfig config = BedrockConfig.of(MODEL, "us-east-1").withRetryDeadline(retryDeadline)
                .withEndpointOverride(fake.endpoint());
        return new BedrockChatModel(config, client, FAST, idle);
    }

    private BedrockChatModel model() {
        return model(Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    static ObjectNode schema() {
        ObjectNode s = FakeBedrock.JSON.createObjectNode().put("type", "object");
        s.putObject("properties").putObject("namespace").put("type", "string");
        s.withObject("/properties").putObject("pod").put("type", "string");
        s.putArray("required").add("namespace");
        s.put("additionalProperties", false);
        return s;
    }

    static ChatRequest ask(String question) {
        return new ChatRequest("You are OpsAgent. Workload: shop/checkout.", List.of(ChatMessage.user(question)),
                List.of(new ToolDefinition("get_pods", "List pods of a namespace", schema())), 512, 0.2, "run-1");
    }

    /** Streams one turn with a hard upper bound on time, collecting the events. */
    static List<ModelEvent> run(BedrockChatModel model, ChatRequest request, Duration bound) {
        List<ModelEvent> events = new ArrayList<>();
        assertTimeoutPreemptively(bound, () -> model.stream(request, events::add));
        return events;
    }

    static ModelEvent.Stop lastStop(List<ModelEvent> events) {
        assertThat(events).isNotEmpty();
        assertThat(events.get(events.size() - 1)).isInstanceOf(ModelEvent.Stop.class);
        assertThat(events.stream().filter(e -> e instanceof ModelEvent.Stop).count()).isEqualTo(1);
        return (ModelEvent.Stop) events.get(events.size() - 1);
    }

    @Test
    void plainAnswerStreamsDeltasInOrderThenUsageAndStop() {
        fake.then(answer("The pod ", "is in ", "CrashLoopBackOff."));
        List<ModelEvent> events = run(model(), ask("why is checkout down?"), Duration.ofSeconds(20));

        assertThat(events).containsExactly(new ModelEvent.TextDelta("The pod "), new ModelEvent.TextDelta("is in "),
                new ModelEvent.TextDelta("CrashLoopBackOff."), new ModelEvent.Usage(100, 20),
                new ModelEvent.Stop(StopReason.END_TURN, null));
        assertThat(fake.paths).containsExactly("POST /model/" + MODEL.replace(":", "%3A") + "/converse-stream");
        JsonNode body = fake.bodies.get(0);
        assertThat(body.at("/system/0/text").asText()).isEqualTo("You are OpsAgent. Workload: shop/checkout.");
        assertThat(body.at("/messages/0/role").asText()).isEqualTo("user");
        assertThat(body.at("/messages/0/content/0/text").asText()).isEqualTo("why is checkout down?");
        assertThat(body.at("/inferenceConfig/maxTokens").asInt()).isEqualTo(512);
        assertThat(body.at("/inferenceConfig/temperature").asDouble()).isCloseTo(0.2, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void multiToolTurnAssemblesFragmentedInputIntoOneToolUsePerBlock() {
        fake.then(new FakeBedrock.Stream(List.of(messageStart(),
                text(0, "Let me look."), blockStop(0),
                toolStart(1, "tooluse_A1", "get_pods"),
                toolInput(1, "{\"names"), toolInput(1, "pace\": \"sh"), toolInput(1, "op\"}"),
                blockStop(1),
                toolStart(2, "tooluse_B2", "get_pods"),
                toolInput(2, "{\"namespace\":\"kube-system\","), toolInput(2, "\"pod\":\"coredns-1\"}"),
                blockStop(2),
                messageStop("tool_use"), metadata(300, 45))));
        List<ModelEvent> events = run(model(), ask("check pods"), Duration.ofSeconds(20));

        assertThat(events).hasSize(5);
        assertThat(events.get(0)).isEqualTo(new ModelEvent.TextDelta("Let me look."));
        ToolCall a = ((ModelEvent.ToolUse) events.get(1)).call();
        ToolCall b = ((ModelEvent.ToolUse) events.get(2)).call();
        assertThat(a.id()).isEqualTo("tooluse_A1");
        assertThat(a.name()).isEqualTo("get_pods");
        assertThat(a.arguments().toString()).isEqualTo("{\"namespace\":\"shop\"}");
        assertThat(b.id()).isEqualTo("tooluse_B2");
        assertThat(b.arguments().toString()).isEqualTo("{\"namespace\":\"kube-system\",\"pod\":\"coredns-1\"}");
        assertThat(events.get(3)).isEqualTo(new ModelEvent.Usage(300, 45));
        assertThat(events.get(4)).isEqualTo(new ModelEvent.Stop(StopReason.TOOL_USE, null));
    }

    @Test
    void requestCarriesSystemPromptToolConfigAndToolResultsInBedrockShape() {
        fake.then(answer("done"));
        ObjectNode args = FakeBedrock.JSON.createObjectNode().put("namespace", "shop");
        ChatRequest req = new ChatRequest("system prompt here", List.of(
                ChatMessage.user("what is wrong?"),
                ChatMessage.assistant("Checking.", List.of(new ToolCall("t-1", "get_pods", args),
                        new ToolCall("t-2", "get_pods", FakeBedrock.JSON.createObjectNode().put("namespace", "nope")))),
                ChatMessage.toolResults(List.of(
                        new ToolResultBlock("t-1", "get_pods", "checkout-7d9 CrashLoopBackOff", false, null, null),
                        new ToolResultBlock("t-2", "get_pods", "namespace 'nope' not found", true, null, null)))),
                List.of(new ToolDefinition("get_pods", "List pods of a namespace", schema())), 256, 0.0, "run-2");
        List<ModelEvent> events = run(model(), req, Duration.ofSeconds(20));
        assertThat(lastStop(events).reason()).isEqualTo(StopReason.END_TURN);

        JsonNode body = fake.bodies.get(0);
        assertThat(body.at("/system/0/text").asText()).isEqualTo("system prompt here");
        JsonNode spec = body.at("/toolConfig/tools/0/toolSpec");
        assertThat(spec.path("name").asText()).isEqualTo("get_pods");
        assertThat(spec.path("description").asText()).isEqualTo("List pods of a namespace");
        assertThat(spec.at("/inputSchema/json")).isEqualTo(schema());
        JsonNode messages = body.path("messages");
        assertThat(messages).hasSize(3);
        assertThat(messages.at("/1/role").asText()).isEqualTo("assistant");
        assertThat(messages.at("/1/content/0/text").asText()).isEqualTo("Checking.");
        assertThat(messages.at("/1/content/1/toolUse/toolUseId").asText()).isEqualTo("t-1");
        assertThat(messages.at("/1/content/1/toolUse/name").asText()).isEqualTo("get_pods");
        assertThat(messages.at("/1/content/1/toolUse/input")).isEqualTo(args);
        assertThat(messages.at("/2/role").asText()).isEqualTo("user");
        assertThat(messages.at("/2/content/0/toolResult/toolUseId").asText()).isEqualTo("t-1");
        assertThat(messages.at("/2/content/0/toolResult/content/0/text").asText()).isEqualTo("checkout-7d9 CrashLoopBackOff");
        assertThat(messages.at("/2/content/0/toolResult/status").asText()).isEqualTo("success");
        assertThat(messages.at("/2/content/1/toolResult/toolUseId").asText()).isEqualTo("t-2");
        assertThat(messages.at("/2/content/1/toolResult/status").asText()).isEqualTo("error");
        assertThat(body.at("/inferenceConfig/maxTokens").asInt()).isEqualTo(256);
        assertThat(body.at("/requestMetadata/opsagent-run-id").asText()).isEqualTo("run-2");
    }

    @Test
    void throttlingBeforeTheStreamIsRetriedThenSucceeds() {
        fake.then(new FakeBedrock.HttpError(429, "ThrottlingException", "Too many requests, please wait before trying again."))
                .then(new FakeBedrock.Stream(List.of(exception("throttlingException", "Too many tokens"))))
                .then(new FakeBedrock.HttpError(503, "ServiceUnavailableException", "Service unavailable"))
                .then(answer("ok"));
        List<ModelEvent> events = run(model(), ask("hi"), Duration.ofSeconds(20));

        assertThat(events).containsExactly(new ModelEvent.TextDelta("ok"), new ModelEvent.Usage(100, 20),
                new ModelEvent.Stop(StopReason.END_TURN, null));
        assertThat(fake.requests()).isEqualTo(4);
        assertThat(fake.bodies).allSatisfy(b -> assertThat(b).isEqualTo(fake.bodies.get(0)));
    }

    @Test
    void persistentThrottlingGivesUpWithinTheDeadlineWithAClearError() {
        fake.always(new FakeBedrock.HttpError(429, "ThrottlingException", "Too many requests"));
        long t0 = System.nanoTime();
        List<ModelEvent> events = run(model(Duration.ofMillis(1500), Duration.ofSeconds(5)), ask("hi"), Duration.ofSeconds(15));
        double seconds = (System.nanoTime() - t0) / 1e9;

        assertThat(events).hasSize(1);
        ModelEvent.Stop stop = lastStop(events);
        assertThat(stop.reason()).isEqualTo(StopReason.ERROR);
        assertThat(stop.error()).startsWith("Bedrock throttled the request " + fake.requests() + " times over ")
                .contains("ThrottlingException (HTTP 429)").contains("Too many requests");
        assertThat(fake.requests()).isGreaterThanOrEqualTo(3);
        assertThat(seconds).isLessThan(6.0);
    }

    @Test
    void errorMidStreamEndsTheTurnAsFailedWithoutRetry() throws Exception {
        fake.then(new FakeBedrock.Stream(List.of(messageStart(), text(0, "The pod"),
                exception("internalServerException", "The system encountered an unexpected error"))))
                .always(answer("must not be used"));
        List<ModelEvent> events = run(model(), ask("hi"), Duration.ofSeconds(20));

        assertThat(events.get(0)).isEqualTo(new ModelEvent.TextDelta("The pod"));
        ModelEvent.Stop stop = lastStop(events);
        assertThat(stop.reason()).isEqualTo(StopReason.ERROR);
        assertThat(stop.error()).contains("after the answer had started").contains("unexpected error")
                .contains("not retried");
        Thread.sleep(300);
        assertThat(fake.requests()).isEqualTo(1);
    }

    @Test
    void connectionDroppedMidStreamEndsTheTurnAsFailedWithoutRetry() throws Exception {
        fake.then(new FakeBedrock.Stream(List.of(messageStart(), text(0, "Partial")), 100, true))
                .always(answer("must not be used"));
        List<ModelEvent> events = run(model(), ask("hi"), Duration.ofSeconds(20));

        assertThat(events.get(0)).isEqualTo(new ModelEvent.TextDelta("Partial"));
        ModelEvent.Stop stop = lastStop(events);
        assertThat(stop.reason()).isEqualTo(StopReason.ERROR);
        // depending on how the HTTP client sees the drop: a stream error, or an end without messageStop
        assertThat(stop.error()).containsAnyOf("after the answer had started", "without a messageStop event")
                .contains("incomplete");
        Thread.sleep(300);
        assertThat(fake.requests()).isEqualTo(1);
    }

    @Test
    void aStalledStreamIsAbandonedAfterTheIdleTimeout() {
        fake.then(new FakeBedrock.Stream(List.of(messageStart(), text(0, "Thinking")), 8_000, false));
        long t0 = System.nanoTime();
        List<ModelEvent> events = run(model(Duration.ofSeconds(5), Duration.ofMillis(700)), ask("hi"), Duration.ofSeconds(6));

        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(4.0);
        ModelEvent.Stop stop = lastStop(events);
        assertThat(stop.reason()).isEqualTo(StopReason.ERROR);
        assertThat(stop.error()).contains("Bedrock sent nothing for").contains("in the middle of the answer");
        assertThat(fake.requests()).isEqualTo(1);
    }

    @Test
    void aValidationErrorIsNotRetried() {
        fake.always(new FakeBedrock.HttpError(400, "ValidationException", "The provided model identifier is invalid."));
        List<ModelEvent> events = run(model(), ask("hi"), Duration.ofSeconds(20));

        ModelEvent.Stop stop = lastStop(events);
        assertThat(stop.reason()).isEqualTo(StopReason.ERROR);
        assertThat(stop.error()).startsWith("Bedrock request failed: ValidationException (HTTP 400)")
                .contains("model identifier is invalid").contains("OPSAGENT_MODEL");
        assertThat(fake.requests()).isEqualTo(1);
    }

    @Test
    void invalidToolJsonBecomesAToolErrorTheModelCanCorrect() {
        String raw = "{\"namespace\": \"shop\", \"pod\": ";
        fake.then(new FakeBedrock.Stream(List.of(messageStart(), toolStart(0, "tooluse_X", "get_pods"),
                toolInput(0, "{\"namespace\": \"shop\", "), toolInput(0, "\"pod\": "), blockStop(0),
                messageStop("tool_use"), metadata(50, 10))));
        List<ModelEvent> events = run(model(), ask("hi"), Duration.ofSeconds(20));

        assertThat(lastStop(events).reason()).isEqualTo(StopReason.TOOL_USE);
        ToolCall call = ((ModelEvent.ToolUse) events.get(0)).call();
        assertThat(call.id()).isEqualTo("tooluse_X");
        assertThat(call.invalidArgumentsProblem()).startsWith("not valid JSON (").endsWith("): " + raw.strip());

        AtomicInteger ran = new AtomicInteger();
        Tool tool = new Tool() {
            @Override
            public ToolSpec spec() {
                return new ToolSpec("get_pods", "List pods", schema());
            }

            @Override
            public ToolResult call(ObjectNode args, ToolContext context) {
                ran.incrementAndGet();
                return ToolResult.ok("pods", "pods", null, List.of());
            }
        };
        ToolResult result = new ToolRegistry(List.of(tool)).execute(call,
                new ToolContext("run-1", "u", "shop", null, null), Redactor.standard());
        assertThat(result.error()).isTrue();
        assertThat(result.text()).startsWith("the arguments for get_pods were not valid JSON (")
                .contains("): " + raw.strip() + ". Send the arguments as one JSON object matching: ")
                .contains("\"required\":[\"namespace\"]");
        assertThat(ran).hasValue(0);
    }

    @Test
    void maxTokensStopIsMapped() {
        fake.then(new FakeBedrock.Stream(List.of(messageStart(), text(0, "long"), blockStop(0),
                messageStop("max_tokens"), metadata(10, 512))));
        List<ModelEvent> events = run(model(), ask("hi"), Duration.ofSeconds(20));
        assertThat(lastStop(events)).isEqualTo(new ModelEvent.Stop(StopReason.MAX_TOKENS, null));
    }
}
