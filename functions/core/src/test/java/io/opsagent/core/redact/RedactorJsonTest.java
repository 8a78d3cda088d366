package io.opsagent.core.redact;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

/** {@link Redactor#redact(JsonNode)}: keys, Secret objects, env entries and nested strings. */
class RedactorJsonTest {
    private final Redactor redactor = new Redactor();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void masksValuesUnderSecretKeysAndRunsTextRulesOnOtherStrings() throws Exception {
        JsonNode in = json.readTree("""
                {"db": {"user": "app", "password": "hunter2", "port": 5432, "pin": 1234,
                        "url": "postgres://app:hunter2@db:5432/x"},
                 "apiKey": 987654321,
                 "tokens": ["Bearer abcdef0123456789", "plain"],
                 "secretName": "db-credentials",
                 "automountServiceAccountToken": false,
                 "volumes": [{"name": "creds", "secret": {"secretName": "db", "defaultMode": 420}}]}
                """);
        String before = in.toString();

        JsonNode out = redactor.redact(in);

        assertThat(in.toString()).as("argument not modified").isEqualTo(before);
        assertThat(out.at("/db/password").asText()).isEqualTo("********");
        assertThat(out.at("/db/user").asText()).isEqualTo("app");
        assertThat(out.at("/db/port").asInt()).isEqualTo(5432);
        assertThat(out.at("/db/url").asText()).isEqualTo("postgres://app:********@db:5432/x");
        assertThat(out.at("/apiKey").asText()).isEqualTo("********");
        assertThat(out.at("/tokens/0").asText()).isEqualTo("Bearer ****");
        assertThat(out.at("/tokens/1").asText()).isEqualTo("plain");
        assertThat(out.at("/secretName").asText()).isEqualTo("db-credentials");
        assertThat(out.at("/automountServiceAccountToken").asBoolean()).isFalse();
        assertThat(out.at("/volumes/0/secret/secretName").asText()).isEqualTo("db");
        assertThat(out.toString()).doesNotContain("hunter2").doesNotContain("987654321");
    }

    @Test
    void masksSecretManifestDataReadFromYaml() throws Exception {
        JsonNode secret = new YAMLMapper().readTree("""
                apiVersion: v1
                kind: Secret
                metadata:
                  name: db
                  labels: {app: db}
                data:
                  username: YWRtaW4=
                  tls.crt: LS0tLS1CRUdJTiBDRVJU
                stringData:
                  note: hello
                """);

        JsonNode out = redactor.redact(secret);

        assertThat(out.at("/data/username").asText()).isEqualTo("********");
        assertThat(out.at("/data/tls.crt").asText()).isEqualTo("********");
        assertThat(out.at("/stringData/note").asText()).isEqualTo("********");
        assertThat(out.at("/metadata/name").asText()).isEqualTo("db");
        assertThat(out.at("/metadata/labels/app").asText()).isEqualTo("db");
    }

    @Test
    void keepsConfigMapData() throws Exception {
        JsonNode cm = json.readTree("{\"kind\": \"ConfigMap\", \"data\": {\"username\": \"admin\"}}");

        assertThat(redactor.redact(cm)).isEqualTo(cm);
    }

    @Test
    void masksSecretEnvValuesInAPodSpec() throws Exception {
        JsonNode pod = json.readTree("""
                {"kind": "Pod", "spec": {"containers": [{"name": "app", "env": [
                  {"name": "DB_PASSWORD", "value": "hunter2"},
                  {"name": "LOG_LEVEL", "value": "debug"},
                  {"name": "API_TOKEN", "valueFrom": {"secretKeyRef": {"name": "api", "key": "token"}}}]}]}}
                """);

        JsonNode out = redactor.redact(pod);

        JsonNode env = out.at("/spec/containers/0/env");
        assertThat(env.get(0).get("value").asText()).isEqualTo("********");
        assertThat(env.get(1).get("value").asText()).isEqualTo("debug");
        assertThat(env.get(2).at("/valueFrom/secretKeyRef/key").asText()).isEqualTo("token");
    }

    @Test
    void listsOfSecretsAreMaskedAndIdempotent() throws Exception {
        JsonNode list = json.readTree("""
                {"kind": "List", "items": [
                  {"kind": "Secret", "metadata": {"name": "a"}, "data": {"k": "djE="}},
                  {"kind": "ConfigMap", "metadata": {"name": "b"}, "data": {"k": "v1"}}]}
                """);

        JsonNode once = redactor.redact(list);

        assertThat(once.at("/items/0/data/k").asText()).isEqualTo("********");
        assertThat(once.at("/items/1/data/k").asText()).isEqualTo("v1");
        assertThat(redactor.redact(once)).isEqualTo(once);
    }

    @Test
    void textNodeIsRedactedAsText() {
        JsonNode node = json.getNodeFactory().textNode("password=hunter2");

        assertThat(redactor.redact(node).asText()).isEqualTo("password=********");
    }
}
