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
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsagent.core.agent.AgentListener;
import io.opsagent.core.agent.ConversationEngine;
import io.opsagent.core.agent.InMemoryRunStore;
import io.opsagent.core.agent.InMemorySessionStore;
import io.opsagent.core.agent.EngineConfig;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.cluster.TextOrigin;
import io.opsagent.core.redact.Redactor;
import io.opsagent.core.runs.Run;
import io.opsagent.core.runs.RunStatus;
import io.opsagent.core.tools.SnapshotProvider;
import io.opsagent.core.tools.Tool;
import io.opsagent.core.tools.ToolContext;
import io.opsagent.core.tools.ToolRegistry;
import io.opsagent.core.tools.ToolResult;
import io.opsagent.core.tools.ToolSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;

/** The core's conversation engine driving the Bedrock adapter against the local ConverseStream server. */
class EngineWithBedrockTest {
    static final String MODEL = "us.anthropic.claude-3-5-haiku-20241022-v1:0";
    private static FakeBedrock fake;
    private static BedrockRuntimeAsyncClient client;
    private final AtomicInteger toolRuns = new AtomicInteger();
    private final InMemoryRunStore runs = new InMemoryRunStore();

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

    private ConversationEngine engine() {
        BedrockConfig config = BedrockConfig.of(MODEL, "us-east-1").withEndpointOverride(fake.endpoint())
                .withRetryDeadline(Duration.ofSeconds(3));
        BedrockChatModel model = new BedrockChatModel(config, client, BedrockChatModelTest.FAST, Duration.ofSeconds(5));
        Tool tool = new Tool() {
            @Override
            public ToolSpec spec() {
                return new ToolSpec("get_pods", "List pods of a namespace", BedrockChatModelTest.schema());
            }

            @Override
            public ToolResult call(ObjectNode args, ToolContext context) {
                toolRuns.incrementAndGet();
                return ToolResult.ok("checkout-7d9 CrashLoopBackOff", "1 pod", null, List.of());
            }
        };
        EngineConfig d = EngineConfig.defaults();
        EngineConfig config2 = new EngineConfig(d.maxSteps(), d.maxTokens(), d.temperature(), d.contextBudget(),
                BedrockPrices.defaults(), d.modelTimeout());
        return new ConversationEngine(model, new ToolRegistry(List.of(tool)),
                SnapshotProvider.of(snapshot()), runs, new InMemorySessionStore(),
                Redactor.standard(), config2, Clock.systemUTC());
    }

    private static ClusterSnapshot snapshot() {
        ClusterSnapshot.Builder b = ClusterSnapshot.builder("test");
        b.add(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build(), new TextOrigin("ns.txt", 1));
        return b.build();
    }

    @Test
    void invalidToolJsonGoesBackAsAToolErrorAndTheRunCompletesWithUsageAndCost() {
        String raw = "{\"namespace\": shop}";
        fake.then(new FakeBedrock.Stream(List.of(messageStart(), toolStart(0, "tooluse_1", "get_pods"),
                        toolInput(0, "{\"namespace\": "), toolInput(0, "shop}"), blockStop(0),
                        messageStop("tool_use"), metadata(1000, 10))))
                .then(new FakeBedrock.Stream(List.of(messageStart(), toolStart(0, "tooluse_2", "get_pods"),
                        toolInput(0, "{\"namespace\": \"shop\"}"), blockStop(0),
                        messageStop("tool_use"), metadata(1500, 20))))
                .then(answer("checkout is crash-looping."));

        Run run = engine().askOnce("alice", "shop/*", "why is checkout down?", "chat", AgentListener.NONE);

        assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(run.finalAnswer()).contains("checkout is crash-looping.");
        assertThat(run.model()).isEqualTo(MODEL);
        assertThat(toolRuns).hasValue(1);
        assertThat(fake.requests()).isEqualTo(3);
        // the second request answers the invalid call with an error toolResult the model can act on
        JsonNode messages = fake.bodies.get(1).path("messages");
        JsonNode result = messages.get(messages.size() - 1).at("/content/0/toolResult");
        assertThat(result.path("toolUseId").asText()).isEqualTo("tooluse_1");
        assertThat(result.path("status").asText()).isEqualTo("error");
        assertThat(result.at("/content/0/text").asText()).startsWith("the arguments for get_pods were not valid JSON (")
                .contains("): " + raw + ". Send the arguments as one JSON object");
        JsonNode third = fake.bodies.get(2).path("messages");
        assertThat(third.get(third.size() - 1).at("/content/0/toolResult/status").asText()).isEqualTo("success");
        // usage summed over the three turns; cost from the Bedrock list prices (3.5 Haiku: $0.8 / $4 per M)
        assertThat(run.inputTokens()).isEqualTo(1000 + 1500 + 100);
        assertThat(run.outputTokens()).isEqualTo(10 + 20 + 20);
        assertThat(run.cost()).isCloseTo((2600 * 0.8 + 50 * 4.0) / 1_000_000, within(1e-12));
    }

    @Test
    void aMidStreamFailureFailsTheRunWithTheAdaptersMessage() {
        fake.then(new FakeBedrock.Stream(List.of(messageStart(), text(0, "Looking"),
                exception("modelStreamErrorException", "The model stream broke"))));

        Run run = engine().askOnce("alice", "shop/*", "why?", "chat", AgentListener.NONE);

        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.error()).contains("after the answer had started").contains("The model stream broke");
        assertThat(fake.requests()).isEqualTo(1);
    }
}
