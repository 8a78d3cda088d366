package io.opsagent.adapters.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BedrockConfigTest {

    static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    @Test
    void readsAllVariables() {
        BedrockConfig c = BedrockConfig.fromEnv(env("OPSAGENT_MODEL",
                "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-3-5-sonnet-20240620-v1:0",
                "AWS_REGION", "eu-west-1", "OPSAGENT_BEDROCK_ENDPOINT", "http://127.0.0.1:9999",
                "OPSAGENT_MAX_TOKENS", "2048", "OPSAGENT_TEMPERATURE", "0.3", "OPSAGENT_BEDROCK_RETRY_SECONDS", "12.5"));
        // the output limit and temperature are the engine's (Assembly), never re-read here to override it
        assertThat(c.modelId()).startsWith("arn:aws:bedrock:eu-west-1:").endsWith("v1:0");
        assertThat(c.region()).isEqualTo("eu-west-1");
        assertThat(c.endpointOverride()).isEqualTo(URI.create("http://127.0.0.1:9999"));
        assertThat(c.maxTokens()).isNull();
        assertThat(c.temperature()).isNull();
        assertThat(c.retryDeadline()).isEqualTo(Duration.ofMillis(12_500));
    }

    @Test
    void optionalVariablesDefault() {
        BedrockConfig c = BedrockConfig.fromEnv(env("OPSAGENT_MODEL", "amazon.nova-lite-v1:0", "AWS_DEFAULT_REGION", "us-west-2"));
        assertThat(c.region()).isEqualTo("us-west-2");
        assertThat(c.maxTokens()).isNull();
        assertThat(c.temperature()).isNull();
        assertThat(c.endpointOverride()).isNull();
        assertThat(c.retryDeadline()).isEqualTo(BedrockConfig.DEFAULT_RETRY_DEADLINE);
    }

    @Test
    void badValuesAreNamedInTheError() {
        assertThatThrownBy(() -> BedrockConfig.fromEnv(env("AWS_REGION", "us-east-1")))
                .hasMessageContaining("OPSAGENT_MODEL is not set");
        assertThatThrownBy(() -> BedrockConfig.fromEnv(env("OPSAGENT_MODEL", "m")))
                .hasMessageContaining("AWS_REGION is not set");
        assertThatThrownBy(() -> BedrockConfig.fromEnv(env("OPSAGENT_MODEL", "m", "AWS_REGION", "virginia")))
                .hasMessageContaining("AWS_REGION 'virginia'");
        assertThatThrownBy(() -> BedrockConfig.fromEnv(env("OPSAGENT_MODEL", "m", "AWS_REGION", "us-east-1",
                "OPSAGENT_BEDROCK_ENDPOINT", "localhost:4566"))).hasMessageContaining("OPSAGENT_BEDROCK_ENDPOINT");
    }

    @Test
    void backoffCeilingGrowsAndIsCapped() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
        assertThat(b.ceilingMillis(1)).isEqualTo(100);
        assertThat(b.ceilingMillis(3)).isEqualTo(400);
        assertThat(b.ceilingMillis(40)).isEqualTo(1000);
        for (int i = 0; i < 100; i++) assertThat(b.delayMillis(2)).isBetween(0L, 200L);
    }

    @Test
    void defaultPricesCostModelsAndInferenceProfiles() {
        var table = BedrockPrices.defaults();
        // Claude 3.5 Haiku list price: $0.0008 / 1k input, $0.004 / 1k output
        assertThat(table.cost("anthropic.claude-3-5-haiku-20241022-v1:0", 10_000, 1_000)).isCloseTo(0.012, within());
        assertThat(table.cost("us.anthropic.claude-3-5-haiku-20241022-v1:0", 10_000, 1_000)).isCloseTo(0.012, within());
        assertThat(table.cost("amazon.nova-pro-v1:0", 1_000, 1_000)).isCloseTo(0.004, within());
        assertThat(table.cost("unknown.model", 1_000, 1_000)).isZero();
        var custom = BedrockPrices.perThousand(Map.of("my.model", new BedrockPrices.Per1k(0.01, 0.02)));
        assertThat(custom.cost("eu.my.model", 2_000, 500)).isCloseTo(0.03, within());
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-9);
    }
}
