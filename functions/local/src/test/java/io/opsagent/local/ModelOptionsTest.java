package io.opsagent.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Choosing the chat model from configuration, and the terminal agent driven by an OpenAI-compatible endpoint. */
class ModelOptionsTest {
    private static final String DEMO = Path.of(System.getProperty("opsagent.root", "../.."))
            .resolve("events/clusters/demo").toString();

    @Test
    void theProviderFollowsWhatIsConfigured() {
        assertThat(ModelOptions.providerFor(Map.of())).isEqualTo("offline");
        assertThat(ModelOptions.providerFor(Map.of("OPSAGENT_OPENAI_BASE_URL", "http://localhost:11434/v1"))).isEqualTo("openai");
        assertThat(ModelOptions.providerFor(Map.of("OPSAGENT_MODEL", "m", "AWS_ACCESS_KEY_ID", "AKIA..."))).isEqualTo("bedrock");
        assertThat(ModelOptions.providerFor(Map.of("OPSAGENT_MODEL_PROVIDER", "Offline", "OPSAGENT_OPENAI_BASE_URL", "http://x")))
                .isEqualTo("offline");
        assertThatThrownBy(() -> ModelOptions.providerFor(Map.of("OPSAGENT_MODEL_PROVIDER", "gpt")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OPSAGENT_MODEL_PROVIDER 'gpt'").hasMessageContaining("bedrock, openai, offline");
    }

    @Test
    void badModelSettingsExitTwoBeforeAnythingStarts() {
        Cli.Run r = Cli.run("ask", "--dump", DEMO, "--in-memory", "--model-provider", "openai", "-w", "shop/cart", "why?");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("OPSAGENT_OPENAI_BASE_URL");
    }

    @Test
    void bedrockNeedsAModelAndARegionAndPricesItsRuns() throws Exception {
        assertThatThrownBy(() -> new ModelOptions().create(Map.of("OPSAGENT_MODEL_PROVIDER", "bedrock", "AWS_REGION", "eu-west-1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OPSAGENT_MODEL");
        assertThatThrownBy(() -> new ModelOptions().create(Map.of("OPSAGENT_MODEL_PROVIDER", "bedrock",
                "OPSAGENT_MODEL", "anthropic.claude-3-5-haiku-20241022-v1:0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AWS_REGION");
        try (var model = (io.opsagent.adapters.bedrock.BedrockChatModel) new ModelOptions().create(Map.of(
                "OPSAGENT_MODEL_PROVIDER", "bedrock", "AWS_REGION", "eu-west-1",
                "OPSAGENT_MODEL", "anthropic.claude-3-5-haiku-20241022-v1:0"))) {
            assertThat(model.id()).contains("claude-3-5-haiku");
            assertThat(ModelOptions.prices(model).cost(model.id(), 1_000_000, 1_000_000)).isPositive();
        }
        assertThat(ModelOptions.prices(new io.opsagent.core.agent.offline.OfflineAnalyst()).cost("offline-analyst", 1000, 1000))
                .isZero();
    }

    @Test
    void askDrivenByAnOpenAiCompatibleEndpointCallsToolsAndStreamsTheAnswer() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            bodies.add(body);
            String sse = body.contains("\"role\":\"tool\"")
                    ? chunk("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"The cart pods crash: \"}}]}")
                    + chunk("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"REDIS_URL is not set.\"},\"finish_reason\":\"stop\"}]}")
                    : chunk("{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"c1\",\"type\":\"function\","
                    + "\"function\":{\"name\":\"diagnose\",\"arguments\":\"\"}}]}}]}")
                    + chunk("{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{}\"}}]},"
                    + "\"finish_reason\":\"tool_calls\"}]}");
            sse += "data: [DONE]\n\n";
            ex.getResponseHeaders().add("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(sse.getBytes(StandardCharsets.UTF_8));
            }
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
            Cli.Run r = Cli.run("ask", "--dump", DEMO, "--in-memory", "--openai-base-url", base, "--model", "fake-llm",
                    "-w", "shop/cart", "why is cart failing?");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.err()).contains("model: fake-llm").contains("→ diagnose {}").contains("← 3 findings");
            assertThat(r.out()).contains("The cart pods crash: REDIS_URL is not set.");
            assertThat(bodies).hasSize(2);
            assertThat(bodies.get(0)).contains("\"model\":\"fake-llm\"").contains("\"name\":\"search_logs\"")
                    .contains("shop/cart");
            // the tool result the model saw is the diagnosis, redacted, citing the evidence
            assertThat(bodies.get(1)).contains("CrashLoopBackOff").contains("shop/pods.json");
        } finally {
            server.stop(0);
        }
    }

    private static String chunk(String json) {
        return "data: " + json + "\n\n";
    }
}
