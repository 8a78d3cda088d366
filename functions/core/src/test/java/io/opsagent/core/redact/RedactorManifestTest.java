package io.opsagent.core.redact;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Kubernetes Secret manifests as text: data and stringData values are masked, everything else is kept. */
class RedactorManifestTest {
    private final Redactor redactor = new Redactor();

    @Test
    void masksSecretDataInYaml() {
        String yaml = """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: db
                  namespace: shop
                type: Opaque
                data:
                  username: YWRtaW4=
                  password: MWYyZDFlMmU2N2Rm
                stringData:
                  config.yaml: |
                    url: http://db:5432
                    user: app
                  extra: "plain value"
                """;

        Result r = redactor.redactWithCounts(yaml);

        assertThat(r.text()).isEqualTo("""
                apiVersion: v1
                kind: Secret
                metadata:
                  name: db
                  namespace: shop
                type: Opaque
                data:
                  username: ********
                  password: ********
                stringData:
                  config.yaml: |
                    ********
                    ********
                  extra: "********"
                """);
        assertThat(r.counts()).containsEntry(Rule.K8S_SECRET_DATA, 4);
        assertThat(redactor.redact(r.text())).isEqualTo(r.text());
        assertThat(redactor.redactWithCounts(r.text()).changed()).as("nothing left to mask").isFalse();
    }

    @Test
    void masksOnlyTheSecretInAMultiDocumentStream() {
        String yaml = """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: app
                data:
                  LOG_LEVEL: debug
                ---
                apiVersion: v1
                data:
                  tls.key: LS0tLS1CRUdJTiBQUklWQVRF
                kind: Secret
                metadata:
                  name: tls
                """;

        String out = redactor.redact(yaml);

        assertThat(out).contains("LOG_LEVEL: debug").contains("tls.key: ********")
                .doesNotContain("LS0tLS1CRUdJTiBQUklWQVRF");
    }

    @Test
    void masksSecretsInAKubectlListWhereKindFollowsData() {
        String yaml = """
                apiVersion: v1
                items:
                - apiVersion: v1
                  data:
                    api-key: c2VjcmV0LWFwaS1rZXk=
                  kind: Secret
                  metadata:
                    name: api
                - apiVersion: v1
                  data:
                    mode: ZmFzdA==
                  kind: ConfigMap
                  metadata:
                    name: settings
                kind: List
                """;

        String out = redactor.redact(yaml);

        assertThat(out).contains("    api-key: ********").doesNotContain("c2VjcmV0LWFwaS1rZXk=")
                .contains("    mode: ZmFzdA==");
    }

    @Test
    void masksSecretWhoseDataKeyStartsAListItem() {
        String yaml = "items:\n- data:\n    k: djE=\n  kind: Secret\n- data:\n    k: djI=\n  kind: ConfigMap\n";

        assertThat(redactor.redact(yaml))
                .isEqualTo("items:\n- data:\n    k: ********\n  kind: Secret\n- data:\n    k: djI=\n  kind: ConfigMap\n");
    }

    @Test
    void masksSecretWithCrlfLineEndingsAndQuotedKind() {
        String yaml = "apiVersion: v1\r\nkind: \"Secret\"\r\ndata:\r\n  k: djE=\r\n";

        assertThat(redactor.redact(yaml)).isEqualTo("apiVersion: v1\r\nkind: \"Secret\"\r\ndata:\r\n  k: ********\r\n");
    }

    @Test
    void masksSecretDataInJsonText() {
        String json = """
                {
                    "apiVersion": "v1",
                    "data": {
                        "password": "MWYyZDFlMmU2N2Rm",
                        "username": "YWRtaW4="
                    },
                    "kind": "Secret",
                    "metadata": {"name": "db", "labels": {"app": "db"}},
                    "type": "Opaque"
                }
                """;

        Result r = redactor.redactWithCounts(json);

        assertThat(r.text()).contains("\"password\": \"********\"").contains("\"username\": \"********\"")
                .contains("\"labels\": {\"app\": \"db\"}").doesNotContain("YWRtaW4=");
        assertThat(r.counts()).containsEntry(Rule.K8S_SECRET_DATA, 2);
    }

    @Test
    void keepsConfigMapDataInJsonText() {
        String json = "{\"kind\": \"ConfigMap\", \"data\": {\"mode\": \"fast\"}, \"note\": \"not a Secret\"}";

        assertThat(redactor.redact(json)).isEqualTo(json);
    }

    @Test
    void masksSecretEmbeddedInLastAppliedConfiguration() {
        String json = "{\"metadata\": {\"annotations\": {\"kubectl.kubernetes.io/last-applied-configuration\": "
                + "\"{\\\"apiVersion\\\":\\\"v1\\\",\\\"data\\\":{\\\"tls.key\\\":\\\"LS0tLS1CRUdJTg==\\\"},"
                + "\\\"kind\\\":\\\"Secret\\\"}\\n\"}}}";

        String out = redactor.redact(json);

        assertThat(out).doesNotContain("LS0tLS1CRUdJTg==").contains("\\\"tls.key\\\":\\\"********\\\"");
    }

    @Test
    void countsAreReportedPerRule() {
        Result r = redactor.redactWithCounts("password=a1b2c3 AKIAIOSFODNN7EXAMPLE and AKIAI44QH8DHBEXAMPLE");

        assertThat(r.counts()).isEqualTo(Map.of(Rule.SECRET_KEY_VALUE, 1, Rule.AWS_ACCESS_KEY_ID, 2));
        assertThat(r.total()).isEqualTo(3);
    }
}
