package io.opsagent.adapters.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenAiConfigTest {

    @Test
    void readsEnvironment() {
        OpenAiConfig c = OpenAiConfig.fromEnv(Map.of(
                "OPSAGENT_OPENAI_BASE_URL", "http://localhost:11434/v1",
                "OPSAGENT_MODEL", " llama3.1:8b ",
                "OPSAGENT_OPENAI_API_KEY", "sk-abc",
                "OPSAGENT_MAX_TOKENS", "2048",
                "OPSAGENT_TEMPERATURE", "0.1",
                "OPSAGENT_OPENAI_READ_TIMEOUT_SECONDS", "300"));
        assertThat(c.chatCompletionsUri().toString()).isEqualTo("http://localhost:11434/v1/chat/completions");
        assertThat(c.model()).isEqualTo("llama3.1:8b");
        assertThat(c.apiKey()).isEqualTo("sk-abc");
        assertThat(c.maxTokens()).as("the engine's (Assembly), not re-read here").isNull();
        assertThat(c.temperature()).isNull();
        assertThat(c.timeouts().read()).isEqualTo(Duration.ofSeconds(300));
        assertThat(c.toString()).doesNotContain("sk-abc").contains("apiKey=***");
    }

    @Test
    void fallsBackToOpenAiApiKeyAndDefaults() {
        OpenAiConfig c = OpenAiConfig.fromEnv(Map.of("OPSAGENT_OPENAI_BASE_URL", "https://api.openai.com/v1/",
                "OPSAGENT_MODEL", "gpt-4o-mini", "OPENAI_API_KEY", "sk-openai"));
        assertThat(c.apiKey()).isEqualTo("sk-openai");
        assertThat(c.chatCompletionsUri().toString()).isEqualTo("https://api.openai.com/v1/chat/completions");
        assertThat(c.maxTokens()).isNull();
        assertThat(c.temperature()).isNull();
        assertThat(c.timeouts()).isEqualTo(OpenAiConfig.Timeouts.defaults());
        assertThat(OpenAiConfig.fromEnv(Map.of("OPSAGENT_OPENAI_BASE_URL", "http://h:8000/v1",
                "OPSAGENT_MODEL", "m", "OPSAGENT_OPENAI_API_KEY", " ")).apiKey()).isNull();
    }

    @Test
    void rejectsMissingOrBadValuesWithClearMessages() {
        assertThatThrownBy(() -> OpenAiConfig.fromEnv(Map.of("OPSAGENT_MODEL", "m")))
                .hasMessageContaining("OPSAGENT_OPENAI_BASE_URL is not set");
        assertThatThrownBy(() -> OpenAiConfig.fromEnv(Map.of("OPSAGENT_OPENAI_BASE_URL", "http://localhost:11434/v1")))
                .hasMessageContaining("no model configured: set OPSAGENT_MODEL");
        assertThatThrownBy(() -> OpenAiConfig.fromEnv(Map.of("OPSAGENT_OPENAI_BASE_URL", "localhost:11434", "OPSAGENT_MODEL", "m")))
                .hasMessageContaining("must be an http(s) URL");
        assertThatThrownBy(() -> OpenAiConfig.fromEnv(Map.of("OPSAGENT_OPENAI_BASE_URL", "http://bad host/v1", "OPSAGENT_MODEL", "m")))
                .hasMessageContaining("not a valid URL");
        assertThatThrownBy(() -> OpenAiConfig.fromEnv(Map.of("OPSAGENT_OPENAI_BASE_URL", "ftp://h/v1", "OPSAGENT_MODEL", "m")))
                .hasMessageContaining("must be an http(s) URL");
    }
}
