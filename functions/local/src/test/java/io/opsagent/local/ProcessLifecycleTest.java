package io.opsagent.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code opsagent up} as a real process, killed with runs in flight (their model never answers): after
 * {@code kill -9} the next start on the same data directory ends every orphaned run as failed; after
 * {@code kill -TERM} every client gets a {@code final} event and no run stays running.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class ProcessLifecycleTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final Path DEMO = Path.of(System.getProperty("opsagent.root", "../..")).resolve("events/clusters/demo");

    @TempDir
    Path tmp;
    HttpServer model;
    final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void stallingModel() throws IOException {
        // an OpenAI-compatible endpoint that takes the request and never answers (until the test ends)
        model = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        model.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        model.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            try {
                release.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(500, -1);
            ex.close();
        });
        model.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        model.stop(0);
    }

    record Up(Process process, URI uri) {
    }

    Up start(Path data) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.opsagent.local.Main", "up", "--port", "0",
                "--data", data.toString(), "--dump", DEMO.toString());
        pb.environment().put("OPSAGENT_OPENAI_BASE_URL", "http://127.0.0.1:" + model.getAddress().getPort() + "/v1");
        pb.environment().put("OPSAGENT_MODEL", "stalling-model");
        pb.environment().put("OPSAGENT_SHUTDOWN_GRACE_SECONDS", "1");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        String line;
        while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
            seen.append(line).append('\n');
            if (line.startsWith("OpsAgent is running at ")) {
                URI uri = URI.create(line.substring("OpsAgent is running at ".length()).strip());
                Thread drain = new Thread(() -> {
                    try {
                        out.transferTo(java.io.Writer.nullWriter());
                    } catch (IOException ignored) {
                        // the process ended
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return new Up(p, uri);
            }
        }
        p.destroyForcibly();
        throw new AssertionError("opsagent up did not start:\n" + seen);
    }

    static JsonNode get(URI base, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(base.resolve(path)).header("X-OpsAgent-User", "alice")
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    static String session(URI base) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(base.resolve("/api/sessions"))
                .header("X-OpsAgent-User", "alice").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"workload\":\"shop/checkout\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body()).path("id").asText();
    }

    /** Starts {@code n} chats; each future completes with the stream's text when the stream ends. */
    static List<CompletableFuture<String>> chats(URI base, int n) throws Exception {
        List<CompletableFuture<String>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String s = session(base);
            HttpRequest req = HttpRequest.newBuilder(base.resolve("/api/sessions/" + s + "/messages"))
                    .header("X-OpsAgent-User", "alice").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"what is wrong?\"}")).build();
            out.add(HTTP.sendAsync(req, HttpResponse.BodyHandlers.ofInputStream()).thenApply(r -> {
                StringBuilder sb = new StringBuilder();
                try (InputStream in = r.body()) {
                    sb.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    sb.append("\n[connection ended: ").append(e.getMessage()).append(']');
                }
                return sb.toString();
            }));
        }
        return out;
    }

    static void awaitRunning(URI base, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (get(base, "/api/runs?status=running").path("items").size() >= n) return;
            Thread.sleep(100);
        }
        throw new AssertionError("runs did not start: " + get(base, "/api/runs"));
    }

    @Test
    void killMinusNineThenRestartEndsEveryOrphanedRun() throws Exception {
        Path data = tmp.resolve("data");
        Up up = start(data);
        List<CompletableFuture<String>> streams = chats(up.uri(), 6);
        awaitRunning(up.uri(), 6);
        up.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        Up again = start(data);
        try {
            assertThat(get(again.uri(), "/api/runs?status=running").path("items").size()).isZero();
            JsonNode failed = get(again.uri(), "/api/runs?status=failed").path("items");
            assertThat(failed.size()).isEqualTo(6);
            for (JsonNode r : failed) {
                assertThat(r.path("error").asText()).contains("the server stopped before the run finished");
            }
        } finally {
            again.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        for (CompletableFuture<String> s : streams) s.get(30, TimeUnit.SECONDS); // every stream ended
    }

    @Test
    void killMinusTermEndsRunsAndEveryClientGetsFinal() throws Exception {
        Path data = tmp.resolve("data");
        Up up = start(data);
        List<CompletableFuture<String>> streams = chats(up.uri(), 6);
        awaitRunning(up.uri(), 6);
        long t0 = System.nanoTime();
        up.process().destroy(); // SIGTERM
        assertThat(up.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat((System.nanoTime() - t0) / 1_000_000).as("shutdown ms").isLessThan(20_000);
        for (CompletableFuture<String> s : streams) {
            String text = s.get(30, TimeUnit.SECONDS);
            assertThat(text).as(text).contains("event: final").contains("\"status\":\"failed\"");
        }
        Up again = start(data);
        try {
            assertThat(get(again.uri(), "/api/runs?status=running").path("items").size()).isZero();
            assertThat(get(again.uri(), "/api/runs?status=failed").path("items").size()).isEqualTo(6);
        } finally {
            again.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
