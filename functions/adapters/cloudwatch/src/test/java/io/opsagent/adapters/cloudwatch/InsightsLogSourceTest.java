package io.opsagent.adapters.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsagent.adapters.cloudwatch.FakeLogsServer.Reply;
import io.opsagent.core.cluster.ContainerLog;
import io.opsagent.core.logs.LogLevel;
import io.opsagent.core.logs.search.LogMatch;
import io.opsagent.core.logs.search.LogQuery;
import io.opsagent.core.logs.search.LogSearch;
import io.opsagent.core.logs.search.LogSearchResult;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

class InsightsLogSourceTest {
    static final String GROUP = "/aws/containerinsights/demo/application";
    static final Instant NOW = Instant.parse("2026-11-21T12:00:00.500Z");

    FakeLogsServer server;
    CloudWatchLogsClient client;
    InsightsConfig config = InsightsConfig.of(List.of(GROUP)).withPolling(Duration.ofMillis(5), Duration.ofMillis(40))
            .withDeadline(Duration.ofSeconds(10));

    @BeforeEach
    void start() throws IOException {
        server = new FakeLogsServer();
        client = server.client();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    InsightsLogSource source() {
        return new InsightsLogSource(client, config, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    static String row(String time, String stream, String ns, String pod, String container, String log) {
        return "[" + field("@timestamp", time) + "," + field("@message", "{\"log\":\"" + log + "\"}") + ","
                + field("@logStream", stream) + "," + field("@log", "123456789012:" + GROUP) + ","
                + field("kubernetes.namespace_name", ns) + "," + field("kubernetes.pod_name", pod) + ","
                + field("kubernetes.container_name", container) + "," + field("log", log) + ","
                + field("@ptr", "CmAKJQ") + "]";
    }

    static String field(String name, String value) {
        return "{\"field\":" + quote(name) + ",\"value\":" + quote(value) + "}";
    }

    static String quote(String s) {
        try {
            return FakeLogsServer.JSON.writeValueAsString(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String results(String status, List<String> rows, double matched) {
        return "{\"status\":\"" + status + "\",\"results\":[" + String.join(",", rows) + "],"
                + "\"statistics\":{\"recordsMatched\":" + matched + ",\"recordsScanned\":" + (matched * 3)
                + ",\"bytesScanned\":1000.0}}";
    }

    static final List<String> ROWS = List.of(
            row("2026-11-21 11:59:30.250", "api-7d9f8c6b5-x2k4p_shop_api-abc", "shop", "api-7d9f8c6b5-x2k4p", "api",
                    "ERROR payment gateway timeout after 3000 ms"),
            row("2026-11-21 11:59:10.000", "api-7d9f8c6b5-x2k4p_shop_api-abc", "shop", "api-7d9f8c6b5-x2k4p", "api",
                    "ERROR payment gateway timeout after 2500 ms"),
            row("2026-11-21 11:58:00.000", "worker-0_shop_worker-def", "shop", "worker-0", "worker",
                    "WARN queue depth 900"));

    /** Scheduled, then Running, then Complete with {@code rows}; StopQuery answered. */
    void completeAfterPolls(List<String> rows, double matched) {
        AtomicInteger polls = new AtomicInteger();
        server.handler((op, body) -> switch (op) {
            case "StartQuery" -> Reply.ok("{\"queryId\":\"q-1\"}");
            case "GetQueryResults" -> switch (polls.incrementAndGet()) {
                case 1 -> Reply.ok(results("Scheduled", List.of(), 0));
                case 2 -> Reply.ok(results("Running", rows.subList(0, Math.min(1, rows.size())), 1));
                default -> Reply.ok(results("Complete", rows, matched));
            };
            case "StopQuery" -> Reply.ok("{\"success\":true}");
            default -> Reply.error("UnknownOperationException", op);
        });
    }

    @Test
    void completedQueryIsPolledAndMappedToContainerLogsWithRefs() {
        completeAfterPolls(ROWS, 3);
        LogQuery query = LogQuery.builder().namespace("shop").minLevel("WARN").build();

        List<ContainerLog> logs = source().logs(query).toList();

        // request bodies
        FakeLogsServer.Request start = server.requests("StartQuery").get(0);
        assertThat(start.contentType()).startsWith("application/x-amz-json-1.1");
        JsonNode b = start.body();
        assertThat(b.get("queryString").asText()).isEqualTo(InsightsQueryBuilder.build(query, 10_000));
        assertThat(b.get("logGroupNames")).hasSize(1);
        assertThat(b.get("logGroupNames").get(0).asText()).isEqualTo(GROUP);
        assertThat(b.get("endTime").asLong()).isEqualTo(NOW.getEpochSecond() + 1); // rounded up
        assertThat(b.get("startTime").asLong()).isEqualTo(NOW.minus(Duration.ofHours(1)).getEpochSecond());
        assertThat(b.get("limit").asInt()).isEqualTo(10_000);
        List<FakeLogsServer.Request> polls = server.requests("GetQueryResults");
        assertThat(polls).hasSize(3);
        assertThat(polls).allSatisfy(r -> assertThat(r.body().get("queryId").asText()).isEqualTo("q-1"));
        assertThat(server.requests("StopQuery")).isEmpty();

        // mapping
        assertThat(logs).hasSize(2);
        ContainerLog api = logs.get(0);
        assertThat(api.namespace()).isEqualTo("shop");
        assertThat(api.pod()).isEqualTo("api-7d9f8c6b5-x2k4p");
        assertThat(api.container()).isEqualTo("api");
        assertThat(api.previous()).isFalse();
        assertThat(api.file()).isEqualTo("cwl:" + GROUP + "/api-7d9f8c6b5-x2k4p_shop_api-abc");
        assertThat(api.lines()).extracting(l -> l.text()).containsExactly(
                "2026-11-21T11:59:10Z ERROR payment gateway timeout after 2500 ms",
                "2026-11-21T11:59:30.250Z ERROR payment gateway timeout after 3000 ms");
        assertThat(api.ref(api.lines().get(1))).isEqualTo("cwl:" + GROUP + "/api-7d9f8c6b5-x2k4p_shop_api-abc:2");
        assertThat(logs.get(1).container()).isEqualTo("worker");
    }

    /** Rows Insights matched on raw text, one holding a password: what a probe for its prefix gets back. */
    private static final List<String> SECRET_ROWS = List.of(
            row("2026-11-21 11:59:30.250", "api-7d9f8c6b5-x2k4p_shop_api-abc", "shop", "api-7d9f8c6b5-x2k4p", "api",
                    "ERROR connect postgres://orders:S3cretPw9@db:5432/orders failed"));

    @Test
    void aTextFilterThatMatchesOnlyAMaskedValueFindsNothingAndCountsNothing() {
        // the fake answers as Insights would for a probe that matches the raw password: one row, 40 matched
        completeAfterPolls(SECRET_ROWS, 40);
        LogQuery probe = LogQuery.builder().namespace("shop").keywords("orders:S3cr").build();
        InsightsLogSource.Fetched f = source().search(probe);
        assertThat(f.logs()).isEmpty(); // dropped after redaction, before logs are counted or lines numbered
        assertThat(String.join(" ", f.notes())).doesNotContain("40");
        assertThat(source().logs(probe).toList()).isEmpty();
        // the same probe with a wrong character: Insights matches nothing; the answer is the same
        completeAfterPolls(List.of(), 0);
        LogQuery wrong = LogQuery.builder().namespace("shop").keywords("orders:S3cX").build();
        assertThat(source().search(wrong).logs()).isEmpty();
        // patterns with a text filter never come from Insights' raw counts
        completeAfterPolls(SECRET_ROWS, 40);
        InsightsLogSource.Patterns p = source().patterns(probe);
        assertThat(p.fromInsights()).isFalse();
        assertThat(p.patterns()).isEmpty();
        assertThat(server.requests("StartQuery")).noneMatch(r -> r.body().get("queryString").asText().contains("pattern @message"));
    }

    @Test
    void aCapWithATextFilterDoesNotGiveInsightsRawMatchCount() {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            rows.add(row(String.format("2026-11-21 11:%02d:%02d.000", 10 + i / 1000 % 50, i % 60),
                    "s" + (i % 4), "shop", "api-" + (i % 4), "api", "INFO request " + i + " served"));
        }
        completeAfterPolls(rows, 123_456);
        InsightsLogSource.Fetched f = source().search(LogQuery.builder().keywords("served").build());
        assertThat(f.notes()).anyMatch(n -> n.contains("capped at 10,000 rows")).noneMatch(n -> n.contains("123,456"));
        completeAfterPolls(rows, 123_456);
        assertThat(source().search(LogQuery.builder().build()).notes()).anyMatch(n -> n.contains("123,456"));
    }

    @Test
    void rowRefNamesGroupStreamAndTimestamp() throws Exception {
        JsonNode fields = FakeLogsServer.JSON.readTree(ROWS.get(0));
        java.util.Map<String, String> row = new java.util.LinkedHashMap<>();
        fields.forEach(f -> row.put(f.get("field").asText(), f.get("value").asText()));
        assertThat(InsightsRows.ref(row, "?"))
                .isEqualTo("cwl:" + GROUP + "/api-7d9f8c6b5-x2k4p_shop_api-abc@2026-11-21T11:59:30.250Z");
    }

    @Test
    void coreLogSearchRunsOverTheSourceAndRechecksFilters() {
        completeAfterPolls(ROWS, 3);
        LogQuery query = LogQuery.builder().namespace("shop").minLevel(LogLevel.ERROR).build();

        LogSearchResult r = LogSearch.search(source(), query);

        assertThat(r.totalMatches()).isEqualTo(2); // the WARN line the fake returned is filtered out by LogSearch
        assertThat(r.matches()).extracting(LogMatch::ref).containsExactly(
                "cwl:" + GROUP + "/api-7d9f8c6b5-x2k4p_shop_api-abc:1",
                "cwl:" + GROUP + "/api-7d9f8c6b5-x2k4p_shop_api-abc:2");
        assertThat(r.matches().get(1).timestamp()).isEqualTo(Instant.parse("2026-11-21T11:59:30.250Z"));
    }

    @Test
    void explicitTimeRangeIsSentInEpochSeconds() {
        completeAfterPolls(List.of(), 0);
        Instant from = Instant.parse("2026-11-20T08:00:00Z");
        Instant to = Instant.parse("2026-11-20T09:30:00Z");
        source().logs(LogQuery.builder().from(from).to(to).build()).toList();
        JsonNode b = server.requests("StartQuery").get(0).body();
        assertThat(b.get("startTime").asLong()).isEqualTo(from.getEpochSecond());
        assertThat(b.get("endTime").asLong()).isEqualTo(to.getEpochSecond());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Failed", "Cancelled", "Timeout", "Unknown"})
    void terminalFailureStatusesAreReportedClearly(String status) {
        server.handler((op, body) -> switch (op) {
            case "StartQuery" -> Reply.ok("{\"queryId\":\"q-bad\"}");
            case "GetQueryResults" -> Reply.ok(results(status, List.of(), 0));
            default -> Reply.ok("{\"success\":true}");
        });
        assertThatThrownBy(() -> source().logs(LogQuery.builder().build()))
                .isInstanceOf(InsightsQueryException.class)
                .hasMessageContaining("q-bad").hasMessageContaining("status " + status).hasMessageContaining(GROUP);
        assertThat(server.requests("GetQueryResults")).hasSize(1);
        assertThat(server.requests("StopQuery")).isEmpty();
    }

    @Test
    void queryRunningPastTheDeadlineIsStoppedInBoundedTime() {
        config = config.withDeadline(Duration.ofMillis(400));
        server.handler((op, body) -> switch (op) {
            case "StartQuery" -> Reply.ok("{\"queryId\":\"q-slow\"}");
            case "GetQueryResults" -> Reply.ok(results("Running", ROWS.subList(0, 1), 1));
            case "StopQuery" -> Reply.ok("{\"success\":true}");
            default -> Reply.error("UnknownOperationException", op);
        });
        long t0 = System.nanoTime();
        InsightsLogSource.Fetched f = source().search(LogQuery.builder().build());
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(took).isLessThan(Duration.ofSeconds(3));
        assertThat(server.requests("StopQuery")).hasSize(1);
        assertThat(server.requests("StopQuery").get(0).body().get("queryId").asText()).isEqualTo("q-slow");
        assertThat(f.result().stoppedAtDeadline()).isTrue();
        assertThat(f.result().complete()).isFalse();
        assertThat(f.logs()).hasSize(1); // partial rows kept
        assertThat(f.notes()).anyMatch(n -> n.contains("did not finish") && n.contains("StopQuery"));
        assertThatThrownBy(() -> source().logs(LogQuery.builder().build()))
                .isInstanceOf(InsightsQueryException.class).hasMessageContaining("was stopped");
    }

    @Test
    void hungEndpointCannotHoldTheCallerPastTheDeadline() {
        config = config.withDeadline(Duration.ofMillis(500));
        server.handler((op, body) -> switch (op) {
            case "StartQuery" -> Reply.ok("{\"queryId\":\"q-hung\"}");
            case "GetQueryResults" -> {
                try {
                    Thread.sleep(20_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                yield Reply.ok(results("Complete", ROWS, 3));
            }
            default -> Reply.ok("{\"success\":true}");
        });
        long t0 = System.nanoTime();
        InsightsLogSource.Fetched f = source().search(LogQuery.builder().build());
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
        assertThat(f.result().stoppedAtDeadline()).isTrue();
        assertThat(server.requests("StopQuery")).hasSize(1);
    }

    @Test
    void tenThousandRowCapIsReported() {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            rows.add(row(String.format("2026-11-21 11:%02d:%02d.000", 10 + i / 1000 % 50, i % 60),
                    "s" + (i % 4), "shop", "api-" + (i % 4), "api", "INFO request " + i + " served"));
        }
        completeAfterPolls(rows, 25_000);
        InsightsLogSource.Fetched f = source().search(LogQuery.builder().build());
        assertThat(f.result().capped()).isTrue();
        assertThat(f.result().rows()).hasSize(10_000);
        assertThat(f.logs()).hasSize(4);
        assertThat(f.logs().stream().mapToInt(l -> l.lines().size()).sum()).isEqualTo(10_000);
        assertThat(f.notes()).anyMatch(n -> n.contains("capped at 10,000 rows") && n.contains("25,000"));
    }

    @Test
    void fewerRowsThanTheLimitAreNotCapped() {
        completeAfterPolls(ROWS, 3);
        InsightsLogSource.Fetched f = source().search(LogQuery.builder().build());
        assertThat(f.result().capped()).isFalse();
        assertThat(f.notes()).isEmpty();
    }

    @Test
    void throttlingIsRetried() {
        AtomicInteger starts = new AtomicInteger();
        AtomicInteger polls = new AtomicInteger();
        server.handler((op, body) -> switch (op) {
            case "StartQuery" -> starts.incrementAndGet() <= 2
                    ? Reply.error("ThrottlingException", "Rate exceeded")
                    : Reply.ok("{\"queryId\":\"q-2\"}");
            case "GetQueryResults" -> polls.incrementAndGet() == 1
                    ? Reply.error("LimitExceededException", "too many concurrent queries")
                    : Reply.ok(results("Complete", ROWS, 3));
            default -> Reply.ok("{\"success\":true}");
        });
        List<ContainerLog> logs = source().logs(LogQuery.builder().build()).toList();
        assertThat(logs).hasSize(2);
        assertThat(server.requests("StartQuery")).hasSize(3);
        assertThat(server.requests("GetQueryResults")).hasSize(2);
    }

    @Test
    void persistentConcurrencyLimitFailsClearlyWithinTheDeadline() {
        config = config.withDeadline(Duration.ofMillis(500));
        server.handler((op, body) -> Reply.error("LimitExceededException", "too many concurrent queries"));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> source().logs(LogQuery.builder().build()))
                .isInstanceOf(InsightsQueryException.class)
                .hasMessageContaining("StartQuery failed").hasMessageContaining("too many concurrent queries");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        assertThat(server.requests("StartQuery").size()).isGreaterThan(2);
    }

    @Test
    void serviceErrorOnStartIsReportedWithItsMessage() {
        server.handler((op, body) -> Reply.error("ResourceNotFoundException", "The specified log group does not exist."));
        assertThatThrownBy(() -> source().logs(LogQuery.builder().build()))
                .isInstanceOf(InsightsQueryException.class)
                .hasMessageContaining("StartQuery failed").hasMessageContaining("log group does not exist");
        assertThat(server.requests("StartQuery")).hasSize(1); // not retried
    }

    @Test
    void invalidNamesAreRejectedBeforeAnyCall() {
        assertThatThrownBy(() -> source().logs(LogQuery.builder().namespace("Shop\" | stats count(*)").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("namespace name");
        assertThat(server.requests).isEmpty();
    }

    @Test
    void previousInstancesOnlyFindNothingWithoutACall() {
        assertThat(source().logs(LogQuery.builder().previous(true).build())).isEmpty();
        assertThat(server.requests).isEmpty();
    }

    @Test
    void patternsComeFromTheInsightsPatternCommand() {
        String p1 = "[" + field("@pattern", "ERROR payment gateway timeout after <*> ms") + ","
                + field("@ratio", "0.8") + "," + field("@sampleCount", "40") + "," + field("@severityLabel", "Error")
                + "]";
        String p2 = "[" + field("@pattern", "WARN queue depth <*>") + "," + field("@ratio", "0.2") + ","
                + field("@sampleCount", "10") + "," + field("@severityLabel", "Warning") + "]";
        completeAfterPolls(List.of(p2, p1), 50);
        InsightsLogSource.Patterns p = source().patterns(LogQuery.builder().namespace("shop").build());

        assertThat(p.fromInsights()).isTrue();
        String sent = server.requests("StartQuery").get(0).body().get("queryString").asText();
        assertThat(sent).endsWith("| pattern @message").contains("kubernetes.namespace_name = \"shop\"");
        assertThat(p.patterns()).containsExactly(
                new InsightsPattern("ERROR payment gateway timeout after <*> ms", 40, 0.8, LogLevel.ERROR),
                new InsightsPattern("WARN queue depth <*>", 10, 0.2, LogLevel.WARN));
    }

    @Test
    void patternsFallBackToTheCoreMinerWhenThePatternQueryFails() {
        server.handler((op, body) -> {
            String q = body.path("queryString").asText();
            return switch (op) {
                case "StartQuery" -> q.contains("pattern @message")
                        ? Reply.error("MalformedQueryException", "unexpected symbol: pattern")
                        : Reply.ok("{\"queryId\":\"q-lines\"}");
                case "GetQueryResults" -> Reply.ok(results("Complete", ROWS, 3));
                default -> Reply.ok("{\"success\":true}");
            };
        });
        InsightsLogSource.Patterns p = source().patterns(LogQuery.builder().build());

        assertThat(p.fromInsights()).isFalse();
        assertThat(p.notes()).anyMatch(n -> n.contains("unexpected symbol: pattern") && n.contains("mined"));
        assertThat(p.patterns()).hasSize(2);
        assertThat(p.patterns().get(0).count()).isEqualTo(2);
        assertThat(p.patterns().get(0).template()).startsWith("ERROR payment gateway timeout after");
        assertThat(p.patterns().get(0).level()).isEqualTo(LogLevel.ERROR);
        assertThat(p.patterns().stream().mapToLong(InsightsPattern::count).sum()).isEqualTo(3);
        assertThat(server.requests("StartQuery").stream().map(r -> r.body().get("queryString").asText())
                .collect(Collectors.toList())).hasSize(2);
    }
}
