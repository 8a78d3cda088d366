package io.opsagent.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opsagent.app.http.AppContext;
import io.opsagent.app.http.Authenticator;
import io.opsagent.core.agent.offline.OfflineAnalyst;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chat server in this JVM on a loopback port: the gate (health without a token, 401 with a challenge, no files),
 * CORS, the SnapStart hooks, and a streamed chat answered for the token's subject.
 */
class ChatServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String ORIGIN = "https://d111111abcdef8.cloudfront.net";
    private static JwtTestIssuer issuer;
    private static JwtAuthenticator jwt;
    private static ChatServer server;
    private static URI base;

    @BeforeAll
    static void start() throws Exception {
        issuer = new JwtTestIssuer();
        jwt = new JwtAuthenticator(issuer.config());
        AppContext app = ChatTestApp.context(new OfflineAnalyst(), jwt);
        // bound to every interface here so the hook test can call from a non-loopback address
        server = ChatServer.start(app, new ChatServer.Options("0.0.0.0", 0, List.of(ORIGIN), null));
        base = URI.create("http://127.0.0.1:" + server.port() + "/");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (issuer != null) issuer.close();
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return HTTP.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder req(String path) {
        return HttpRequest.newBuilder(base.resolve(path));
    }

    private static HttpRequest.Builder authed(String path, String sub) {
        return req(path).header("Authorization", "Bearer " + issuer.token(sub));
    }

    @Test
    void healthAnswersTheAdapterWithoutATokenAndHoldsNoSecrets() throws Exception {
        HttpResponse<String> r = send(req("/healthz"));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode n = JSON.readTree(r.body());
        assertThat(n.get("status").asText()).isEqualTo("ok");
        assertThat(r.body()).doesNotContain(JwtTestIssuer.CLIENT_ID).doesNotContain("cognito").hasSizeLessThan(200);

        // through the Function URL (the adapter adds its request context) nothing is open: a token is needed
        HttpResponse<String> viaUrl = send(req("/healthz").header(ChatServer.FORWARDED_MARK, "{\"requestId\":\"r1\"}"));
        assertThat(viaUrl.statusCode()).isEqualTo(401);
        HttpResponse<String> withToken = send(authed("/healthz", UUID.randomUUID().toString())
                .header(ChatServer.FORWARDED_MARK, "{\"requestId\":\"r2\"}"));
        assertThat(withToken.statusCode()).isEqualTo(200);
    }

    @Test
    void apiNeedsAValidTokenAndSaysWhyWithABearerChallenge() throws Exception {
        HttpResponse<String> none = send(req("/api/workloads"));
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"opsagent\"");
        assertThat(JSON.readTree(none.body()).get("error").asText()).contains("missing Authorization header");
        assertThat(JSON.readTree(none.body()).get("field").asText()).isEqualTo("Authorization");

        String expired = issuer.token(UUID.randomUUID().toString(),
                b -> b.expirationTime(java.util.Date.from(java.time.Instant.now().minusSeconds(3600))));
        HttpResponse<String> old = send(req("/api/sessions").header("Authorization", "Bearer " + expired));
        assertThat(old.statusCode()).isEqualTo(401);
        assertThat(old.headers().firstValue("WWW-Authenticate").orElse("")).contains("error=\"invalid_token\"");
        assertThat(old.body()).contains("expired").doesNotContain(expired);

        // every route is behind the gate, including ones that would otherwise only read
        for (String p : List.of("/api/runs", "/api/runs/stats", "/api/evidence?ref=x", "/api/nosuch")) {
            assertThat(send(req(p)).statusCode()).as(p).isEqualTo(401);
        }
        assertThat(send(req("/api/sessions").POST(HttpRequest.BodyPublishers.ofString("{\"workload\":\"shop/cart\"}")))
                .statusCode()).isEqualTo(401);

        HttpResponse<String> ok = send(authed("/api/workloads", UUID.randomUUID().toString()));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ok.body()).get("items").size()).isGreaterThan(5);
    }

    @Test
    void noFilesAreServed() throws Exception {
        assertThat(send(req("/")).statusCode()).isEqualTo(404);
        assertThat(send(req("/index.html")).statusCode()).isEqualTo(404);
        assertThat(send(req("/")).body()).contains("CloudFront");
    }

    @Test
    void sessionsAndRunsBelongToTheTokenSubjectAndTheChatStreams() throws Exception {
        String alice = UUID.randomUUID().toString();
        HttpResponse<String> created = send(authed("/api/sessions", alice).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"workload\":\"shop/cart\"}")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode s = JSON.readTree(created.body());
        assertThat(s.get("user").asText()).isEqualTo(alice);
        String id = s.get("id").asText();

        HttpResponse<String> chat = send(authed("/api/sessions/" + id + "/messages", alice)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"why is cart failing?\"}")));
        assertThat(chat.statusCode()).isEqualTo(200);
        assertThat(chat.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        assertThat(chat.body()).contains("event: run").contains("event: final");

        HttpResponse<String> runs = send(authed("/api/runs", alice));
        assertThat(JSON.readTree(runs.body()).get("items").findValuesAsText("user")).containsOnly(alice).hasSize(1);
        // another subject sees nothing of alice's
        String bob = UUID.randomUUID().toString();
        assertThat(send(authed("/api/sessions/" + id, bob)).statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(send(authed("/api/runs", bob)).body()).get("items").size()).isZero();
    }

    @Test
    void corsForTheAllowedOriginOnly() throws Exception {
        HttpResponse<String> pre = send(req("/api/sessions").method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", ORIGIN).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type"));
        assertThat(pre.statusCode()).isEqualTo(204);
        assertThat(pre.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ORIGIN);
        assertThat(pre.headers().firstValue("Access-Control-Allow-Headers").orElse("")).containsIgnoringCase("authorization");
        assertThat(pre.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("POST");

        HttpResponse<String> evil = send(req("/api/sessions").method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST"));
        assertThat(evil.statusCode()).isEqualTo(403);
        assertThat(evil.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

        HttpResponse<String> get = send(authed("/api/workloads", UUID.randomUUID().toString()).header("Origin", ORIGIN));
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ORIGIN);
        assertThat(get.headers().firstValue("Vary").orElse("")).contains("Origin");
        // a 401 carries CORS headers too, so the browser can read why
        HttpResponse<String> denied = send(req("/api/workloads").header("Origin", ORIGIN));
        assertThat(denied.statusCode()).isEqualTo(401);
        assertThat(denied.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ORIGIN);
        assertThat(send(authed("/api/workloads", "u2").header("Origin", "https://evil.example"))
                .headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void snapStartHooksPrimeAndRefreshFromLoopbackOnly() throws Exception {
        int fetches = issuer.fetches.get();
        HttpResponse<String> before = send(req(ChatServer.BEFORE_CHECKPOINT).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(before.statusCode()).as(before.body()).isEqualTo(200);
        JsonNode b = JSON.readTree(before.body());
        assertThat(b.get("status").asText()).isEqualTo("ok");
        assertThat(b.get("json").asBoolean()).isTrue();
        assertThat(b.get("findings").asInt()).as("the synthetic workload is diagnosed").isPositive();
        assertThat(b.has("jwtMs")).isTrue();
        assertThat(b.get("pods").asInt()).as("the cluster was read once").isPositive();
        System.out.println("before-checkpoint priming: " + b);
        assertThat(issuer.fetches.get()).as("priming fetches no keys").isEqualTo(fetches);

        String sub = UUID.randomUUID().toString();
        assertThat(send(authed("/api/sessions", sub)).statusCode()).isEqualTo(200);
        int warm = issuer.fetches.get();
        HttpResponse<String> after = send(req(ChatServer.AFTER_RESTORE).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(after.body()).get("cluster").asText()).isEqualTo("invalidated");
        assertThat(send(authed("/api/sessions", sub)).statusCode()).isEqualTo(200);
        assertThat(issuer.fetches.get()).as("keys fetched again after a restore").isEqualTo(warm + 1);

        assertThat(send(req(ChatServer.BEFORE_CHECKPOINT)).statusCode()).isEqualTo(405);
        assertThat(send(req("/_lwa/other").POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(404);
        // a request forwarded from an invocation (Function URL → adapter → here) comes from loopback too: refused
        HttpResponse<String> forwarded = send(req(ChatServer.BEFORE_CHECKPOINT).POST(HttpRequest.BodyPublishers.noBody())
                .header(ChatServer.FORWARDED_MARK, "{\"http\":{\"method\":\"POST\"}}"));
        assertThat(forwarded.statusCode()).isEqualTo(403);

        Optional<InetAddress> external = nonLoopbackAddress();
        if (external.isPresent()) {
            URI remote = URI.create("http://" + external.get().getHostAddress() + ":" + server.port() + ChatServer.AFTER_RESTORE);
            HttpResponse<String> r = send(HttpRequest.newBuilder(remote).POST(HttpRequest.BodyPublishers.noBody()));
            assertThat(r.statusCode()).as("from " + external.get()).isEqualTo(403);
        }
    }

    @Test
    void theLocalHeaderAuthenticatorIsRefused() {
        assertThatThrownBy(() -> ChatServer.start(ChatTestApp.context(new OfflineAnalyst(), Authenticator.LOCAL_HEADER),
                new ChatServer.Options("127.0.0.1", 0, null, null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JwtAuthenticator");
    }

    @Test
    void portFromTheAdapterEnvironment() {
        assertThat(ChatServer.Options.fromEnvironment(Map.of("AWS_LWA_PORT", "9001", "PORT", "9002")).port()).isEqualTo(9001);
        assertThat(ChatServer.Options.fromEnvironment(Map.of("PORT", "9002")).port()).isEqualTo(9002);
        ChatServer.Options d = ChatServer.Options.fromEnvironment(Map.of("OPSAGENT_ALLOWED_ORIGINS", ORIGIN + ", http://localhost:5173"));
        assertThat(d.port()).isEqualTo(8080);
        assertThat(d.host()).isEqualTo("127.0.0.1");
        assertThat(d.allowedOrigins()).containsExactly(ORIGIN, "http://localhost:5173");
        assertThatThrownBy(() -> ChatServer.Options.fromEnvironment(Map.of("AWS_LWA_PORT", "http")))
                .hasMessageContaining("AWS_LWA_PORT");
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws Exception {
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!ni.isUp() || ni.isLoopback()) continue;
            for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress()) return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
