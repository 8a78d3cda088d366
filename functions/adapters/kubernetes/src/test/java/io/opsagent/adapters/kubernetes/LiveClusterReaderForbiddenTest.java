package io.opsagent.adapters.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.opsagent.core.cluster.ClusterSnapshot;
import org.junit.jupiter.api.Test;

/** Expectation mode: resources the identity may not list are skipped and named; other errors fail. */
@EnableKubernetesMockClient
class LiveClusterReaderForbiddenTest {

    KubernetesMockServer server;
    KubernetesClient client;

    @Test
    void forbiddenResourcesAreSkippedAndNamed() {
        server.expect().get().withPath("/api/v1/nodes").andReturn(403, new StatusBuilder().withCode(403)
                .withReason("Forbidden").withMessage("nodes is forbidden").build()).always();
        server.expect().get().withPath("/api/v1/namespaces/shop/pods").andReturn(200, new PodListBuilder()
                .addNewItem().withNewMetadata().withName("web-1").withNamespace("shop").endMetadata().endItem()
                .build()).always();

        LiveClusterReader reader = new LiveClusterReader(client, "mock");
        ClusterSnapshot s = reader.read("shop");

        assertThat(s.pods()).extracting(p -> p.getMetadata().getName()).containsExactly("web-1");
        assertThat(reader.lastSkipped()).contains("nodes (403)");
    }

    @Test
    void serverErrorsFailNamingTheResource() {
        server.expect().get().withPath("/api/v1/nodes").andReturn(500, "boom").always();

        KubernetesClient noRetry = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(
                new io.fabric8.kubernetes.client.ConfigBuilder(client.getConfiguration())
                        .withRequestRetryBackoffLimit(0).build()).build();
        assertThatThrownBy(() -> new LiveClusterReader(noRetry, "mock").read("shop"))
                .isInstanceOf(KubernetesClientException.class).hasMessageContaining("listing nodes failed");
    }
}
