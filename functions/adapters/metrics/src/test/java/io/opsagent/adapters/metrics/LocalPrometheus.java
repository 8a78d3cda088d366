package io.opsagent.adapters.metrics;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server (Debian's package, through {@code metrics-local/prometheus}) over data a test generates:
 * the OpenMetrics text is backfilled into a TSDB with {@code promtool tsdb create-blocks-from openmetrics}, and the
 * server opens it read-only-like (nothing is scraped). Stopped by {@link #close}.
 */
final class LocalPrometheus implements AutoCloseable {
    private final Process process;
    private final URI uri;
    private final Path log;

    private LocalPrometheus(Process process, URI uri, Path log) {
        this.process = process;
        this.uri = uri;
        this.log = log;
    }

    URI uri() {
        return uri;
    }

    /** Starts a server over {@code openMetrics} (ending with {@code # EOF}) in {@code work}. */
    static LocalPrometheus start(Path work, String openMetrics) throws Exception {
        Path bin = bin();
        Path data = work.resolve("data.om");
        Files.writeString(data, openMetrics, StandardCharsets.UTF_8);
        Path tsdb = work.resolve("tsdb");
        run(List.of(bin.resolve("promtool").toString(), "tsdb", "create-blocks-from", "openmetrics", data.toString(), tsdb.toString()),
                work.resolve("promtool.log"));
        Path config = work.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: 1h\n");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = work.resolve("prometheus.log");
        Process p = new ProcessBuilder(bin.resolve("prometheus").toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + tsdb, "--web.listen-address=127.0.0.1:" + port, "--storage.tsdb.retention.time=30d")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        LocalPrometheus prom = new LocalPrometheus(p, URI.create("http://127.0.0.1:" + port), log);
        prom.awaitReady();
        return prom;
    }

    private void awaitReady() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException("prometheus exited: " + Files.readString(log));
            try {
                var r = http.send(HttpRequest.newBuilder(uri.resolve("/-/ready")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return;
            } catch (IOException ignored) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        close();
        throw new IllegalStateException("prometheus did not become ready in 60 s: " + Files.readString(log));
    }

    /** The folder holding prometheus and promtool ({@code metrics-local/prometheus bin}, which installs them once). */
    static Path bin() throws Exception {
        Path script = root().resolve("metrics-local/prometheus");
        Process p = new ProcessBuilder(script.toString(), "bin").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0 || out.isEmpty()) {
            throw new IllegalStateException("metrics-local/prometheus bin failed (exit " + p.exitValue() + ")");
        }
        return Path.of(out.lines().reduce((a, b) -> b).orElseThrow());
    }

    private static void run(List<String> cmd, Path log) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + Files.readString(log));
        }
    }

    private static Path root() {
        Path d = Path.of("").toAbsolutePath();
        while (d != null && !Files.exists(d.resolve("metrics-local/prometheus"))) d = d.getParent();
        if (d == null) throw new IllegalStateException("metrics-local/prometheus not found above " + Path.of("").toAbsolutePath());
        return d;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
