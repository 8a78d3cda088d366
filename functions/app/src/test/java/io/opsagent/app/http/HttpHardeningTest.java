package io.opsagent.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsagent.app.http.TestClient.Res;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the server refuses, and the headers it always sends (docs/api.md "What the server refuses"). */
class HttpHardeningTest {
    private static LocalServer server;
    private static TestClient dev;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        server = LocalServer.start(new LocalServer.Options(Demo.snapshot(), Demo.DIR, Demo.ROOT.resolve("web"), null,
                "127.0.0.1", 0, null, null, null));
        dev = new TestClient(server.http().uri(), "dev");
        port = server.http().port();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    /** A raw HTTP/1.1 exchange (the JDK client does not let a test set Host); returns status line + headers + body. */
    static String raw(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            s.getInputStream().transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    static String post(String host, String origin, String type, String path, String body) throws IOException {
        return raw("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\n"
                + (origin == null ? "" : "Origin: " + origin + "\r\n")
                + (type == null ? "" : "Content-Type: " + type + "\r\n")
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + body);
    }

    @Test
    void onlyLoopbackHostsAreServed() throws IOException {
        String rebound = raw("GET /api/workloads HTTP/1.1\r\nHost: evil.example:" + port + "\r\nConnection: close\r\n\r\n");
        assertThat(rebound).startsWith("HTTP/1.1 403").contains("DNS rebinding").doesNotContain("\"items\"");
        assertThat(raw("GET /api/workloads HTTP/1.1\r\nHost: localhost:" + port + "\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 200");
        assertThat(raw("GET /healthz HTTP/1.1\r\nHost: [::1]:" + port + "\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 200");
        assertThat(raw("GET /healthz HTTP/1.0\r\n\r\n")).startsWith("HTTP/1.1 403");
    }

    @Test
    void crossSiteAndNonJsonWritesAreRefusedAndChangeNothing() throws IOException {
        String host = "127.0.0.1:" + port;
        int before = dev.get("/api/sessions").json().path("items").size();
        String body = "{\"workload\":\"shop/checkout\"}";
        assertThat(post(host, null, "text/plain", "/api/sessions", body)).startsWith("HTTP/1.1 415")
                .contains("application/json");
        assertThat(post(host, null, null, "/api/sessions", body)).startsWith("HTTP/1.1 415");
        assertThat(post(host, "https://evil.example", "application/json", "/api/sessions", body))
                .startsWith("HTTP/1.1 403").contains("cross-origin");
        assertThat(post(host, "null", "application/json", "/api/sessions", body)).startsWith("HTTP/1.1 403");
        assertThat(post(host, "http://127.0.0.1:" + (port + 1), "application/json", "/api/sessions", body))
                .startsWith("HTTP/1.1 403");
        assertThat(dev.get("/api/sessions").json().path("items").size()).isEqualTo(before);
        assertThat(post(host, "http://127.0.0.1:" + port, "application/json; charset=utf-8", "/api/sessions", body))
                .startsWith("HTTP/1.1 201");
        String cancel = post(host, null, "text/plain", "/api/runs/abc/cancel", "");
        assertThat(cancel).startsWith("HTTP/1.1 415");
    }

    @Test
    void aSlowClientIsDisconnectedInsteadOfHoldingAThread() throws Exception {
        long t0 = System.nanoTime();
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n").getBytes(StandardCharsets.UTF_8));
            boolean closed = false;
            for (int i = 0; i < 20 && !closed; i++) {
                try {
                    out.write(("X-Slow-" + i + ": 1\r\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    closed = in.read() == -1;
                } catch (SocketTimeoutException e) {
                    // still open: send the next header line
                } catch (IOException e) {
                    closed = true;
                }
            }
            assertThat(closed).as("the server closed the slow connection").isTrue();
        }
        // sun.net.httpserver.maxReqTime is 3 s in this module's tests; the timer checks once a second
        assertThat((System.nanoTime() - t0) / 1_000_000_000.0).isLessThan(10);
        assertThat(dev.get("/healthz").status()).isEqualTo(200);
    }

    @Test
    void malformedInputIsA400NamingTheProblemNeverA500() {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        Res r = dev.post("/api/sessions", "{\"workload\":" + deep + "}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("error").asText()).contains("malformed JSON").containsIgnoringCase("nesting");
        Res num = dev.post("/api/sessions", "{\"workload\":" + "9".repeat(5000) + "}");
        assertThat(num.status()).isEqualTo(400);
        assertThat(num.json().path("error").asText()).containsIgnoringCase("number");
        String longId = "a".repeat(3000);
        for (String path : List.of("/api/sessions/" + longId, "/api/runs/" + longId, "/api/runs/" + longId + "/steps")) {
            Res id = dev.get(path);
            assertThat(id.status()).as(path).isEqualTo(400);
            assertThat(id.json().path("error").asText()).contains("id").doesNotContain("Dynamo").doesNotContain("Exception");
        }
        Res ref = dev.get("/api/evidence?ref=" + java.net.URLEncoder.encode("shop/pods.json:items[99999999999999999999].status",
                StandardCharsets.UTF_8));
        assertThat(ref.status()).isEqualTo(400);
        assertThat(ref.json().path("error").asText()).contains("too large").doesNotContain("For input string");
        assertThat(dev.get("/api/workloads?status=bogus").status()).isEqualTo(400);
        assertThat(dev.get("/api/workloads?status=bogus").json().path("field").asText()).isEqualTo("status");
    }

    @Test
    void everyResponseCarriesTheSecurityHeaders() {
        for (String path : List.of("/", "/js/main.js", "/api/workloads", "/api/nope", "/healthz", "/README.md")) {
            Res r = dev.get(path);
            assertThat(r.header("Content-Security-Policy")).as(path).contains("default-src 'self'")
                    .contains("frame-ancestors 'none'").doesNotContain("unsafe-inline");
            assertThat(r.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
            assertThat(r.header("Referrer-Policy")).as(path).isEqualTo("no-referrer");
            assertThat(r.header("X-Frame-Options")).as(path).isEqualTo("DENY");
        }
    }

    @Test
    void onlyTheUisOwnFilesAreServed() {
        assertThat(dev.get("/").status()).isEqualTo(200);
        assertThat(dev.get("/index.html").status()).isEqualTo(200);
        assertThat(dev.get("/js/main.js").status()).isEqualTo(200);
        assertThat(dev.get("/css/app.css").status()).isEqualTo(200);
        for (String path : List.of("/README.md", "/package.json", "/package-lock.json", "/test/e2e.mjs",
                "/vendor/README.md", "/vendor/licenses/marked-LICENSE")) {
            assertThat(dev.get(path).status()).as(path).isEqualTo(404);
        }
    }

    @Test
    void deletingASessionDeletesItsRuns() throws Exception {
        String s = dev.session("shop/checkout");
        String runId;
        try (TestClient.Stream st = dev.chat(s, "what is wrong?")) {
            runId = st.rest().stream().filter(e -> e.event().equals("run")).findFirst().orElseThrow()
                    .data().path("runId").asText();
        }
        assertThat(dev.get("/api/runs/" + runId).status()).isEqualTo(200);
        assertThat(dev.delete("/api/sessions/" + s).status()).isEqualTo(204);
        assertThat(dev.get("/api/runs/" + runId).status()).isEqualTo(404);
        assertThat(dev.get("/api/runs/" + runId + "/steps").status()).isEqualTo(404);
        assertThat(dev.get("/api/sessions/" + s).status()).isEqualTo(404);
    }

    @Test
    void aSaturatedServerAnswers503AtOnce() throws Exception {
        System.setProperty("opsagent.http.maxActive", "2");
        GateModel gate = new GateModel();
        LocalServer small;
        try {
            small = LocalServer.start(new LocalServer.Options(Demo.snapshot(), Demo.DIR, null, null, "127.0.0.1", 0,
                    gate, null, null));
        } finally {
            System.clearProperty("opsagent.http.maxActive");
        }
        try {
            TestClient c = new TestClient(small.http().uri(), "dev");
            List<TestClient.Stream> held = new java.util.ArrayList<>();
            for (int i = 0; i < 2; i++) {
                gate.reset();
                String s = c.session("shop/checkout");
                held.add(c.chat(s, "what is wrong?"));
                gate.awaitEntered();
            }
            long t0 = System.nanoTime();
            Res busy = c.get("/api/workloads");
            assertThat(busy.status()).isEqualTo(503);
            assertThat(busy.header("Retry-After")).isEqualTo("1");
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2000);
            gate.open();
            for (TestClient.Stream st : held) {
                st.rest();
                st.close();
            }
            assertThat(c.get("/api/workloads").status()).isEqualTo(200);
        } finally {
            small.close();
        }
    }
}
