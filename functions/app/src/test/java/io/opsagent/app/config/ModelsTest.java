package io.opsagent.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsagent.core.agent.model.ChatMessage;
import io.opsagent.core.agent.model.ChatModel;
import io.opsagent.core.agent.model.ChatRequest;
import io.opsagent.core.agent.model.ModelEvent;
import io.opsagent.core.agent.offline.OfflineAnalyst;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Choosing and building the chat model from the settings, eagerly and lazily. */
class ModelsTest {

    @Test
    void aLazyModelChecksTheSettingsNowAndKnowsItsIdAndPrices() {
        Settings bedrock = Settings.fromEnvironment(Map.of("OPSAGENT_MODEL_PROVIDER", "bedrock", "AWS_REGION", "eu-west-1",
                "OPSAGENT_MODEL", "anthropic.claude-3-5-haiku-20241022-v1:0"));
        ChatModel m = Models.createLazily(bedrock);
        assertThat(m.id()).isEqualTo("anthropic.claude-3-5-haiku-20241022-v1:0");
        assertThat(Models.prices(m).cost(m.id(), 1_000_000, 1_000_000)).isPositive();

        assertThatThrownBy(() -> Models.createLazily(Settings.fromEnvironment(Map.of("OPSAGENT_MODEL_PROVIDER", "bedrock",
                "AWS_REGION", "eu-west-1")))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OPSAGENT_MODEL");
        assertThat(Models.createLazily(Settings.fromEnvironment(Map.of()))).isInstanceOf(OfflineAnalyst.class);
    }

    @Test
    void aLazyModelBuildsItsClientOnTheFirstStream() {
        // nothing listens on port 1: the OpenAI client, built on this first call, reports a connection error as a Stop
        ChatModel m = Models.createLazily(Settings.fromEnvironment(Map.of(
                "OPSAGENT_OPENAI_BASE_URL", "http://127.0.0.1:1/v1", "OPSAGENT_MODEL", "qwen2.5",
                "OPSAGENT_OPENAI_READ_TIMEOUT_SECONDS", "2")));
        assertThat(m.id()).isEqualTo("qwen2.5");
        assertThat(Models.prices(m).cost(m.id(), 1_000_000, 1_000_000)).isZero();
        List<ModelEvent> events = new CopyOnWriteArrayList<>();
        m.stream(new ChatRequest("system", List.of(ChatMessage.user("hi")), List.of(), 100, 0.0, "run-1"), events::add);
        assertThat(events).last().isInstanceOfSatisfying(ModelEvent.Stop.class,
                s -> assertThat(s.error()).isNotBlank());
    }
}
