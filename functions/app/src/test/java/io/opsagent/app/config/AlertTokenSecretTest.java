package io.opsagent.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsagent.adapters.stepfunctions.LocalStack;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The alert webhook's token from Secrets Manager, the real SDK client against LocalStack's Secrets Manager: a plain
 * string, JSON with a token field, the setting taking precedence, and a missing secret named without its value.
 */
class AlertTokenSecretTest {
    private static SecretsManagerClient client() {
        LocalStack ls = LocalStack.ensure(LocalStack.checkoutRoot(), LocalStack.testPort());
        return SecretsManagerClient.builder().endpointOverride(ls.endpoint()).region(LocalStack.REGION)
                .credentialsProvider(LocalStack.CREDS).httpClient(UrlConnectionHttpClient.create()).build();
    }

    @Test
    void theTokenIsReadFromTheSecretAsAStringOrJson() {
        String name = "opsagent/alert-token-" + UUID.randomUUID().toString().substring(0, 8);
        String arn;
        try (SecretsManagerClient sm = client()) {
            arn = sm.createSecret(r -> r.name(name).secretString("plain-t0ken")).arn();
            sm.createSecret(r -> r.name(name + "-json").secretString("{\"token\":\"json-t0ken\"}"));
            sm.createSecret(r -> r.name(name + "-bad").secretString("{\"password\":\"x-hunter2\"}"));
        }
        assertThat(Assembly.alertToken(AssemblyTest.env("OPSAGENT_ALERT_TOKEN_SECRET", arn), AlertTokenSecretTest::client))
                .isEqualTo("plain-t0ken");
        assertThat(Assembly.alertToken(AssemblyTest.env("OPSAGENT_ALERT_TOKEN_SECRET", name + "-json"), AlertTokenSecretTest::client))
                .isEqualTo("json-t0ken");
        // the setting itself wins; neither set: the route stays off
        assertThat(Assembly.alertToken(AssemblyTest.env("OPSAGENT_ALERT_TOKEN", "direct", "OPSAGENT_ALERT_TOKEN_SECRET", arn),
                AlertTokenSecretTest::client)).isEqualTo("direct");
        assertThat(Assembly.alertToken(AssemblyTest.env(), AlertTokenSecretTest::client)).isNull();
        assertThatThrownBy(() -> Assembly.alertToken(AssemblyTest.env("OPSAGENT_ALERT_TOKEN_SECRET", name + "-bad"),
                AlertTokenSecretTest::client)).hasMessageContaining("OPSAGENT_ALERT_TOKEN_SECRET")
                .hasMessageContaining("without a \"token\" string").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> Assembly.alertToken(AssemblyTest.env("OPSAGENT_ALERT_TOKEN_SECRET", name + "-gone"),
                AlertTokenSecretTest::client)).hasMessageContaining("OPSAGENT_ALERT_TOKEN_SECRET")
                .hasMessageContaining("could not be read (ResourceNotFoundException");
    }
}
