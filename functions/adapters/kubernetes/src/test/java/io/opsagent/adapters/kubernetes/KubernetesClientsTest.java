package io.opsagent.adapters.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;

@EnableKubernetesMockClient
class KubernetesClientsTest {

    KubernetesMockServer server;
    KubernetesClient client;
    HttpServer eksServer;
    final List<String> eksRequests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        server.expect().get().withPath("/api/v1/namespaces/shop/pods").andReturn(200, new PodListBuilder().build())
                .always();
        eksServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        eksServer.createContext("/clusters/", ex -> {
            eksRequests.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " auth="
                    + ex.getRequestHeaders().getFirst("Authorization"));
            String name = ex.getRequestURI().getPath().substring("/clusters/".length());
            String body = name.equals("prod")
                    ? "{\"cluster\":{\"name\":\"prod\",\"endpoint\":\"https://ABC.gr7.eu-west-1.eks.amazonaws.com\","
                    + "\"certificateAuthority\":{\"data\":\"TFMwdExTMUNSVWRKVGlCRFJWSlU=\"},\"status\":\"ACTIVE\"}}"
                    : "{\"cluster\":{\"name\":\"" + name + "\",\"status\":\"CREATING\"}}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, bytes.length);
            ex.getResponseBody().write(bytes);
            ex.close();
        });
        eksServer.start();
    }

    @AfterEach
    void stop() {
        eksServer.stop(0);
    }

    EksClient eks() {
        return EksClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + eksServer.getAddress().getPort()))
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    Config mockConfig() {
        return new ConfigBuilder(client.getConfiguration()).withRequestRetryBackoffLimit(0).build();
    }

    @Test
    void eksConfigComesFromDescribeCluster() {
        try (EksClient eks = eks()) {
            Config config = KubernetesClients.eksConfig(eks, "prod", () -> "tok");

            assertThat(config.getMasterUrl()).startsWith("https://ABC.gr7.eu-west-1.eks.amazonaws.com");
            assertThat(config.getCaCertData()).isEqualTo("TFMwdExTMUNSVWRKVGlCRFJWSlU=");
            assertThat(config.getOauthTokenProvider().getToken()).isEqualTo("tok");
        }
        assertThat(eksRequests).hasSize(1);
        assertThat(eksRequests.get(0)).startsWith("GET /clusters/prod auth=AWS4-HMAC-SHA256 Credential=AKID/");
    }

    @Test
    void clusterWithoutEndpointIsReported() {
        try (EksClient eks = eks()) {
            assertThatThrownBy(() -> KubernetesClients.eksConfig(eks, "new", () -> "tok"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("EKS cluster new").hasMessageContaining("CREATING");
        }
    }

    @Test
    void bearerTokenFromTheProviderIsSentAndRefreshed() throws Exception {
        AtomicInteger n = new AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<java.time.Instant> now =
                new java.util.concurrent.atomic.AtomicReference<>(java.time.Instant.parse("2026-11-21T10:00:00Z"));
        java.time.Clock clock = new java.time.Clock() {
            public java.time.ZoneId getZone() { return java.time.ZoneOffset.UTC; }
            public java.time.Clock withZone(java.time.ZoneId z) { return this; }
            public java.time.Instant instant() { return now.get(); }
        };
        Config config = mockConfig();
        config.setOauthTokenProvider(new RefreshingTokenProvider(() -> "k8s-aws-v1.token" + n.incrementAndGet(),
                RefreshingTokenProvider.EKS_REFRESH, clock));
        try (KubernetesClient eksLike = KubernetesClients.build(config, null)) {
            eksLike.pods().inNamespace("shop").list();
            eksLike.pods().inNamespace("shop").list();
            now.set(now.get().plus(RefreshingTokenProvider.EKS_REFRESH));
            eksLike.pods().inNamespace("shop").list();
        }
        assertThat(server.takeRequest().getHeader("Authorization")).isEqualTo("Bearer k8s-aws-v1.token1");
        assertThat(server.takeRequest().getHeader("Authorization")).isEqualTo("Bearer k8s-aws-v1.token1");
        assertThat(server.takeRequest().getHeader("Authorization")).isEqualTo("Bearer k8s-aws-v1.token2");
    }
}
