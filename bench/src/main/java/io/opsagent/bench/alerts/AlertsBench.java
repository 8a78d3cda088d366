package io.opsagent.bench.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.opsagent.app.http.LocalServer;
import io.opsagent.bench.ClusterBenches;
import io.opsagent.core.alerts.AlertService;
import io.opsagent.core.alerts.Episode;
import io.opsagent.core.input.ClusterDumpReader;
import io.opsagent.core.notify.Notifier;
import io.opsagent.core.redact.Redactor;
import io.opsagent.core.tools.SnapshotProvider;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Alerts on the local product (the demo cluster, the offline analyst, DynamoDB Local in memory, a local server
 * recording what Slack's webhook receives): an alert received over the webhook → its findings delivered, p50/p95 over
 * N alerts, against the investigation alone (the same question asked of the engine) in the same run; 1,000 duplicate
 * deliveries (8 at a time) → investigations started; a storm of 200 distinct alerts (20 at a time) → alerts recorded,
 * investigations, and the most runs seen running at once.
 */
public final class AlertsBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "bench-token";

    public static void main(String[] args) throws Exception {
        Path root = Path.of(".");
        int runs = 50;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--root" -> root = Path.of(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (--root DIR, --runs N)");
            }
        }
        java.util.logging.Logger top = java.util.logging.Logger.getLogger("");
        top.setLevel(java.util.logging.Level.WARNING);
        for (var h : top.getHandlers()) h.setLevel(java.util.logging.Level.WARNING);
        Path demo = root.resolve("events/clusters/demo");
        ObjectNode sample = (ObjectNode) JSON.readTree(Files.readString(root.resolve("events/alerts/alertmanager-firing.json")));
        LinkedBlockingQueue<Long> slack = new LinkedBlockingQueue<>();
        HttpServer recorder = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        recorder.createContext("/hook", x -> {
            byte[] body = x.getRequestBody().readAllBytes();
            if (new String(body).contains("investigated")) slack.add(System.nanoTime());
            x.sendResponseHeaders(200, 2);
            x.getResponseBody().write("ok".getBytes());
            x.close();
        });
        recorder.setExecutor(Executors.newFixedThreadPool(4));
        recorder.start();
        try (LocalServer app = LocalServer.start(new LocalServer.Options(SnapshotProvider.of(new ClusterDumpReader().read(demo)),
                demo, null, null, "127.0.0.1", 0, null, null, null))) {
            AlertService alerts = app.alerts(TOKEN).service();
            alerts.notifier(Notifier.all(Redactor.standard(), List.of(new io.opsagent.adapters.notify.SlackNotifier(
                    URI.create("http://127.0.0.1:" + recorder.getAddress().getPort() + "/hook")))), "http://127.0.0.1");
            // every alert its own episode and investigation: no grouping, no cap (the cap and grouping are measured below)
            alerts.policy(new AlertService.Policy("dev", Duration.ZERO, 100_000));
            HttpClient http = HttpClient.newHttpClient();
            URI hook = app.http().uri().resolve("/api/alerts/alertmanager");
            String[] workloads = {"cart", "orders", "catalog", "web", "checkout"};
            // warm-up
            for (int i = 0; i < 5; i++) {
                post(http, hook, alert(sample, "warm" + i, workloads[i % workloads.length], i));
                slack.poll(60, TimeUnit.SECONDS);
            }
            List<Double> e2e = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                JsonNode r = post(http, hook, alert(sample, "run" + i, workloads[i % workloads.length], 100 + i));
                if (r.path("investigated").asInt() != 1) throw new IllegalStateException("not investigated: " + r);
                Long t1 = slack.poll(60, TimeUnit.SECONDS);
                if (t1 == null) throw new IllegalStateException("no findings delivered for alert " + i);
                e2e.add(ClusterBenches.ms(t0, t1));
            }
            List<Double> direct = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                app.engine().askOnce("dev", "shop/" + workloads[i % workloads.length], "Alert KubePodCrashLooping fired: Pod is "
                        + "crash looping. Why is it crash-looping, and what fixes it?", "bench", io.opsagent.core.agent.AgentListener.NONE);
                direct.add(ClusterBenches.ms(t0, System.nanoTime()));
            }
            System.out.printf("alerts on the local product (demo cluster, offline analyst, DynamoDB Local, a local Slack recorder): %d alerts after 5 warm-up%n", runs);
            ClusterBenches.row("alert received -> findings delivered to Slack", e2e, direct, "the investigation alone", 54);

            // 1,000 duplicate deliveries of one alert, 8 at a time
            alerts.policy(AlertService.Policy.LOCAL);
            ObjectNode dup = alert(sample, "dup", "recommendations", 9999); // a workload with no recent episode
            ExecutorService pool = Executors.newFixedThreadPool(8);
            AtomicInteger investigated = new AtomicInteger();
            AtomicInteger duplicates = new AtomicInteger();
            List<Future<?>> fs = new ArrayList<>();
            long d0 = System.nanoTime();
            for (int i = 0; i < 1000; i++) {
                fs.add(pool.submit(() -> {
                    JsonNode r = post(http, hook, dup);
                    investigated.addAndGet(r.path("investigated").asInt());
                    duplicates.addAndGet(r.path("duplicates").asInt());
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get();
            double dms = ClusterBenches.ms(d0, System.nanoTime());
            System.out.printf("  1,000 deliveries of one alert (8 at a time): %d investigation started, %d duplicates, %.0f ms (%.1f ms each)%n",
                    investigated.get(), duplicates.get(), dms, dms / 1000);

            // a storm: 200 distinct alerts about 10 workloads, 20 at a time
            ExecutorService storm = Executors.newFixedThreadPool(20);
            AtomicInteger maxRunning = new AtomicInteger();
            var sampler = Executors.newSingleThreadScheduledExecutor();
            sampler.scheduleAtFixedRate(() -> maxRunning.accumulateAndGet(app.runs().running().size(), Math::max), 0, 20,
                    TimeUnit.MILLISECONDS);
            AtomicInteger stormInvestigated = new AtomicInteger();
            List<Future<?>> sf = new ArrayList<>();
            long s0 = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                ObjectNode a = alert(sample, "storm" + i, "svc" + (i % 10), 20_000 + i);
                sf.add(storm.submit(() -> {
                    stormInvestigated.addAndGet(post(http, hook, a).path("investigated").asInt());
                    return null;
                }));
            }
            for (Future<?> f : sf) f.get();
            double sms = ClusterBenches.ms(s0, System.nanoTime());
            Thread.sleep(2000);
            sampler.shutdownNow();
            System.out.printf("  a storm of 200 distinct alerts about 10 workloads (20 at a time): %d recorded with their episode "
                    + "in %.0f ms, %d investigations (one per workload: the rest grouped), at most %d runs running at once "
                    + "(the engine's limit: %d)%n", countStorm(alerts), sms, stormInvestigated.get(), maxRunning.get(),
                    io.opsagent.core.agent.ConversationEngine.MAX_ACTIVE_RUNS);
            pool.shutdownNow();
            storm.shutdownNow();
        } finally {
            recorder.stop(0);
            ((ExecutorService) recorder.getExecutor()).shutdownNow();
        }
    }

    private static int countStorm(AlertService alerts) {
        int n = 0;
        for (Episode e : alerts.store().list(2000)) if (e.workload() != null && e.workload().startsWith("shop/svc")) n++;
        return n;
    }

    private static ObjectNode alert(ObjectNode sample, String tag, String workload, int n) {
        ObjectNode b = sample.deepCopy();
        ArrayNode alerts = b.putArray("alerts");
        ObjectNode a = ((ObjectNode) sample.path("alerts").get(0)).deepCopy();
        a.put("fingerprint", String.format("%016x", Math.abs((tag + n).hashCode()) * 4099L + n));
        ((ObjectNode) a.path("labels")).put("pod", workload + "-7d9c6b5f4-" + String.format("%05d", n % 100000).replace('0', 'a'));
        alerts.add(a);
        return b;
    }

    private static JsonNode post(HttpClient http, URI hook, JsonNode body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(hook).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
        return JSON.readTree(r.body());
    }
}
