package io.opsagent.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opsagent.core.agent.AgentEvent;
import io.opsagent.core.agent.AgentListener;
import io.opsagent.core.agent.AskRequest;
import io.opsagent.core.runs.Run;
import io.opsagent.core.runs.Session;
import io.opsagent.app.http.AppContext;
import io.opsagent.app.http.Authenticator;
import io.opsagent.app.http.HttpApp;
import io.opsagent.app.http.Users;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the functions print: Powertools JSON log lines with the correlation id, and EMF metric documents. */
class ApiTelemetryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ApiTestEnv env;
    private static ApiHandler handler;
    /** Other tests in this JVM may quiet "io.opsagent" (e.g. the chat tests): the access log is INFO. */
    private static final java.util.logging.Logger APP_LOG = java.util.logging.Logger.getLogger("io.opsagent");
    private static java.util.logging.Level previousLevel;

    @BeforeAll
    static void start() {
        previousLevel = APP_LOG.getLevel();
        APP_LOG.setLevel(java.util.logging.Level.INFO);
        env = new ApiTestEnv();
        handler = env.handler();
    }

    @AfterAll
    static void stop() {
        APP_LOG.setLevel(previousLevel);
        env.close();
    }

    /** Runs {@code work} with standard output captured; returns its JSON lines. */
    private static <T> List<JsonNode> stdout(Supplier<T> work) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            work.get();
        } finally {
            System.out.flush();
            System.setOut(old);
        }
        List<JsonNode> out = new ArrayList<>();
        for (String line : buf.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) continue;
            assertThat(line).as("every line printed is one JSON object").startsWith("{");
            out.add(JSON.readTree(line));
        }
        return out;
    }

    private static List<String> metricNames(JsonNode emf) {
        return StreamSupport.stream(emf.get("_aws").get("CloudWatchMetrics").get(0).get("Metrics").spliterator(), false)
                .map(m -> m.get("Name").asText()).toList();
    }

    @Test
    void anInvocationLogsJsonWithTheRequestIdAndFlushesItsMetrics() throws Exception {
        APIGatewayV2HTTPEvent event = ApiTestEnv.load("list-workloads.json");
        event.getRequestContext().setRequestId("Req-Telemetry-1");
        List<JsonNode> lines = stdout(() -> {
            APIGatewayV2HTTPResponse r = handler.handle(event, ApiTestEnv.context("lambda-inv-1"));
            assertThat(r.getStatusCode()).isEqualTo(200);
            return r;
        });
        JsonNode access = lines.stream().filter(l -> l.path("message").asText().contains("GET /api/workloads 200"))
                .findFirst().orElseThrow(() -> new AssertionError("no access log line in " + lines));
        assertThat(access.get("level").asText()).isEqualTo("INFO");
        assertThat(access.get("correlation_id").asText()).isEqualTo("Req-Telemetry-1");
        assertThat(access.get("function_request_id").asText()).isEqualTo("lambda-inv-1");
        assertThat(access.get("function_name").asText()).isEqualTo("opsagent-api");
        assertThat(access.get("message").asText()).startsWith("req=Req-Telemetry-1 ");

        List<JsonNode> emf = lines.stream().filter(l -> l.has("_aws")).toList();
        assertThat(emf).hasSize(1);
        assertThat(emf.get(0).get("_aws").get("CloudWatchMetrics").get(0).get("Namespace").asText())
                .isEqualTo(Telemetry.DEFAULT_NAMESPACE);
        assertThat(metricNames(emf.get(0))).contains(ApiHandler.REQUESTS, ApiHandler.LATENCY,
                ApiHandler.SERVER_ERRORS, ApiHandler.CLIENT_ERRORS);
        assertThat(emf.get(0).get(ApiHandler.REQUESTS).asDouble()).isEqualTo(1.0);
        assertThat(emf.get(0).get("status").asInt()).isEqualTo(200);

        // the next invocation starts clean: its own correlation id, one request counted again
        APIGatewayV2HTTPEvent second = ApiTestEnv.load("list-runs.json");
        second.getRequestContext().setAuthorizer(null);
        second.getRequestContext().setRequestId("Req-Telemetry-2");
        List<JsonNode> again = stdout(() -> handler.handle(second, ApiTestEnv.context("lambda-inv-2")));
        JsonNode doc = again.stream().filter(l -> l.has("_aws")).findFirst().orElseThrow();
        assertThat(doc.get(ApiHandler.REQUESTS).asDouble()).isEqualTo(1.0);
        assertThat(doc.get(ApiHandler.CLIENT_ERRORS).asDouble()).isEqualTo(1.0);
        assertThat(doc.get("status").asInt()).isEqualTo(401);
    }

    @Test
    void aBudgetHoldReportsTheShareUsed() throws Exception {
        var b = new io.opsagent.core.budget.Budget("user:lee", 1_000, 0);
        List<JsonNode> lines = stdout(() -> {
            BudgetMetrics.record(Telemetry.metrics(), b, new io.opsagent.core.budget.Usage("user:lee", "2026-12-06", 850, 0));
            return null;
        });
        JsonNode doc = lines.stream().filter(l -> l.has("_aws")).findFirst().orElseThrow();
        assertThat(metricNames(doc)).containsExactly(BudgetMetrics.USED_PERCENT);
        assertThat(doc.get(BudgetMetrics.USED_PERCENT).asDouble()).isEqualTo(85.0);
        assertThat(doc.get("budget").asText()).isEqualTo("user:lee");
    }

    @Test
    void aRunFlushesItsOwnMetricsDocument() throws Exception {
        var app = handler.context();
        Session s = app.engine().openSession(ApiTestEnv.SUB, "shop/cart");
        AtomicLong clock = new AtomicLong();
        List<AgentEvent> seen = new ArrayList<>();
        Run[] run = new Run[1];
        List<JsonNode> lines = stdout(() -> {
            AgentListener metrics = new RunMetrics(Telemetry.metrics(), seen::add, () -> clock.addAndGet(5_000_000));
            run[0] = app.engine().ask(new AskRequest(ApiTestEnv.SUB, s.id(), "why is cart failing?", "chat"), metrics);
            return run[0];
        });
        assertThat(seen).first().isInstanceOf(AgentEvent.RunStarted.class);
        assertThat(seen).last().isInstanceOf(AgentEvent.RunFinished.class);
        JsonNode doc = lines.stream().filter(l -> l.has("_aws")).findFirst()
                .orElseThrow(() -> new AssertionError("no EMF document in " + lines));
        assertThat(metricNames(doc)).contains(RunMetrics.RUNS, RunMetrics.STEPS, RunMetrics.TOOL_CALLS,
                RunMetrics.TOOL_ERRORS, RunMetrics.INPUT_TOKENS, RunMetrics.OUTPUT_TOKENS, RunMetrics.COST,
                RunMetrics.TIME_TO_FIRST_TOKEN, RunMetrics.RUN_DURATION);
        assertThat(doc.get("runId").asText()).isEqualTo(run[0].id());
        assertThat(doc.get(RunMetrics.STEPS).asInt()).isEqualTo(run[0].steps());
        long toolCalls = seen.stream().filter(e -> e instanceof AgentEvent.ToolFinished).count();
        assertThat(toolCalls).isPositive();
        assertThat(doc.get(RunMetrics.TOOL_CALLS).asLong()).isEqualTo(toolCalls);
        assertThat(doc.get(RunMetrics.TOOL_ERRORS).asLong()).isZero();
        // the fake clock advances 5 ms per reading: RunStarted, then the first delta
        assertThat(doc.get(RunMetrics.TIME_TO_FIRST_TOKEN).asDouble()).isEqualTo(5.0);
    }

    @Test
    void aChatRunServedByTheHttpAppFlushesItsMetrics() throws Exception {
        var api = handler.context();
        // the API function's authenticator accepts no plain HTTP request: serve this one as a local dev user
        var app = new AppContext(api.engine(), api.runs(), api.sessions(), api.cluster(), api.inputDir(), null,
                api.redactor(), null, Authenticator.LOCAL_HEADER);
        Session s = app.engine().openSession(Users.DEFAULT_USER, "shop/cart");
        List<JsonNode> lines;
        String[] sse = new String[1];
        try (HttpApp http = HttpApp.start(app, new InetSocketAddress("127.0.0.1", 0), Telemetry::runListener)) {
            lines = stdout(() -> {
                try {
                    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                    http.uri().resolve("/api/sessions/" + s.id() + "/messages"))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"text\": \"why is cart failing?\"}"))
                            .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
                    sse[0] = r.body();
                    return r;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        assertThat(sse[0]).contains("event: final");
        JsonNode doc = lines.stream().filter(l -> l.has("_aws")).findFirst()
                .orElseThrow(() -> new AssertionError("no EMF document in " + lines));
        assertThat(metricNames(doc)).contains(RunMetrics.RUNS, RunMetrics.TIME_TO_FIRST_TOKEN);
        assertThat(sse[0]).contains(doc.get("runId").asText());
    }

    @Test
    void toolErrorsAreCounted() throws Exception {
        List<AgentEvent> events = List.of(new AgentEvent.RunStarted("r1", "s1", "shop/cart", "m"),
                new AgentEvent.ToolStarted("r1", 2, "c1", "get_logs", "{}"),
                new AgentEvent.ToolFinished("r1", 2, "c1", "get_logs", "boom", true, List.of(), 3),
                new AgentEvent.ToolFinished("r1", 3, "c2", "diagnose", "ok", false, List.of(), 3),
                new AgentEvent.Error("r1", "model failed"),
                new AgentEvent.RunFinished("r1", "failed", null, 3, 120, 40, 0.0123, 900));
        List<JsonNode> lines = stdout(() -> {
            RunMetrics m = new RunMetrics(Telemetry.metrics(), null, System::nanoTime);
            events.forEach(m::on);
            return m;
        });
        JsonNode doc = lines.stream().filter(l -> l.has("_aws")).findFirst().orElseThrow();
        assertThat(doc.get(RunMetrics.TOOL_ERRORS).asInt()).isEqualTo(1);
        assertThat(doc.get(RunMetrics.TOOL_CALLS).asInt()).isEqualTo(2);
        assertThat(doc.get(RunMetrics.RUNS_FAILED).asInt()).isEqualTo(1);
        assertThat(doc.get(RunMetrics.INPUT_TOKENS).asInt()).isEqualTo(120);
        assertThat(doc.get(RunMetrics.OUTPUT_TOKENS).asInt()).isEqualTo(40);
        assertThat(doc.get(RunMetrics.COST).asDouble()).isEqualTo(0.0123);
        assertThat(doc.has(RunMetrics.TIME_TO_FIRST_TOKEN)).as("no text was written").isFalse();
    }
}
