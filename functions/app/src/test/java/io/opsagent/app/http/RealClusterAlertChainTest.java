package io.opsagent.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.opsagent.adapters.dynamodb.LocalDynamo;
import io.opsagent.adapters.kubernetes.real.LocalCluster;
import io.opsagent.adapters.stepfunctions.LocalStack;
import io.opsagent.app.config.ClusterView;
import io.opsagent.app.config.Clusters;
import io.opsagent.app.config.LocalChangeChain;
import io.opsagent.app.http.TestClient.Res;
import io.opsagent.core.actions.ApprovalPolicy;
import io.opsagent.core.agent.EngineConfig;
import io.opsagent.core.changes.ChangeOrchestrator;
import io.opsagent.core.changes.ChangePolicy;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Alert investigations as executions of {@code statemachines/investigation.asl.json} on LocalStack's Step Functions,
 * as {@code ./opsagent up --context} runs them on a live cluster: Alertmanager's webhook → Intake → Investigate (an
 * agent run, offline analyst, over the real API server) → Deliver the findings (a local server recording what Slack
 * receives). A Slack that keeps failing is retried by the machine, then the episode goes to the dead-letter queue and
 * the execution fails, saying so.
 */
class RealClusterAlertChainTest {
    @RegisterExtension
    static final RealNamespace WEB = new RealNamespace("alertsfn", 1);
    private static final String NS = WEB.name();
    private static final String TOKEN = "alert-chain-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static KubernetesClient admin;

    @BeforeAll
    static void setUp() {
        admin = WEB.admin();
    }

    /** A Slack webhook that answers {@code status} (200 "ok", or 500) and records what it was sent. */
    private record Slack(com.sun.net.httpserver.HttpServer server, List<JsonNode> got, AtomicInteger calls) implements AutoCloseable {
        static Slack answering(int status) throws Exception {
            List<JsonNode> got = new CopyOnWriteArrayList<>();
            AtomicInteger calls = new AtomicInteger();
            var s = com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            s.createContext("/services/T0/B0/x", x -> {
                calls.incrementAndGet();
                got.add(JSON.readTree(x.getRequestBody()));
                byte[] body = (status == 200 ? "ok" : "internal_error").getBytes();
                x.sendResponseHeaders(status, body.length);
                x.getResponseBody().write(body);
                x.close();
            });
            s.start();
            return new Slack(s, got, calls);
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/services/T0/B0/x");
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static final Instant STARTS = Instant.now();

    private static String firing(String fingerprint) {
        return "{\"version\":\"4\",\"groupKey\":\"{}:{alertname=\\\"KubePodCrashLooping\\\"}\",\"truncatedAlerts\":0,"
                + "\"status\":\"firing\",\"receiver\":\"opsagent\",\"groupLabels\":{\"alertname\":\"KubePodCrashLooping\"},"
                + "\"commonLabels\":{},\"commonAnnotations\":{},\"externalURL\":\"http://alertmanager:9093\",\"alerts\":[{"
                + "\"status\":\"firing\",\"labels\":{\"alertname\":\"KubePodCrashLooping\",\"namespace\":\"" + NS + "\","
                + "\"deployment\":\"web\",\"severity\":\"warning\"},\"annotations\":{\"summary\":\"web is crash looping.\"},"
                + "\"startsAt\":\"" + STARTS + "\",\"endsAt\":\"0001-01-01T00:00:00Z\","
                + "\"generatorURL\":\"http://prometheus:9090/graph\",\"fingerprint\":\"" + fingerprint + "\"}]}";
    }

    private static Res deliver(TestClient dev, String body) {
        return dev.send(dev.request("/api/alerts/alertmanager").header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static JsonNode awaitEpisode(TestClient dev, String id, Predicate<JsonNode> done) throws Exception {
        JsonNode e = null;
        long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < until) {
            e = dev.get("/api/alerts/" + id).json();
            if (done.test(e)) return e;
            Thread.sleep(200);
        }
        throw new AssertionError("episode did not get there in 90 s: " + e);
    }

    private static ChangeOrchestrator.Execution awaitExecution(LocalChangeChain lc, String id) throws Exception {
        ChangeOrchestrator.Execution ex = null;
        long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < until) {
            ex = lc.investigation().describe(id);
            if (ex != null && !ex.status().equals("RUNNING")) return ex;
            Thread.sleep(250);
        }
        throw new AssertionError("execution " + id + " still running after 90 s: " + (ex == null ? null : ex.currentState()));
    }

    private static LocalServer server(ClusterView cluster, LocalChangeChain lc) throws Exception {
        return LocalServer.start(new LocalServer.Options(cluster.provider(), cluster.inputDir(), null, null, "127.0.0.1", 0,
                        null, null, null), LocalDynamo.startInMemory(), EngineConfig.defaults(), null,
                new ApprovalPolicy(null, true, Set.of(), Duration.ofMinutes(15)), lc,
                ChangePolicy.LOCAL.withTimes(Duration.ofSeconds(3), Duration.ofMinutes(5), Duration.ofSeconds(20)));
    }

    @Test
    void anAlertIsInvestigatedAndDeliveredByTheStateMachine() throws Exception {
        try (ClusterView cluster = Clusters.open(RealClusterHttpTest.asTheProduct(NS), null, null);
             LocalChangeChain lc = LocalChangeChain.start(LocalStack.checkoutRoot(), LocalStack.testPort()).driftEvery(Duration.ZERO);
             LocalServer app = server(cluster, lc);
             Slack slack = Slack.answering(200)) {
            app.alerts(TOKEN).service().notifier(io.opsagent.core.notify.Notifier.all(io.opsagent.core.redact.Redactor.standard(),
                    List.of(new io.opsagent.adapters.notify.SlackNotifier(slack.uri()))), "http://opsagent.local");
            // the investigations are bob's runs: the cluster lets bob read the namespace (calls impersonate him)
            app.alerts(TOKEN).service().policy(new io.opsagent.core.alerts.AlertService.Policy("bob", Duration.ofMinutes(10), 3));
            TestClient dev = new TestClient(app.http().uri(), "bob");
            String fp = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
            Res first = deliver(dev, firing(fp));
            assertThat(first.status()).as(first.body()).isEqualTo(200);
            assertThat(first.json().get("investigated").asInt()).as(first.body()).isEqualTo(1);
            for (int i = 0; i < 3; i++) assertThat(deliver(dev, firing(fp)).json().get("duplicates").asInt()).isEqualTo(1);
            String id = dev.get("/api/alerts").json().get("items").get(0).get("id").asText();
            JsonNode episode = awaitEpisode(dev, id, e -> e.path("delivery").isTextual());
            assertThat(episode.get("delivery").asText()).as(episode.toString()).startsWith("delivered at");
            String runId = episode.get("runId").asText();
            assertThat(episode.get("decision").asText()).isEqualTo("investigated: the run ended completed");

            ChangeOrchestrator.Execution ex = awaitExecution(lc, id);
            assertThat(ex.status()).isEqualTo("SUCCEEDED");
            assertThat(ex.states()).extracting(ChangeOrchestrator.StateRun::name)
                    .containsExactly("Intake", "Needs an investigation?", "Investigate", "Deliver the findings");
            assertThat(ex.states().get(2).output()).contains(runId).contains("completed");
            JsonNode shown = dev.get("/api/alerts/" + id).json().get("execution");
            assertThat(shown.get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(shown.get("states").toString()).contains("\"name\":\"Deliver the findings\"").doesNotContain("token");
            // exactly one execution and one message, however often Alertmanager delivered it
            assertThat(slack.got().stream().filter(m -> m.toString().contains("investigated"))).singleElement()
                    .satisfies(m -> assertThat(m.toString()).contains("KubePodCrashLooping on " + NS + "/web: investigated")
                            .contains("http://opsagent.local/#/runs?run=" + runId));
            JsonNode run = dev.get("/api/runs/" + runId).json();
            assertThat(run.get("source").asText()).isEqualTo("alert");
            assertThat(run.get("status").asText()).isEqualTo("completed");
            // a second execution of the same episode (a redrive) finds nothing to do
            lc.investigation().start(id + "-again", "{\"episodeId\":\"" + id + "\",\"correlationId\":\"" + id + "\"}");
            ChangeOrchestrator.Execution again = awaitExecution(lc, id + "-again");
            assertThat(again.status()).isEqualTo("SUCCEEDED");
            assertThat(again.states()).extracting(ChangeOrchestrator.StateRun::name)
                    .containsExactly("Intake", "Needs an investigation?", "Nothing to investigate");
            assertThat(again.states().get(0).output()).contains("investigated already by run " + runId);
        }
    }

    @Test
    void findingsSlackKeepsRefusingAreRetriedThenDeadLettered() throws Exception {
        try (ClusterView cluster = Clusters.open(RealClusterHttpTest.asTheProduct(NS), null, null);
             LocalChangeChain lc = LocalChangeChain.start(LocalStack.checkoutRoot(), LocalStack.testPort()).driftEvery(Duration.ZERO);
             LocalServer app = server(cluster, lc);
             Slack slack = Slack.answering(500)) {
            app.alerts(TOKEN).service().notifier(io.opsagent.core.notify.Notifier.all(io.opsagent.core.redact.Redactor.standard(),
                    List.of(new io.opsagent.adapters.notify.SlackNotifier(slack.uri()))), "http://opsagent.local");
            // the investigations are bob's runs: the cluster lets bob read the namespace (calls impersonate him)
            app.alerts(TOKEN).service().policy(new io.opsagent.core.alerts.AlertService.Policy("bob", Duration.ofMinutes(10), 3));
            TestClient dev = new TestClient(app.http().uri(), "bob");
            Res first = deliver(dev, firing(UUID.randomUUID().toString().replace("-", "").substring(0, 16)));
            assertThat(first.status()).as(first.body()).isEqualTo(200);
            String id = dev.get("/api/alerts").json().get("items").get(0).get("id").asText();
            ChangeOrchestrator.Execution ex = awaitExecution(lc, id);
            assertThat(ex.status()).isEqualTo("FAILED");
            assertThat(ex.error()).isEqualTo("Alert.NotDelivered");
            List<String> states = ex.states().stream().map(ChangeOrchestrator.StateRun::name).toList();
            assertThat(states).containsSubsequence("Intake", "Investigate", "Deliver the findings", "Dead-letter the episode", "Not delivered");
            // the first try and three retries, each of which Slack refused
            assertThat(ex.states().stream().filter(s -> s.name().equals("Deliver the findings")).mapToInt(s -> s.attempts()).max().orElse(0))
                    .isEqualTo(4);
            assertThat(slack.calls().get()).isGreaterThanOrEqualTo(4);
            // the dead-letter queue holds the episode id and the error
            JsonNode dead = null;
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (dead == null && System.nanoTime() < until) {
                for (var m : lc.sqs().receiveMessage(r -> r.queueUrl(lc.alertDeadLetters()).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
                    JsonNode body = JSON.readTree(m.body());
                    if (body.path("episodeId").asText().equals(id)) dead = body;
                }
            }
            assertThat(dead).as("a dead letter for " + id).isNotNull();
            assertThat(dead.path("error").path("Error").asText()).isEqualTo("Alert.Transient");
            assertThat(dead.path("error").path("Cause").asText()).contains("delivery failed");
            JsonNode episode = dev.get("/api/alerts/" + id).json();
            assertThat(episode.get("delivery").asText()).startsWith("delivery failed");
            assertThat(episode.get("runId").isTextual()).isTrue();
        }
    }
}
