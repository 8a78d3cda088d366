package io.opsagent.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.opsagent.app.MockCluster;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code OPSAGENT_EKS_CLUSTER}: DescribeCluster (a local server speaking the EKS REST protocol, reached by the real
 * SDK client) gives the endpoint — fabric8's mock API server — and reads carry the EKS bearer token and, with
 * impersonation, the asking user.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class EksClusterTest {
    KubernetesMockServer server;
    KubernetesClient client;
    HttpServer eks;
    final List<String> describes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        System.setProperty("aws.accessKeyId", "AKIDTEST");
        System.setProperty("aws.secretAccessKey", "test-secret");
        eks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        eks.createContext("/clusters/", ex -> {
            describes.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + " "
                    + ex.getRequestHeaders().getFirst("Authorization"));
            String name = ex.getRequestURI().getPath().substring("/clusters/".length());
            String body = name.equals("prod")
                    ? "{\"cluster\":{\"name\":\"prod\",\"endpoint\":\"" + client.getConfiguration().getMasterUrl()
                    + "\",\"certificateAuthority\":{\"data\":\"TFMwdExTMUNSVWRKVGlCRFJWSlU=\"},\"status\":\"ACTIVE\"}}"
                    : "{\"cluster\":{\"name\":\"" + name + "\",\"status\":\"CREATING\"}}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, bytes.length);
            ex.getResponseBody().write(bytes);
            ex.close();
        });
        eks.start();
    }

    @AfterEach
    void stop() {
        eks.stop(0);
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    Settings settings(String cluster) {
        return Settings.fromEnvironment(Map.of("OPSAGENT_EKS_CLUSTER", cluster, "AWS_REGION", "eu-west-1",
                "OPSAGENT_EKS_ENDPOINT", "http://127.0.0.1:" + eks.getAddress().getPort(),
                "OPSAGENT_IMPERSONATE", "true", "OPSAGENT_IMPERSONATE_GROUPS", "sre"));
    }

    @Test
    void readsTheEksClusterWithATokenAsTheAskingUser() throws Exception {
        MockCluster.seed(client);
        try (ClusterView c = Clusters.open(settings("prod"), "shop", null)) {
            assertThat(c.describe()).startsWith("EKS cluster prod (live, namespace shop, calls impersonate");
            assertThat(describes).hasSize(1);
            assertThat(describes.get(0)).startsWith("GET /clusters/prod AWS4-HMAC-SHA256 Credential=AKIDTEST/")
                    .contains("/eu-west-1/eks/");
            drain();
            assertThat(c.provider().forUser("alice").snapshot().pods()).hasSize(1);
            List<RecordedRequest> reads = drain();
            assertThat(reads).hasSizeGreaterThan(10).allSatisfy(r -> {
                assertThat(r.getHeader("Authorization")).startsWith("Bearer k8s-aws-v1.");
                assertThat(r.getHeader("Impersonate-User")).isEqualTo("alice");
                assertThat(r.getHeaders().headers("Impersonate-Group")).containsExactly("sre");
            });
            assertThat(describes).hasSize(1); // one DescribeCluster, whatever the number of users
        }
    }

    @Test
    void aClusterThatIsNotReadyIsBadInputNamingIt() {
        assertThatThrownBy(() -> Clusters.open(settings("new"), null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("OPSAGENT_EKS_CLUSTER 'new'").hasMessageContaining("DescribeCluster in eu-west-1 failed")
                .hasMessageContaining("CREATING");
    }

    private List<RecordedRequest> drain() throws InterruptedException {
        List<RecordedRequest> out = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(50, TimeUnit.MILLISECONDS)) != null) out.add(r);
        return out;
    }
}
