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
                if (!awaitEnd(api, p::isAlive)) {
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
     * Waits until the fake Runtime API saw the invocation (or init) end, while {@code alive} says the JVM runs, for
     * {@link #TIMEOUT} at most; then 200 ms more for a response posted just before the JVM ended.
     */
    private static boolean awaitEnd(FakeRuntimeApi api, java.util.function.BooleanSupplier alive)
            throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        boolean ended = false;
        while (!ended && alive.getAsBoolean() && System.nanoTime() < deadline) {
            ended = api.awaitEnd(20, TimeUnit.MILLISECONDS);
        }
        return ended || api.awaitEnd(200, TimeUnit.MILLISECONDS);
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
        Server server = startServer(env, log, extraJvm, false);
        Process p = server.process();
        URI base = server.base();
        long t0 = server.startNanos();
        try {
            long initEnd = awaitReady(server);
            double initCpu = initEnd == 0 ? -1 : Sample.cpuMs(p);
            if (initEnd == 0) {
                return Sample.failed(notReady(p, log));
            }
            double snapshotMs = -1;
            if (beforeCheckpoint != null) {
                String failed = hook(base, beforeCheckpoint, log);
                snapshotMs = Sample.ms(t0, System.nanoTime());
                if (failed == null && afterRestore != null) {
                    failed = hook(base, afterRestore, log);
                }
                if (failed != null) {
                    return Sample.failed(failed);
                }
            }
            Answer a = invoke(base, event, bearer);
            if (a.status() != 200) {
                return Sample.failed("HTTP " + a.status() + ": " + abbreviate(a.head()) + "; see " + log);
            }
            return new Sample(Sample.ms(t0, initEnd), initCpu, a.ms(), a.firstByteMs(), snapshotMs, Sample.ms(t0, a.end()),
                    null);
        } finally {
            stop(p);
        }
    }

    /** A web function's server process on a free loopback port, and when it was started. */
    private record Server(Process process, URI base, HttpRequest ready, long startNanos) {
    }

    /** Starts the web function's server (in its own session, without pipes, when it is to be snapshotted). */
    private static Server startServer(ExecutionEnvironment env, Path log, List<String> extraJvm, boolean forSnapshot)
            throws IOException {
        int port = freePort();
        ProcessBuilder pb = env.webProcess(port, extraJvm);
        if (forSnapshot) {
            Criu.detached(pb);
        }
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        URI base = URI.create("http://127.0.0.1:" + port);
        HttpRequest ready = HttpRequest.newBuilder(base.resolve(env.spec().readinessPath())).timeout(Duration.ofSeconds(5))
                .GET().build();
        long t0 = System.nanoTime();
        return new Server(pb.start(), base, ready, t0);
    }

    private static String notReady(Process p, Path log) {
        return (p.isAlive() ? "readiness check never answered 200" : "the server exited with " + p.exitValue())
                + "; see " + log + tail(log);
    }

    /** Polls the readiness path every 10 ms (as the adapter does) while the server lives; the time of the first 200, 0 if none. */
    private long awaitReady(Server server) throws InterruptedException {
        Process p = server.process();
        HttpRequest ready = server.ready();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (p.isAlive() && System.nanoTime() < deadline) {
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return System.nanoTime();
                }
            } catch (IOException notYet) {
                // connection refused while the server starts
            }
            Thread.sleep(10);
        }
        return 0;
    }

    /** A web function's answer: status, the start, first byte and end times, the start of the body. */
    record Answer(int status, long start, long firstByte, long end, String head) {
        double ms() {
            return Sample.ms(start, end);
        }

        double firstByteMs() {
            return firstByte == 0 ? -1 : Sample.ms(start, firstByte);
        }
    }

    /** Sends the Function URL event as the adapter would and reads the (streamed) response to its end. */
    private Answer invoke(URI base, JsonNode event, String bearer) throws IOException, InterruptedException {
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
        return new Answer(response.statusCode(), start, firstByte, System.nanoTime(), head.toString());
    }

    /** POSTs a Lambda Web Adapter SnapStart hook; null when it answered 2xx, else what went wrong. */
    private String hook(URI base, String path, Path log) throws IOException, InterruptedException {
        HttpResponse<String> h = http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        return h.statusCode() / 100 == 2 ? null
                : "SnapStart hook " + path + " answered " + h.statusCode() + ": " + abbreviate(h.body()) + "; see " + log;
    }

    /**
     * The managed runtime's SnapStart path, snapshotted and restored with CRIU ({@link Criu}): the runtime client runs
     * the {@code beforeCheckpoint} hooks and calls {@code restore/next}; while that request is held the JVM is dumped
     * into {@code images} (which ends it), then restored; the answer to {@code restore/next} lets it run its
     * {@code afterRestore} hooks and ask for the event.
     */
    RestoreSample handlerRestored(ExecutionEnvironment env, byte[] event, Path log, List<String> extraJvm, Criu criu,
                                  Path images) throws IOException, InterruptedException {
        try (FakeRuntimeApi api = new FakeRuntimeApi(event)) {
            api.holdAtSnapshot();
            ProcessBuilder pb = Criu.detached(env.handlerProcess(api.address(), true, extraJvm));
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
            long t0 = System.nanoTime();
            Process p = pb.start();
            long restored = 0;
            try {
                long deadline = System.nanoTime() + TIMEOUT.toNanos();
                boolean atSnapshot = false;
                while (!atSnapshot && p.isAlive() && System.nanoTime() < deadline && api.outcome() == null) {
                    atSnapshot = api.awaitSnapshotPoint(20, TimeUnit.MILLISECONDS);
                }
                if (!atSnapshot) {
                    return RestoreSample.failed(api.outcome() != null ? api.outcome() + ": " + abbreviate(api.body())
                            : (p.isAlive() ? "timed out" : "the JVM exited with " + p.exitValue())
                            + " before the snapshot point (restore/next)" + unexpected(api) + "; see " + log + tail(log));
                }
                double snapshotMs = Sample.ms(t0, api.restoreNextNanos());
                Criu.Image image = criu.dump(p.pid(), images);
                p.waitFor(10, TimeUnit.SECONDS);
                long r0 = System.nanoTime();
                restored = criu.restore(images);
                api.releaseRestore();
                long pid = restored;
                if (!awaitEnd(api, () -> Criu.alive(pid))) {
                    return RestoreSample.failed((Criu.alive(restored) ? "timed out" : "the restored JVM exited")
                            + " before answering" + unexpected(api) + "; see " + log + tail(log));
                }
                if (!"response".equals(api.outcome())) {
                    return RestoreSample.failed(api.outcome() + " after the restore: " + abbreviate(api.body())
                            + "; see " + log);
                }
                return new RestoreSample(snapshotMs, image.dumpMs(), image.mb(), Sample.ms(r0, api.firstNextNanos()),
                        Sample.ms(api.handedOutNanos(), api.finishedNanos()), -1, Sample.ms(r0, api.finishedNanos()),
                        null);
            } catch (IOException e) {
                return RestoreSample.failed(e.getMessage());
            } finally {
                if (restored != 0) {
                    Criu.kill(restored);
                }
                stop(p);
            }
        }
    }

    /**
     * The Lambda Web Adapter's SnapStart path, snapshotted and restored with CRIU: once ready, the before-checkpoint
     * hook; the dump; the restore; the after-restore hook (the end of the restore); then the Function URL event.
     */
    RestoreSample webRestored(ExecutionEnvironment env, JsonNode event, String bearer, Path log, List<String> extraJvm,
                              String beforeCheckpoint, String afterRestore, Criu criu, Path images)
            throws IOException, InterruptedException {
        Server server = startServer(env, log, extraJvm, true);
        Process p = server.process();
        URI base = server.base();
        long t0 = server.startNanos();
        long restored = 0;
        try {
            if (awaitReady(server) == 0) {
                return RestoreSample.failed(notReady(p, log));
            }
            String failed = beforeCheckpoint == null ? null : hook(base, beforeCheckpoint, log);
            if (failed != null) {
                return RestoreSample.failed(failed);
            }
            double snapshotMs = Sample.ms(t0, System.nanoTime());
            Criu.Image image = criu.dump(p.pid(), images);
            p.waitFor(10, TimeUnit.SECONDS);
            long r0 = System.nanoTime();
            restored = criu.restore(images);
            failed = afterRestore == null ? null : hook(base, afterRestore, log);
            if (failed != null) {
                return RestoreSample.failed(failed);
            }
            long restoreEnd = System.nanoTime();
            Answer a = invoke(base, event, bearer);
            if (a.status() != 200) {
                return RestoreSample.failed("HTTP " + a.status() + " after the restore: " + abbreviate(a.head())
                        + "; see " + log);
            }
            return new RestoreSample(snapshotMs, image.dumpMs(), image.mb(), Sample.ms(r0, restoreEnd), a.ms(),
                    a.firstByteMs(), Sample.ms(r0, a.end()), null);
        } catch (IOException e) {
            return RestoreSample.failed(e.getMessage() + "; see " + log);
        } finally {
            if (restored != 0) {
                Criu.kill(restored);
            }
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
