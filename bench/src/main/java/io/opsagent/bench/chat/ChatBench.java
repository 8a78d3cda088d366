package io.opsagent.bench.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opsagent.core.agent.model.ChatModel;
import io.opsagent.core.agent.model.ChatRequest;
import io.opsagent.core.agent.model.ModelEvent;
import io.opsagent.core.agent.model.StopReason;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.input.ClusterDumpReader;
import io.opsagent.core.runs.Run;
import io.opsagent.core.runs.RunStatus;
import io.opsagent.app.http.LocalServer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Chat latency and load, against the real local HTTP application (DynamoDB Local in memory, the engine, SSE):
 * <ol>
 *   <li>time to first streamed byte and to the complete answer for the offline analyst on the demo workloads,
 *       p50/p95 over N requests;</li>
 *   <li>the server's own overhead: a chat answered by a zero-latency model, against a static-file request measured
 *       in the same run (ratio);</li>
 *   <li>100 concurrent chat streams: every stream complete and in order, every run and step stored.</li>
 * </ol>
 */
public final class ChatBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> WORKLOADS = List.of("shop/cart", "shop/catalog", "shop/orders",
            "payments/payment-gateway", "payments/ledger", "data/etl-worker", "shop/web", "shop/frontend");
    private static final List<String> QUESTIONS = List.of("why is it failing?", "show me the errors",
            "what changed?", "search logs for timeout", "how do I fix it?");

    /** A model that answers at once, without tools: what is left is the server's and the engine's own cost. */
    static final class InstantModel implements ChatModel {
        @Override
        public String id() {
            return "instant";
        }

        @Override
        public void stream(ChatRequest request, Consumer<ModelEvent> listener) {
            listener.accept(new ModelEvent.TextDelta("The rollout is stuck because the pods crash.\n"));
            listener.accept(new ModelEvent.TextDelta("See the evidence above.\n"));
            listener.accept(new ModelEvent.Usage(10, 10));
            listener.accept(new ModelEvent.Stop(StopReason.END_TURN, null));
        }
    }

    record Timing(long firstByteNanos, long completeNanos, List<String> events, String runId, String finalText,
                  StringBuilder deltas, long runEventNanos) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        Path root = Path.of(".");
        int requests = 200;
        int concurrent = 100;
        String load = "1,20,200";
        boolean only = false;
        int warmup = 800;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--root" -> root = Path.of(args[++i]);
                case "--load" -> load = args[++i];
                case "--load-only" -> only = true;
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--requests" -> requests = Integer.parseInt(args[++i]);
                case "--concurrent" -> concurrent = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        // the server logs every request at INFO; the figures are the output here
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        for (var h : java.util.logging.Logger.getLogger("").getHandlers()) h.setLevel(java.util.logging.Level.WARNING);
        Path demo = root.resolve("events/clusters/demo");
        ClusterSnapshot snapshot = new ClusterDumpReader().read(demo);
        // the static-file baseline: a 4 KB page, independent of the state of web/
        Path web = java.nio.file.Files.createTempDirectory("opsagent-bench-web");
        java.nio.file.Files.writeString(web.resolve("index.html"), "<!doctype html><title>bench</title>" + "x".repeat(4096));
        ChatBench bench = new ChatBench();
        if (!only) bench.run(snapshot, demo, web, requests, concurrent);
        bench.load(snapshot, demo, parseLevels(load), warmup);
        System.exit(0); // DynamoDB Local's threads are closed by LocalServer, but do not wait on strays
    }

    void run(ClusterSnapshot snapshot, Path demo, Path web, int requests, int concurrent) throws Exception {
        System.out.printf("Chat benchmark: %d requests, %d concurrent streams, %d cores%n%n", requests, concurrent,
                Runtime.getRuntime().availableProcessors());
        try (LocalServer offline = LocalServer.start(new LocalServer.Options(snapshot, demo, web, null, null, 0,
                null, null, null))) {
            URI base = offline.http().uri();
            for (int i = 0; i < 20; i++) { // warm-up
                chat(base, WORKLOADS.get(i % WORKLOADS.size()), QUESTIONS.get(i % QUESTIONS.size()));
            }
            List<Long> first = new ArrayList<>();
            List<Long> complete = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                Timing t = chat(base, WORKLOADS.get(i % WORKLOADS.size()), QUESTIONS.get((i / WORKLOADS.size()) % QUESTIONS.size()));
                first.add(t.firstByteNanos());
                complete.add(t.completeNanos());
            }
            System.out.printf("Offline analyst on the demo workloads (%d requests, %d workloads x %d questions):%n",
                    requests, WORKLOADS.size(), QUESTIONS.size());
            System.out.printf("  time to first streamed byte   p50 %7.1f ms   p95 %7.1f ms%n", p(first, 50), p(first, 95));
            System.out.printf("  time to the complete answer   p50 %7.1f ms   p95 %7.1f ms%n%n", p(complete, 50), p(complete, 95));
        }

        try (LocalServer instant = LocalServer.start(new LocalServer.Options(snapshot, demo, web, null, null, 0,
                new InstantModel(), null, null))) {
            URI base = instant.http().uri();
            for (int i = 0; i < 20; i++) {
                chat(base, "shop/cart", "why?");
                staticGet(base);
            }
            List<Long> chatTimes = new ArrayList<>();
            List<Long> staticTimes = new ArrayList<>();
            for (int i = 0; i < requests; i++) { // interleaved, so both see the same machine conditions
                chatTimes.add(chat(base, "shop/cart", "why is it failing?").completeNanos());
                staticTimes.add(staticGet(base));
            }
            System.out.printf("Server overhead: zero-latency model vs a static file, %d requests each:%n", requests);
            System.out.printf("  static file (GET /index.html)  p50 %7.2f ms   p95 %7.2f ms%n", p(staticTimes, 50), p(staticTimes, 95));
            System.out.printf("  chat (session + SSE + run)     p50 %7.2f ms   p95 %7.2f ms%n", p(chatTimes, 50), p(chatTimes, 95));
            System.out.printf("  ratio chat/static              p50 %7.1fx    p95 %7.1fx%n%n",
                    p(chatTimes, 50) / p(staticTimes, 50), p(chatTimes, 95) / p(staticTimes, 95));

            concurrency(instant, base, concurrent);
        }
    }

    static List<Integer> parseLevels(String csv) {
        List<Integer> out = new ArrayList<>();
        for (String p : csv.split(",")) {
            int n = Integer.parseInt(p.strip());
            if (n < 1 || n > 400) throw new IllegalArgumentException("--load levels must be 1..400, got " + n);
            out.add(n);
        }
        return out;
    }

    /**
     * Throughput on the default on-disk store (DynamoDB Local in a data directory, as {@code opsagent up} runs):
     * at each level, that many clients each ask questions back to back (offline analyst, demo workloads) for a
     * fixed number of runs; runs/s over the wall time, first-byte p50/p95, and every run and step checked stored.
     * The same load on the in-memory store, measured in the same run, is the baseline: the ratio is what the disk
     * costs. First, {@code warmup} runs (in memory, 50 clients, not counted) let the JIT compile the hot code, as in a
     * server that has been up a minute: without them the first level measured pays for the compiler (on these 2
     * cores the compiler threads took about half the CPU during the first 200-client level).
     */
    void load(ClusterSnapshot snapshot, Path demo, List<Integer> levels, int warmup) throws Exception {
        if (warmup > 0) {
            double[] w = loadOnce(snapshot, demo, 50, warmup, false);
            System.out.printf("JVM warm-up (not counted): %d runs in memory, 50 clients: %.1f runs/s, %d/%d stored%n",
                    warmup, w[0], (int) w[4], warmup);
        }
        System.out.printf("Throughput, offline analyst, on-disk store vs in-memory store (same run):%n");
        System.out.printf("  first byte: the stream is open (its first line); run event: the run and the question are stored%n");
        System.out.printf("  %-11s %-9s %9s %12s %12s %12s %14s %s%n", "concurrent", "store", "runs/s", "first p50",
                "first p95", "run evt p95", "complete p95", "stored");
        for (int n : levels) {
            int runs = Math.max(40, n * 2);
            double[] disk = loadOnce(snapshot, demo, n, runs, true);
            double[] mem = loadOnce(snapshot, demo, n, runs, false);
            System.out.printf("  %-11d %-9s %9.1f %9.1f ms %9.1f ms %9.1f ms %11.1f ms %d/%d%n", n, "disk", disk[0],
                    disk[1], disk[2], disk[5], disk[3], (int) disk[4], runs);
            System.out.printf("  %-11d %-9s %9.1f %9.1f ms %9.1f ms %9.1f ms %11.1f ms %d/%d   disk/memory runs/s %.2f%n",
                    n, "memory", mem[0], mem[1], mem[2], mem[5], mem[3], (int) mem[4], runs, disk[0] / mem[0]);
        }
    }

    /** {runs/s, first p50 ms, first p95 ms, complete p95 ms, runs stored with all steps, run event p95 ms}. */
    private double[] loadOnce(ClusterSnapshot snapshot, Path demo, int n, int runs, boolean disk) throws Exception {
        Path data = disk ? java.nio.file.Files.createTempDirectory("opsagent-bench-data") : null;
        try (LocalServer server = LocalServer.start(new LocalServer.Options(snapshot, demo, null, data, null, 0,
                null, null, null))) {
            URI base = server.http().uri();
            for (int i = 0; i < 10; i++) chat(base, WORKLOADS.get(i % WORKLOADS.size()), "why is it failing?");
            ExecutorService pool = Executors.newFixedThreadPool(n);
            java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
            List<Timing> timings = Collections.synchronizedList(new ArrayList<>());
            List<Future<?>> fs = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int c = 0; c < n; c++) {
                fs.add(pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < runs) {
                        timings.add(chat(base, WORKLOADS.get(i % WORKLOADS.size()),
                                QUESTIONS.get((i / WORKLOADS.size()) % QUESTIONS.size())));
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get();
            double wall = (System.nanoTime() - t0) / 1e9;
            pool.shutdown();
            int stored = 0;
            for (Timing t : timings) {
                Run r = t.runId() == null ? null : server.runs().get("bench", t.runId()).orElse(null);
                if (r != null && r.status().terminal() && server.runs().steps("bench", t.runId()).size() == r.steps()) {
                    stored++;
                }
            }
            List<Long> first = timings.stream().map(Timing::firstByteNanos).toList();
            List<Long> complete = timings.stream().map(Timing::completeNanos).toList();
            List<Long> runEvent = timings.stream().map(Timing::runEventNanos).toList();
            return new double[] {timings.size() / wall, p(first, 50), p(first, 95), p(complete, 95), stored,
                    p(runEvent, 95)};
        } finally {
            if (data != null) deleteTree(data);
        }
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var s = java.nio.file.Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) java.nio.file.Files.deleteIfExists(p);
        }
    }

    private void concurrency(LocalServer server, URI base, int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        List<Future<Timing>> futures = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            String workload = WORKLOADS.get(i % WORKLOADS.size());
            futures.add(pool.submit(() -> chat(base, workload, "why is it failing?")));
        }
        int complete = 0;
        int ordered = 0;
        List<String> runIds = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Future<Timing> f : futures) {
            try {
                Timing t = f.get();
                List<String> ev = t.events();
                boolean done = !ev.isEmpty() && ev.get(ev.size() - 1).equals("final");
                boolean inOrder = !ev.isEmpty() && ev.get(0).equals("run") && ev.indexOf("final") == ev.size() - 1
                        && t.finalText() != null && t.deltas().toString().strip().equals(t.finalText().strip());
                if (done) complete++;
                if (inOrder) ordered++;
                else problems.add("events " + ev);
                runIds.add(t.runId());
            } catch (Exception e) {
                problems.add(e.toString());
            }
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        int stored = 0;
        int withSteps = 0;
        for (String id : runIds) {
            Run r = id == null ? null : server.runs().get("bench", id).orElse(null);
            if (r != null && r.status() == RunStatus.COMPLETED) stored++;
            if (r != null && !server.runs().steps("bench", id).isEmpty()
                    && server.runs().steps("bench", id).size() == r.steps()) withSteps++;
        }
        System.out.printf("%d concurrent chat streams (zero-latency model), %.2f s wall:%n", n, wall);
        System.out.printf("  streams complete (ended with final)        %d / %d%n", complete, n);
        System.out.printf("  streams in order (run first, final last,%n   deltas add up to the final text)          %d / %d%n", ordered, n);
        System.out.printf("  runs stored as completed                   %d / %d%n", stored, n);
        System.out.printf("  runs whose stored steps match their count  %d / %d%n", withSteps, n);
        if (!problems.isEmpty()) {
            System.out.println("  problems: " + problems.subList(0, Math.min(5, problems.size())));
        }
    }

    private long staticGet(URI base) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(base.resolve("/index.html")).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) throw new IllegalStateException("GET /index.html: " + r.statusCode());
        return System.nanoTime() - t0;
    }

    /** Creates a session and asks one question; times from sending the message to the first byte and to the end. */
    private Timing chat(URI base, String workload, String question) throws Exception {
        HttpResponse<String> s = http.send(HttpRequest.newBuilder(base.resolve("/api/sessions"))
                .header("X-OpsAgent-User", "bench").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"workload\":\"" + workload + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (s.statusCode() != 201) throw new IllegalStateException("POST /api/sessions: " + s.statusCode() + " " + s.body());
        String session = JSON.readTree(s.body()).get("id").asText();
        String body = JSON.writeValueAsString(java.util.Map.of("text", question));
        long t0 = System.nanoTime();
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(base.resolve("/api/sessions/" + session + "/messages"))
                .header("X-OpsAgent-User", "bench").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) throw new IllegalStateException("POST messages: " + r.statusCode());
        long first = -1;
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        String runId = null;
        String finalText = null;
        StringBuilder deltas = new StringBuilder();
        long runEvent = -1;
        try (InputStream in = r.body()) {
            int b = in.read();
            first = System.nanoTime() - t0;
            if (b < 0) throw new IllegalStateException("empty stream");
            BufferedReader reader = new BufferedReader(new InputStreamReader(
                    new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(new byte[] {(byte) b}), in),
                    StandardCharsets.UTF_8));
            String event = null;
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("event: ")) {
                    event = line.substring(7).trim();
                } else if (line.startsWith("data: ") && event != null) {
                    JsonNode data = JSON.readTree(line.substring(6));
                    events.add(event);
                    switch (event) {
                        case "run" -> {
                            runId = data.path("runId").asText(null);
                            runEvent = System.nanoTime() - t0;
                        }
                        case "delta" -> deltas.append(data.path("text").asText());
                        case "final" -> finalText = data.path("text").asText();
                        default -> { }
                    }
                    event = null;
                }
            }
        }
        return new Timing(first, System.nanoTime() - t0, List.copyOf(events), runId, finalText, deltas, runEvent);
    }

    private static double p(List<Long> nanos, int pct) {
        List<Long> s = new ArrayList<>(nanos);
        Collections.sort(s);
        int idx = (int) Math.ceil(pct / 100.0 * s.size()) - 1;
        return s.get(Math.max(0, idx)) / 1e6;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
