package io.opsagent.adapters.kubernetes;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;

/**
 * A server error while listing fails, naming the resource. On fabric8's mock: a real API server does not answer 500
 * on demand. (A 403 is the real server's: {@code real.RealApiServerTest}.)
 */
@EnableKubernetesMockClient
class LiveClusterReaderForbiddenTest {

    KubernetesMockServer server;
    KubernetesClient client;

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
