package io.opsagent.bench.coldstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Measures one cold start of a function in a fresh JVM. */
final class ColdStart {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> RESTRICTED = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "transfer-encoding", "keep-alive", "te", "trailer");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * The managed runtime path: the RIC starts, loads the handler, asks the fake Runtime API for the event, posts
     * the response. With {@code snapStart} the RIC runs the CRaC {@code beforeCheckpoint} hooks and calls
     * {@code restore/next} first, as during a SnapStart version's init.
     */
    Sample handler(ExecutionEnvironment env, byte[] event, boolean snapStart, Path log, List<String> extraJvm)
            throws IOException, InterruptedException {
        try (FakeRuntimeApi api = new FakeRuntimeApi(event)) {
            ProcessBuilder pb = env.handlerProcess(api.address(), snapStart, extraJvm);
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
            long t0 = System.nanoTime();
            Process p = pb.start();
            double[] initCpu = {-1};
            api.onInitEnd(() -> initCpu[0] = Sample.cpuMs(p));
            try {
                boolean ended = false;
                long deadline = System.nanoTime() + TIMEOUT.toNanos();
                while (!ended && p.isAlive() && System.nanoTime() < deadline) {
                    ended = api.awaitEnd(20, TimeUnit.MILLISECONDS);
                }
                ended = ended || api.awaitEnd(200, TimeUnit.MILLISECONDS);
                if (!ended) {
                    return Sample.failed((p.isAlive() ? "timed out" : "the JVM exited with " + p.exitValue())
                            + " before answering" + unexpected(api) + "; see " + log + tail(log));
                }
                if (!"response".equals(api.outcome())) {
                    return Sample.failed(api.outcome() + ": " + abbreviate(api.body()) + "; see " + log);
                }
                long initEnd = api.firstNextNanos();
                return new Sample(Sample.ms(t0, initEnd), initCpu[0], Sample.ms(api.handedOutNanos(), api.finishedNanos()), -1,
                        api.restoreNextNanos() == 0 ? -1 : Sample.ms(t0, api.restoreNextNanos()),
                        Sample.ms(t0, api.finishedNanos()), null);
            } finally {
                stop(p);
            }
        }
    }

    /**
     * The Lambda Web Adapter path: the server starts, the adapter polls the readiness path every 10 ms until it
     * answers 200 (init), then forwards the Function URL event as an HTTP request and streams the response back.
     */
    Sample web(ExecutionEnvironment env, JsonNode event, String bearer, Path log, List<String> extraJvm)
            throws IOException, InterruptedException {
        return web(env, event, bearer, log, extraJvm, null, null);
    }

    /**
     * As {@link #web(ExecutionEnvironment, JsonNode, String, Path, List)}; with {@code beforeCheckpoint} (and
     * optionally {@code afterRestore}) the SnapStart variant: once ready, the hooks are called as the Lambda Web
     * Adapter calls them (an empty POST from loopback: before the snapshot, then after the restore), and
     * {@code snapshotMs} is the time from process start to the end of the before-checkpoint hook.
     */
    Sample web(ExecutionEnvironment env, JsonNode event, String bearer, Path log, List<String> extraJvm,
               String beforeCheckpoint, String afterRestore) throws IOException, InterruptedException {
        int port = freePort();
        ProcessBuilder pb = env.webProcess(port, extraJvm);
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        URI base = URI.create("http://127.0.0.1:" + port);
        HttpRequest ready = HttpRequest.newBuilder(base.resolve(env.spec().readinessPath())).timeout(Duration.ofSeconds(5))
                .GET().build();
        long t0 = System.nanoTime();
        Process p = pb.start();
        try {
            long initEnd = 0;
            double initCpu = -1;
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (initEnd == 0 && p.isAlive() && System.nanoTime() < deadline) {
                try {
                    if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        initEnd = System.nanoTime();
                        initCpu = Sample.cpuMs(p);
                        break;
                    }
                } catch (IOException notYet) {
                    // connection refused while the server starts
                }
                Thread.sleep(10);
            }
            if (initEnd == 0) {
                return Sample.failed((p.isAlive() ? "readiness check never answered 200" : "the server exited with "
                        + p.exitValue()) + "; see " + log + tail(log));
            }
            double snapshotMs = -1;
            if (beforeCheckpoint != null) {
                for (String hook : afterRestore == null ? List.of(beforeCheckpoint) : List.of(beforeCheckpoint, afterRestore)) {
                    HttpResponse<String> h = http.send(HttpRequest.newBuilder(base.resolve(hook))
                            .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (h.statusCode() / 100 != 2) {
                        return Sample.failed("SnapStart hook " + hook + " answered " + h.statusCode() + ": "
                                + abbreviate(h.body()) + "; see " + log);
                    }
                    if (hook.equals(beforeCheckpoint)) snapshotMs = Sample.ms(t0, System.nanoTime());
                }
            }
            HttpRequest request = translate(base, event, bearer);
            long start = System.nanoTime();
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            long firstByte = 0;
            byte[] buf = new byte[8192];
            StringBuilder head = new StringBuilder();
            try (InputStream in = response.body()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (firstByte == 0 && n > 0) {
                        firstByte = System.nanoTime();
                    }
                    if (head.length() < 300) {
                        head.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    }
                }
            }
            long end = System.nanoTime();
            if (response.statusCode() != 200) {
                return Sample.failed("HTTP " + response.statusCode() + ": " + abbreviate(head.toString()) + "; see " + log);
            }
            return new Sample(Sample.ms(t0, initEnd), initCpu, Sample.ms(start, end),
                    firstByte == 0 ? -1 : Sample.ms(start, firstByte), snapshotMs, Sample.ms(t0, end), null);
        } finally {
            stop(p);
        }
    }

    /**
     * Translates a Function URL (payload 2.0) event into the HTTP request the Lambda Web Adapter sends: method, raw
     * path and query, headers (cookies joined), body (base64-decoded when flagged), and the request context in
     * {@code x-amzn-request-context}. A non-null {@code bearer} replaces the Authorization header.
     */
    static HttpRequest translate(URI base, JsonNode event, String bearer) throws IOException {
        JsonNode ctx = event.path("requestContext");
        String method = ctx.path("http").path("method").asText("GET");
        String path = event.path("rawPath").asText(ctx.path("http").path("path").asText("/"));
        String query = event.path("rawQueryString").asText("");
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path + (query.isEmpty() ? "" : "?" + query)))
                .timeout(TIMEOUT);
        for (Map.Entry<String, JsonNode> h : (Iterable<Map.Entry<String, JsonNode>>) event.path("headers")::fields) {
            String name = h.getKey().toLowerCase();
            if (!RESTRICTED.contains(name) && !(bearer != null && name.equals("authorization"))) {
                b.header(h.getKey(), h.getValue().asText());
            }
        }
        if (event.path("cookies").isArray() && !event.path("cookies").isEmpty()) {
            StringBuilder cookie = new StringBuilder();
            event.path("cookies").forEach(c -> cookie.append(cookie.length() == 0 ? "" : "; ").append(c.asText()));
            b.header("Cookie", cookie.toString());
        }
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        b.header("x-amzn-request-context", JSON.writeValueAsString(ctx));
        JsonNode body = event.get("body");
        byte[] bytes = body == null || body.isNull() ? new byte[0]
                : event.path("isBase64Encoded").asBoolean(false) ? Base64.getDecoder().decode(body.asText())
                : body.asText().getBytes(StandardCharsets.UTF_8);
        b.method(method, bytes.length == 0 ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(bytes));
        return b.build();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** SIGTERM (the JVM exits normally, writing a CDS archive when asked to), then SIGKILL if it hangs. */
    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String unexpected(FakeRuntimeApi api) {
        return api.unexpected().isEmpty() ? "" : " (unknown Runtime API calls: " + api.unexpected() + ")";
    }

    static String abbreviate(String s) {
        String one = s.replaceAll("\\s+", " ").trim();
        return one.length() > 300 ? one.substring(0, 300) + "..." : one;
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "\n    | " + String.join("\n    | ", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }
}
