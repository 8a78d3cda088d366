package io.opsagent.adapters.openai;

import static io.opsagent.adapters.openai.FakeOpenAiServer.breakAfter;
import static io.opsagent.adapters.openai.FakeOpenAiServer.events;
import static io.opsagent.adapters.openai.FakeOpenAiServer.finish;
import static io.opsagent.adapters.openai.FakeOpenAiServer.silentAfter;
import static io.opsagent.adapters.openai.FakeOpenAiServer.sse;
import static io.opsagent.adapters.openai.FakeOpenAiServer.status;
import static io.opsagent.adapters.openai.FakeOpenAiServer.text;
import static io.opsagent.adapters.openai.FakeOpenAiServer.toolFragment;
import static io.opsagent.adapters.openai.FakeOpenAiServer.usage;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenAiChatModelTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "sk-test-SECRET-0123456789";

    private static OpenAiConfig.Timeouts fast(Duration read) {
        return new OpenAiConfig.Timeouts(Duration.ofSeconds(2), read, Duration.ofSeconds(5), 4,
                Duration.ofMillis(10), Duration.ofMillis(50));
    }

    private static OpenAiChatModel model(FakeOpenAiServer server, String key) {
        return model(server.baseUrl(), key, fast(Duration.ofSeconds(3)));
    }

    private static OpenAiChatModel model(String baseUrl, String key, OpenAiConfig.Timeouts t) {
        return new OpenAiChatModel(new OpenAiConfig(java.net.URI.create(baseUrl), "qwen2.5:7b", key, null, null, t));
    }

    private static ChatRequest ask(String question) {
        return new ChatRequest("You are OpsAgent.", List.of(ChatMessage.user(question)), List.of(), 512, 0.0, "run-1");
    }

    /** Events with the nano time each arrived; checks the stream ends with exactly one stop. */
    private record Run(List<ModelEvent> events, List<Long> times) {
        ModelEvent.Stop stop() {
            assertThat(events).isNotEmpty();
            assertThat(events.get(events.size() - 1)).isInstanceOf(ModelEvent.Stop.class);
            assertThat(events.stream().filter(e -> e instanceof ModelEvent.Stop).count()).isEqualTo(1);
            return (ModelEvent.Stop) events.get(events.size() - 1);
        }

        List<String> deltas() {
            return events.stream().filter(e -> e instanceof ModelEvent.TextDelta).map(e -> ((ModelEvent.TextDelta) e).text()).toList();
        }

        List<ToolCall> calls() {
            return events.stream().filter(e -> e instanceof ModelEvent.ToolUse).map(e -> ((ModelEvent.ToolUse) e).call()).toList();
        }
    }

    private static Run run(OpenAiChatModel model, ChatRequest request) {
        List<ModelEvent> events = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        model.stream(request, e -> {
            events.add(e);
            times.add(System.nanoTime());
        });
        return new Run(events, times);
    }

    @Test
    void streamsPlainAnswerDeltasInOrderAsTheyArrive() throws Exception {
        try (var server = new FakeOpenAiServer(events(150, text("The pod "), text("is OOMKilled"), text("."),
                finish("stop")))) {
            Run r = run(model(server, null), ask("why?"));
            assertThat(r.deltas()).containsExactly("The pod ", "is OOMKilled", ".");
            assertThat(r.stop().reason()).isEqualTo(StopReason.END_TURN);
            // the first delta was delivered while the server was still writing the stream
            long firstDelta = r.times().get(0);
            assertThat(r.times().get(r.times().size() - 1) - firstDelta).isGreaterThan(Duration.ofMillis(300).toNanos());
            assertThat(server.requests).hasSize(1);
            assertThat(server.requests.get(0).path()).isEqualTo("/v1/chat/completions");
            assertThat(server.requests.get(0).header("Authorization")).isNull();
        }
    }

    @Test
    void assemblesTwoToolCallsFromInterleavedFragments() throws Exception {
        try (var server = new FakeOpenAiServer(events(20,
                text("Let me look."),
                toolFragment(0, "call_a", "get_pods", ""),
                toolFragment(0, null, null, "{\"names"),
                toolFragment(1, "call_b", "search_logs", "{\"q"),
                toolFragment(0, null, null, "pace\": \"shop\"}"),
                toolFragment(1, null, null, "uery\": \"OOM \\\"killed\\\"\", \"limit\": 20}"),
                finish("tool_calls"), usage(120, 33)))) {
            Run r = run(model(server, null), ask("why?"));
            assertThat(r.deltas()).containsExactly("Let me look.");
            assertThat(r.calls()).extracting(ToolCall::id).containsExactly("call_a", "call_b");
            assertThat(r.calls()).extracting(ToolCall::name).containsExactly("get_pods", "search_logs");
            assertThat(r.calls().get(0).arguments().path("namespace").asText()).isEqualTo("shop");
            assertThat(r.calls().get(1).arguments().path("query").asText()).isEqualTo("OOM \"killed\"");
            assertThat(r.calls().get(1).arguments().path("limit").asInt()).isEqualTo(20);
            assertThat(r.events()).contains(new ModelEvent.Usage(120, 33));
            assertThat(r.stop().reason()).isEqualTo(StopReason.TOOL_USE);
        }
    }

    @Test
    void requestBodyCarriesSystemToolsAndToolResultsInOpenAiShape() throws Exception {
        try (var server = new FakeOpenAiServer(events(0, text("ok"), finish("stop")))) {
            ObjectNode params = (ObjectNode) JSON.readTree(
                    "{\"type\":\"object\",\"properties\":{\"namespace\":{\"type\":\"string\"}},\"required\":[\"namespace\"]}");
            ObjectNode args = (ObjectNode) JSON.readTree("{\"namespace\":\"shop\"}");
            ChatRequest req = new ChatRequest("You are OpsAgent. Workload: shop/cart.",
                    List.of(ChatMessage.user("why is cart failing?"),
                            ChatMessage.assistant("", List.of(new ToolCall("call_1", "get_pods", args),
                                    new ToolCall("call_2", "get_events", JSON.createObjectNode()))),
                            ChatMessage.toolResults(List.of(
                                    new ToolResultBlock("call_1", "get_pods", "cart-1 CrashLoopBackOff", false, null, null),
                                    new ToolResultBlock("call_2", "get_events", "unknown namespace", true, null, null)))),
                    List.of(new ToolDefinition("get_pods", "List pods", params)), 700, 0.2, "run-7");
            Run r = run(model(server, KEY), req);
            assertThat(r.stop().reason()).isEqualTo(StopReason.END_TURN);

            FakeOpenAiServer.Recorded rec = server.requests.get(0);
            assertThat(rec.method()).isEqualTo("POST");
            assertThat(rec.header("Authorization")).isEqualTo("Bearer " + KEY);
            assertThat(rec.header("Content-Type")).isEqualTo("application/json");
            JsonNode body = JSON.readTree(rec.body());
            assertThat(body.path("model").asText()).isEqualTo("qwen2.5:7b");
            assertThat(body.path("stream").asBoolean()).isTrue();
            assertThat(body.path("stream_options").path("include_usage").asBoolean()).isTrue();
            assertThat(body.path("max_tokens").asInt()).isEqualTo(700);
            assertThat(body.path("temperature").asDouble()).isEqualTo(0.2);

            JsonNode m = body.path("messages");
            assertThat(m.size()).isEqualTo(5);
            assertThat(m.get(0).path("role").asText()).isEqualTo("system");
            assertThat(m.get(0).path("content").asText()).isEqualTo("You are OpsAgent. Workload: shop/cart.");
            assertThat(m.get(1).path("role").asText()).isEqualTo("user");
            assertThat(m.get(1).path("content").asText()).isEqualTo("why is cart failing?");
            JsonNode assistant = m.get(2);
            assertThat(assistant.path("role").asText()).isEqualTo("assistant");
            assertThat(assistant.get("content").isNull()).isTrue();
            JsonNode call = assistant.path("tool_calls").get(0);
            assertThat(call.path("id").asText()).isEqualTo("call_1");
            assertThat(call.path("type").asText()).isEqualTo("function");
            assertThat(call.path("function").path("name").asText()).isEqualTo("get_pods");
            assertThat(call.path("function").path("arguments").isTextual()).isTrue();
            assertThat(JSON.readTree(call.path("function").path("arguments").asText())).isEqualTo(args);
            assertThat(assistant.path("tool_calls").get(1).path("function").path("arguments").asText()).isEqualTo("{}");
            assertThat(m.get(3).path("role").asText()).isEqualTo("tool");
            assertThat(m.get(3).path("tool_call_id").asText()).isEqualTo("call_1");
            assertThat(m.get(3).path("content").asText()).isEqualTo("cart-1 CrashLoopBackOff");
            assertThat(m.get(4).path("tool_call_id").asText()).isEqualTo("call_2");
            assertThat(m.get(4).path("content").asText()).startsWith("ERROR: ").contains("unknown namespace");

            JsonNode tool = body.path("tools").get(0);
            assertThat(tool.path("type").asText()).isEqualTo("function");
            assertThat(tool.path("function").path("name").asText()).isEqualTo("get_pods");
            assertThat(tool.path("function").path("description").asText()).isEqualTo("List pods");
            assertThat(tool.path("function").path("parameters")).isEqualTo(params);
        }
    }

    @Test
    void configCapsMaxTokensAndOverridesTemperature() throws Exception {
        try (var server = new FakeOpenAiServer(events(0, text("ok"), finish("stop")))) {
            var cfg = new OpenAiConfig(java.net.URI.create(server.baseUrl() + "/"), "m", null, 100, 0.7,
                    fast(Duration.ofSeconds(3)));
            run(new OpenAiChatModel(cfg), ask("q")).stop();
            JsonNode body = JSON.readTree(server.requests.get(0).body());
            assertThat(body.path("max_tokens").asInt()).isEqualTo(100);
            assertThat(body.path("temperature").asDouble()).isEqualTo(0.7);
            assertThat(body.has("tools")).isFalse();
            assertThat(server.requests.get(0).path()).isEqualTo("/v1/chat/completions");
        }
    }

    @Test
    void retries429ThenSucceeds() throws Exception {
        try (var server = new FakeOpenAiServer(
                status(429, "{\"error\":{\"message\":\"Rate limit reached\"}}", "Retry-After", "0"),
                status(502, "bad gateway"),
                events(0, text("fine"), finish("stop")))) {
            Run r = run(model(server, null), ask("q"));
            assertThat(r.stop().reason()).isEqualTo(StopReason.END_TURN);
            assertThat(r.deltas()).containsExactly("fine");
            assertThat(server.requests).hasSize(3);
        }
    }

    @Test
    void persistent503IsBoundedWithAClearError() throws Exception {
        try (var server = new FakeOpenAiServer(status(503, "{\"error\":{\"message\":\"model is overloaded\"}}"))) {
            long t0 = System.nanoTime();
            Run r = run(model(server, null), ask("q"));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            ModelEvent.Stop stop = r.stop();
            assertThat(stop.reason()).isEqualTo(StopReason.ERROR);
            assertThat(stop.error()).contains("HTTP 503").contains("model is overloaded").contains("gave up after 4 attempts");
            assertThat(server.requests).hasSize(4);
            assertThat(ms).isLessThan(5_000);
        }
    }

    @Test
    void retryDeadlineStopsRetriesBeforeMaxAttempts() throws Exception {
        try (var server = new FakeOpenAiServer(status(503, "busy", "Retry-After", "30"))) {
            long t0 = System.nanoTime();
            Run r = run(model(server, null), ask("q"));
            assertThat(r.stop().error()).contains("HTTP 503").contains("gave up after 1 attempt");
            assertThat(server.requests).hasSize(1);
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(3_000);
        }
    }

    @Test
    void unauthorizedIsNotRetriedAndNeverShowsTheKey() throws Exception {
        try (var server = new FakeOpenAiServer(status(401,
                "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + ".\",\"type\":\"invalid_request_error\"}}"))) {
            Run r = run(model(server, KEY), ask("q"));
            ModelEvent.Stop stop = r.stop();
            assertThat(stop.reason()).isEqualTo(StopReason.ERROR);
            assertThat(stop.error()).contains("the endpoint rejected the API key (401)").contains("Incorrect API key")
                    .contains(OpenAiConfig.ENV_API_KEY).doesNotContain(KEY).doesNotContain("SECRET");
            assertThat(server.requests).hasSize(1);
        }
    }

    @Test
    void unknownModelNamesModelAndBaseUrl() throws Exception {
        try (var server = new FakeOpenAiServer(status(404,
                "{\"error\":{\"message\":\"model \\\"qwen2.5:7b\\\" not found, try pulling it first\"}}"))) {
            ModelEvent.Stop stop = run(model(server, null), ask("q")).stop();
            assertThat(stop.reason()).isEqualTo(StopReason.ERROR);
            assertThat(stop.error()).contains("model 'qwen2.5:7b' not found at " + server.baseUrl())
                    .contains("try pulling it first").contains("ollama pull qwen2.5:7b");
            assertThat(server.requests).hasSize(1);
        }
    }

    @Test
    void connectionDroppedMidStreamEndsWithError() throws Exception {
        try (var server = new FakeOpenAiServer(breakAfter("data: " + text("Looking at the") + "\n\n"))) {
            Run r = run(model(server, null), ask("q"));
            assertThat(r.deltas()).containsExactly("Looking at the");
            ModelEvent.Stop stop = r.stop();
            assertThat(stop.reason()).isEqualTo(StopReason.ERROR);
            assertThat(stop.error()).contains(server.baseUrl()).contains("failed mid-stream");
            assertThat(server.requests).hasSize(1); // text was streamed: no retry that would repeat it
        }
    }

    @Test
    void streamClosedWithoutDoneOrFinishIsAnError() throws Exception {
        try (var server = new FakeOpenAiServer(sse(10, "data: " + text("half an ans") + "\n\n"))) {
            ModelEvent.Stop stop = run(model(server, null), ask("q")).stop();
            assertThat(stop.reason()).isEqualTo(StopReason.ERROR);
            assertThat(stop.error()).contains("ended before the answer was complete");
        }
    }

    @Test
    void silentStreamHitsTheReadTimeout() throws Exception {
        try (var server = new FakeOpenAiServer(silentAfter(4_000, "data: " + text("Thinking") + "\n\n"))) {
            long t0 = System.nanoTime();
            Run r = run(model(server.baseUrl(), null, fast(Duration.ofMillis(400))), ask("q"));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            ModelEvent.Stop stop = r.stop();
            assertThat(r.deltas()).containsExactly("Thinking");
            assertThat(stop.reason()).isEqualTo(StopReason.ERROR);
            assertThat(stop.error()).contains("went silent").contains("read timeout");
            assertThat(ms).isBetween(300L, 2_500L);
        }
    }

    @Test
    void aStreamLongerThanTheReadTimeoutIsFineWhileDataKeepsComing() throws Exception {
        try (var server = new FakeOpenAiServer(events(150, text("a"), text("b"), text("c"), text("d"), text("e"),
                finish("stop")))) {
            long t0 = System.nanoTime();
            Run r = run(model(server.baseUrl(), null, fast(Duration.ofMillis(400))), ask("q"));
            assertThat(r.stop().reason()).isEqualTo(StopReason.END_TURN);
            assertThat(String.join("", r.deltas())).isEqualTo("abcde");
            assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThan(700);
        }
    }

    @Test
    void invalidToolJsonBecomesAToolErrorTheModelCanCorrect() throws Exception {
        try (var server = new FakeOpenAiServer(events(0,
                toolFragment(0, "call_x", "get_pods", "{\"namespace\": \"sh"),
                finish("tool_calls")))) {
            Run r = run(model(server, null), ask("q"));
            assertThat(r.stop().reason()).isEqualTo(StopReason.TOOL_USE);
            ToolCall call = r.calls().get(0);
            assertThat(call.id()).isEqualTo("call_x");
            assertThat(call.invalidArgumentsProblem()).contains("not valid JSON").contains("{\"namespace\": \"sh");

            // the core's registry answers it with a tool error instead of running the tool
            boolean[] ran = {false};
            ObjectNode params = (ObjectNode) JSON.readTree("{\"type\":\"object\",\"properties\":{\"namespace\":{\"type\":\"string\"}}}");
            Tool tool = new Tool() {
                public ToolSpec spec() {
                    return new ToolSpec("get_pods", "List pods", params);
                }

                public ToolResult call(ObjectNode args, ToolContext ctx) {
                    ran[0] = true;
                    return ToolResult.error("should not run");
                }
            };
            ToolResult result = new ToolRegistry(List.of(tool)).execute(call,
                    new ToolContext("run-1", "u", "shop", null, null), Redactor.standard());
            assertThat(ran[0]).isFalse();
            assertThat(result.error()).isTrue();
            assertThat(result.text()).contains("arguments for get_pods were not valid JSON").contains("\"namespace\"");
        }
    }

    @Test
    void reportsUsage() throws Exception {
        try (var server = new FakeOpenAiServer(events(0, text("done"), finish("stop"), usage(1500, 42)))) {
            Run r = run(model(server, null), ask("q"));
            assertThat(r.events()).containsExactly(new ModelEvent.TextDelta("done"), new ModelEvent.Usage(1500, 42),
                    new ModelEvent.Stop(StopReason.END_TURN, null));
        }
    }

    @Test
    void lengthFinishIsMaxTokens() throws Exception {
        try (var server = new FakeOpenAiServer(events(0, text("a long"), finish("length")))) {
            assertThat(run(model(server, null), ask("q")).stop().reason()).isEqualTo(StopReason.MAX_TOKENS);
        }
    }

    @Test
    void ollamaStyleWholeToolCallInOneChunkWithFinishStop() throws Exception {
        String chunk = "{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\","
                + "\"tool_calls\":[{\"id\":\"call_q1\",\"type\":\"function\",\"function\":{\"name\":\"get_pods\","
                + "\"arguments\":\"{\\\"namespace\\\":\\\"shop\\\"}\"}},"
                + "{\"id\":\"call_q2\",\"type\":\"function\",\"function\":{\"name\":\"get_events\",\"arguments\":{\"kind\":\"Pod\"}}}]},"
                + "\"finish_reason\":null}]}";
        // no [DONE]: this server closes the stream after finish_reason
        try (var server = new FakeOpenAiServer(sse(0, "data: " + chunk + "\n\n", "data: " + finish("stop") + "\n\n"))) {
            Run r = run(model(server, null), ask("q"));
            assertThat(r.calls()).extracting(ToolCall::id).containsExactly("call_q1", "call_q2");
            assertThat(r.calls().get(0).arguments().path("namespace").asText()).isEqualTo("shop");
            assertThat(r.calls().get(1).arguments().path("kind").asText()).isEqualTo("Pod");
            assertThat(r.stop().reason()).isEqualTo(StopReason.TOOL_USE);
        }
    }

    @Test
    void errorChunkMidStreamIsReported() throws Exception {
        try (var server = new FakeOpenAiServer(events(0, text("hm"),
                "{\"error\":{\"message\":\"CUDA out of memory\",\"code\":500}}"))) {
            ModelEvent.Stop stop = run(model(server, null), ask("q")).stop();
            assertThat(stop.reason()).isEqualTo(StopReason.ERROR);
            assertThat(stop.error()).contains("mid-stream").contains("CUDA out of memory");
        }
    }

    @Test
    void nonStreamedJsonAnswerIsAccepted() throws Exception {
        String whole = "{\"id\":\"x\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"all good\"},"
                + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2}}";
        try (var server = new FakeOpenAiServer(status(200, whole))) {
            Run r = run(model(server, null), ask("q"));
            assertThat(r.events()).containsExactly(new ModelEvent.TextDelta("all good"), new ModelEvent.Usage(9, 2),
                    new ModelEvent.Stop(StopReason.END_TURN, null));
        }
    }

    @Test
    void unreachableEndpointIsRetriedThenFailsClearly() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        long t0 = System.nanoTime();
        ModelEvent.Stop stop = run(model("http://127.0.0.1:" + port + "/v1", KEY, fast(Duration.ofSeconds(2))), ask("q")).stop();
        assertThat(stop.reason()).isEqualTo(StopReason.ERROR);
        assertThat(stop.error()).contains("could not reach http://127.0.0.1:" + port + "/v1/chat/completions")
                .contains("gave up after 4 attempts").doesNotContain(KEY);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5_000);
    }

    @Test
    void idIsTheModelName() {
        assertThat(model("http://localhost:11434/v1", null, fast(Duration.ofSeconds(1))).id()).isEqualTo("qwen2.5:7b");
    }

}
