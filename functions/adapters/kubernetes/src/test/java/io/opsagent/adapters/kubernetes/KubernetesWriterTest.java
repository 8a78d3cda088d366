package io.opsagent.adapters.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class KubernetesWriterTest {

    static final String NS = Fixtures.NS;
    KubernetesClient client;
    KubernetesWriter writer;

    @BeforeEach
    void seed() {
        Fixtures.seed(client);
        writer = new KubernetesWriter(client, Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC));
    }

    Deployment web() {
        return client.apps().deployments().inNamespace(NS).withName("web").get();
    }

    @Test
    void scaleDryRunChangesNothingThenScales() {
        Change dry = writer.scale(NS, "web", 5, true);
        assertThat(dry.dryRun()).isTrue();
        assertThat(dry.before()).isEqualTo("replicas=2");
        assertThat(dry.after()).isEqualTo("replicas=5");
        assertThat(dry.patch()).isEqualTo("{\"spec\":{\"replicas\":5}}");
        assertThat(web().getSpec().getReplicas()).isEqualTo(2);

        Change real = writer.scale(NS, "web", 5, false);
        assertThat(real.describe()).isEqualTo("scale shop/Deployment/web: replicas=2 -> replicas=5");
        assertThat(web().getSpec().getReplicas()).isEqualTo(5);
    }

    @Test
    void rolloutRestartSetsTheTemplateAnnotation() {
        writer.rolloutRestart(NS, "web", true);
        assertThat(web().getSpec().getTemplate().getMetadata().getAnnotations()).isNullOrEmpty();

        Change c = writer.rolloutRestart(NS, "web", false);
        assertThat(c.after()).isEqualTo(KubernetesWriter.RESTARTED_AT + "=2026-11-21T10:00:00Z");
        assertThat(web().getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry(KubernetesWriter.RESTARTED_AT, "2026-11-21T10:00:00Z");
        // the rest of the template is kept
        assertThat(web().getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("shop/web:2.0");
    }

    @Test
    void rollbackCopiesThePreviousRevisionsTemplate() {
        Change dry = writer.rollback(NS, "web", null, true);
        assertThat(dry.before()).isEqualTo("revision 2 [app=shop/web:2.0]");
        assertThat(dry.after()).isEqualTo("revision 1 [app=shop/web:1.0]");
        assertThat(dry.patchType()).isEqualTo("json");
        assertThat(dry.patch()).contains("\"op\":\"replace\",\"path\":\"/spec/template\"")
                .contains("shop/web:1.0").doesNotContain("pod-template-hash");
        assertThat(web().getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("shop/web:2.0");

        writer.rollback(NS, "web", null, false);
        Deployment d = web();
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("shop/web:1.0");
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("app", "web")
                .doesNotContainKey("pod-template-hash");
    }

    @Test
    void rollbackToAnUnknownRevisionNamesTheRevisionsFound() {
        assertThatThrownBy(() -> writer.rollback(NS, "web", 7L, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("revision 7").hasMessageContaining("[1, 2]");
    }

    @Test
    void setImageChangesOneContainer() {
        Change dry = writer.setImage(NS, "web", "app", "shop/web:2.1", true);
        assertThat(dry.before()).isEqualTo("app=shop/web:2.0");
        assertThat(dry.patch()).isEqualTo("[{\"op\":\"test\",\"path\":\"/spec/template/spec/containers/0/name\","
                + "\"value\":\"app\"},{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\","
                + "\"value\":\"shop/web:2.1\"}]");
        assertThat(web().getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("shop/web:2.0");

        writer.setImage(NS, "web", "app", "shop/web:2.1", false);
        var container = web().getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("shop/web:2.1");
        assertThat(container.getResources().getLimits()).containsKey("memory");
        assertThatThrownBy(() -> writer.setImage(NS, "web", "nope", "x", true))
                .hasMessageContaining("no container 'nope'").hasMessageContaining("[app]");
    }

    @Test
    void patchConfigMapSetsAndRemovesKeys() {
        Map<String, String> data = new HashMap<>();
        data.put("POOL", "20");
        data.put("LOG_LEVEL", null);
        Change dry = writer.patchConfigMap(NS, "web-config", data, true);
        assertThat(dry.before()).isEqualTo("{LOG_LEVEL=info, POOL=10}");
        assertThat(dry.after()).isEqualTo("{LOG_LEVEL=null, POOL=20}");
        assertThat(dry.patch()).isEqualTo("[{\"op\":\"remove\",\"path\":\"/data/LOG_LEVEL\"},"
                + "{\"op\":\"add\",\"path\":\"/data/POOL\",\"value\":\"20\"}]");
        assertThat(client.configMaps().inNamespace(NS).withName("web-config").get().getData())
                .containsEntry("POOL", "10").containsEntry("LOG_LEVEL", "info");

        writer.patchConfigMap(NS, "web-config", data, false);
        assertThat(client.configMaps().inNamespace(NS).withName("web-config").get().getData())
                .containsEntry("POOL", "20").doesNotContainKey("LOG_LEVEL");
    }

    @Test
    void rollbackFailsWhenTheDeploymentChangedSinceItWasRead() {
        Change dry = writer.rollback(NS, "web", 1L, true);
        writer.scale(NS, "web", 3, false); // bumps the resourceVersion
        KubernetesClient noRetry = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(
                new io.fabric8.kubernetes.client.ConfigBuilder(client.getConfiguration())
                        .withRequestRetryBackoffLimit(0).withRequestTimeout(1_000).build()).build();
        // a real API server answers 422; fabric8's mock logs the failed test operation and never answers
        assertThatThrownBy(() -> noRetry.apps().deployments().inNamespace(NS).withName("web")
                .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                        io.fabric8.kubernetes.client.dsl.base.PatchType.JSON), dry.patch()))
                .isInstanceOf(io.fabric8.kubernetes.client.KubernetesClientException.class);
        assertThat(web().getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("shop/web:2.0");
    }

    @Test
    void missingDeploymentIsNamed() {
        assertThatThrownBy(() -> writer.scale(NS, "ghost", 1, true)).hasMessage("deployment shop/ghost not found");
    }
}
