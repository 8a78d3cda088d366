package io.opsagent.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsagent.core.agent.EngineConfig;
import io.opsagent.core.agent.offline.OfflineAnalyst;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The engine's settings are read in one place, and bad values are named. */
class AssemblyTest {
    static Settings env(String... kv) {
        java.util.Map<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return Settings.fromEnvironment(Map.copyOf(m));
    }

    @Test
    void defaultsWithoutSettings() {
        EngineConfig c = Assembly.engineConfig(env(), new OfflineAnalyst());
        EngineConfig d = EngineConfig.defaults();
        assertThat(c.maxSteps()).isEqualTo(d.maxSteps());
        assertThat(c.maxTokens()).isEqualTo(d.maxTokens());
        assertThat(c.temperature()).isEqualTo(d.temperature());
    }

    @Test
    void stepsTokensAndTemperatureComeFromTheSettings() {
        EngineConfig c = Assembly.engineConfig(env("OPSAGENT_MAX_STEPS", "4", "OPSAGENT_MAX_TOKENS", "2048",
                "OPSAGENT_TEMPERATURE", "0.3"), new OfflineAnalyst());
        assertThat(c.maxSteps()).isEqualTo(4);
        assertThat(c.maxTokens()).isEqualTo(2048);
        assertThat(c.temperature()).isEqualTo(0.3);
    }

    @Test
    void badValuesAreNamed() {
        assertThatThrownBy(() -> Assembly.engineConfig(env("OPSAGENT_MAX_TOKENS", "lots"), new OfflineAnalyst()))
                .hasMessageContaining("OPSAGENT_MAX_TOKENS").hasMessageContaining("whole number");
        assertThatThrownBy(() -> Assembly.engineConfig(env("OPSAGENT_MAX_TOKENS", "0"), new OfflineAnalyst()))
                .hasMessageContaining("OPSAGENT_MAX_TOKENS");
        assertThatThrownBy(() -> Assembly.engineConfig(env("OPSAGENT_TEMPERATURE", "1.7"), new OfflineAnalyst()))
                .hasMessageContaining("OPSAGENT_TEMPERATURE").hasMessageContaining("0 to 1");
        assertThatThrownBy(() -> Assembly.engineConfig(env("OPSAGENT_TEMPERATURE", "warm"), new OfflineAnalyst()))
                .hasMessageContaining("OPSAGENT_TEMPERATURE");
        assertThatThrownBy(() -> Assembly.engineConfig(env("OPSAGENT_MAX_STEPS", "0"), new OfflineAnalyst()))
                .hasMessageContaining("OPSAGENT_MAX_STEPS");
    }

    @Test
    void notificationsComeFromTheSettingsAndBadValuesAreNamedWithoutShowingTheWebhook() {
        assertThat(Assembly.notifier(env())).isSameAs(io.opsagent.core.notify.Notifier.NONE);
        assertThatThrownBy(() -> Assembly.notifier(env("OPSAGENT_SLACK_WEBHOOK_URL", "hooks.slack.com/services/T0/B0/sekrit")))
                .hasMessageContaining("OPSAGENT_SLACK_WEBHOOK_URL (secret)").hasMessageContaining("https URL")
                .hasMessageNotContaining("sekrit");
        assertThatThrownBy(() -> Assembly.notifier(env("OPSAGENT_SNS_TOPIC_ARN", "opsagent-topic")))
                .hasMessageContaining("OPSAGENT_SNS_TOPIC_ARN 'opsagent-topic'").hasMessageContaining("topic ARN");
        assertThat(Assembly.notifier(env("OPSAGENT_SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T0/B0/x",
                "OPSAGENT_SNS_TOPIC_ARN", "arn:aws:sns:eu-west-1:123456789012:opsagent")))
                .isNotSameAs(io.opsagent.core.notify.Notifier.NONE);
    }

    @Test
    void perNamespaceSlackWebhooksRouteByTheWorkloadsNamespace() {
        assertThatThrownBy(() -> Assembly.notifier(env("OPSAGENT_SLACK_WEBHOOKS", "shop:https://hooks.slack.com/services/x")))
                .hasMessageContaining("OPSAGENT_SLACK_WEBHOOKS (secret)").hasMessageContaining("namespace=https://")
                .hasMessageNotContaining("hooks.slack.com/services/x");
        java.util.List<String> shop = new java.util.ArrayList<>();
        java.util.List<String> rest = new java.util.ArrayList<>();
        io.opsagent.core.notify.Notifier routed = io.opsagent.core.notify.Notifier.byNamespace(
                java.util.Map.of("shop", n -> shop.add(n.workload())), n -> rest.add(n.workload()));
        for (String w : new String[] {"shop/cart", "shop/Deployment/web", "payments/api", null}) {
            routed.send(new io.opsagent.core.notify.Notification("e", "s", "t", null, w, null));
        }
        assertThat(shop).containsExactly("shop/cart", "shop/Deployment/web");
        assertThat(rest).containsExactly("payments/api", null);
        assertThat(Assembly.notifier(env("OPSAGENT_SLACK_WEBHOOKS", "shop=https://hooks.slack.com/services/a,"
                + "payments=https://hooks.slack.com/services/b"))).isNotSameAs(io.opsagent.core.notify.Notifier.NONE);
    }
}
