package io.opsagent.core.logs.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.cluster.ContainerLog;
import io.opsagent.core.cluster.LogLine;
import io.opsagent.core.logs.LogLevel;
import io.opsagent.core.util.Tokens;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LogSearchTest {

    private static ContainerLog log(String ns, String pod, String container, boolean previous, String text) {
        String[] parts = text.split("\n");
        List<LogLine> lines = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            lines.add(new LogLine(i + 1, parts[i]));
        }
        return new ContainerLog(ns, pod, container, previous, ns + "/" + pod + "/logs.txt", lines);
    }

    private static final String API = """
            2026-11-21T10:00:00Z INFO  starting api version=1.2.0
            2026-11-21T10:00:01Z INFO  connected to postgres at db:5432
            2026-11-21T10:00:05Z WARN  slow query took 1200ms table=orders
            2026-11-21T10:01:00Z ERROR request failed: upstream payments timed out after 5000ms
            2026-11-21T10:01:30Z ERROR request failed: upstream payments timed out after 5000ms
            2026-11-21T10:02:00Z INFO  GET /orders 200 12ms
            2026-11-21T10:03:00Z ERROR unhandled exception in handler
            java.lang.IllegalStateException: cart is empty
            \tat com.example.Cart.checkout(Cart.java:42)
            \tat com.example.Api.handle(Api.java:10)
            2026-11-21T10:04:00Z FATAL out of file descriptors
            """;

    private static final String WORKER = """
            {"level":"info","time":"2026-11-21T10:00:00Z","msg":"worker started"}
            {"level":"error","time":"2026-11-21T10:00:30Z","msg":"job 17 failed","error":"payments timed out"}
            {"level":"info","time":"2026-11-21T10:01:00Z","msg":"job 18 done"}
            """;

    private static ClusterSnapshot snapshot() {
        return ClusterSnapshot.builder("dump")
                .addLog(log("shop", "api-7d9f8c6b5-x2k4p", "api", false, API))
                .addLog(log("shop", "api-7d9f8c6b5-x2k4p", "istio-proxy", false,
                        "[2026-11-21 10:00:00.000][1][info][main] envoy started\n"
                                + "[2026-11-21 10:01:00.000][15][warning][upstream] upstream reset: payments\n"))
                .addLog(log("shop", "worker-0", "worker", false, WORKER))
                .addLog(log("shop", "worker-0", "worker", true,
                        "2026-11-21T09:00:00Z ERROR payments timed out, exiting\n"))
                .addLog(log("other", "api-gateway-5c6d7e8f9a-abcde", "gw", false,
                        "2026-11-21T10:00:00Z ERROR payments timed out\n"))
                .build();
    }

    private static LogSearchResult search(LogQuery.Builder q) {
        return LogSearch.search(new SnapshotLogSource(snapshot()), q.build());
    }

    private static List<String> refs(LogSearchResult r) {
        return r.matches().stream().map(LogMatch::ref).toList();
    }

    @Test
    void matchedLinesAndTemplatesAreRedacted() {
        ClusterSnapshot s = ClusterSnapshot.builder("test")
                .addLog(log("shop", "orders-1", "app", false,
                        "ERROR check failed for postgres://orders:S3cr3tP4ss@db:5432/orders\n"
                                + "ERROR check failed for postgres://orders:S3cr3tP4ss@db:5432/orders\n"))
                .build();
        LogSearchResult r = LogSearch.search(new SnapshotLogSource(s), LogQuery.builder().keywords("check failed").build());
        assertThat(r.totalMatches()).isEqualTo(2);
        assertThat(r.render()).doesNotContain("S3cr3tP4ss").contains("postgres://orders:********@db");
        assertThat(r.matches()).allSatisfy(m -> assertThat(m.text()).doesNotContain("S3cr3tP4ss"));
        assertThat(r.patterns()).allSatisfy(p -> assertThat(p.template()).doesNotContain("S3cr3tP4ss"));
    }

    @Test
    void keywordsMustAllMatchCaseInsensitively() {
        LogSearchResult r = search(LogQuery.builder().namespace("shop").keywords("PAYMENTS", "timed out"));
        assertThat(refs(r)).containsExactly(
                "shop/api-7d9f8c6b5-x2k4p/logs.txt:4", "shop/api-7d9f8c6b5-x2k4p/logs.txt:5",
                "shop/worker-0/logs.txt:2", "shop/worker-0/logs.txt:1");
        assertThat(r.totalMatches()).isEqualTo(4);
        assertThat(r.truncated()).isFalse();
        assertThat(r.note()).isEmpty();
    }

    @Test
    void regexFilter() {
        LogSearchResult r = search(LogQuery.builder().pod("api-7d9f8c6b5-x2k4p").container("api").regex("took \\d{4,}ms"));
        assertThat(refs(r)).containsExactly("shop/api-7d9f8c6b5-x2k4p/logs.txt:3");
        assertThat(r.matches().get(0).level()).isEqualTo(LogLevel.WARN);
        assertThat(r.matches().get(0).timestamp()).isEqualTo(Instant.parse("2026-11-21T10:00:05Z"));
    }

    @Test
    void levelFilterIncludesStackTraceContinuation() {
        LogSearchResult r = search(LogQuery.builder().pod("api-7d9f8c6b5-x2k4p").container("api").minLevel("error"));
        assertThat(r.matches()).extracting(LogMatch::lineNumber).containsExactly(4, 5, 7, 8, 9, 10, 11);
        assertThat(r.matches()).filteredOn(m -> m.lineNumber() == 11).extracting(LogMatch::level)
                .containsExactly(LogLevel.FATAL);
    }

    @Test
    void jsonLevelsAreRead() {
        LogSearchResult r = search(LogQuery.builder().pod("worker-0").previous(false).minLevel(LogLevel.WARN));
        assertThat(refs(r)).containsExactly("shop/worker-0/logs.txt:2");
    }

    @Test
    void timeRangeIsHalfOpenAndLinesWithoutTimeInheritIt() {
        LogSearchResult r = search(LogQuery.builder().pod("api-7d9f8c6b5-x2k4p").container("api")
                .from(Instant.parse("2026-11-21T10:01:30Z")).to(Instant.parse("2026-11-21T10:04:00Z")));
        // 10:01:30, 10:02:00, 10:03:00 and the three stack-trace lines that inherit 10:03:00; 10:04:00 excluded
        assertThat(r.matches()).extracting(LogMatch::lineNumber).containsExactly(5, 6, 7, 8, 9, 10);
        assertThat(r.matches().get(5).timestamp()).isEqualTo(Instant.parse("2026-11-21T10:03:00Z"));
    }

    @Test
    void timeFilterSkipsLogsWithoutTimestampsAndSaysSo() {
        ClusterSnapshot s = ClusterSnapshot.builder("dump")
                .addLog(log("ns", "p", "c", false, "no time here\nnor here\n")).build();
        LogSearchResult r = LogSearch.search(new SnapshotLogSource(s),
                LogQuery.builder().from(Instant.parse("2026-01-01T00:00:00Z")).build());
        assertThat(r.totalMatches()).isZero();
        assertThat(r.note()).contains("2 lines without a known time");
    }

    @Test
    void linesWithoutAnyTimestampAreSearchable() {
        ClusterSnapshot s = ClusterSnapshot.builder("dump")
                .addLog(log("ns", "p", "c", false, "booting\nEnvironment variable DEPLOY_ENV is undefined\n")).build();
        LogSearchResult r = LogSearch.search(new SnapshotLogSource(s), LogQuery.builder().keywords("deploy_env").build());
        assertThat(r.matches()).singleElement().satisfies(m -> {
            assertThat(m.ref()).isEqualTo("ns/p/logs.txt:2");
            assertThat(m.timestamp()).isNull();
            assertThat(m.level()).isEqualTo(LogLevel.UNKNOWN);
        });
    }

    @Test
    void inUntimedLogsOnlyIndentedLinesInheritTheLevel() {
        ClusterSnapshot s = ClusterSnapshot.builder("dump").addLog(log("ns", "p", "c", false,
                "ERROR boom\n\tat com.example.A.run(A.java:1)\nCaused by: java.io.IOException: disk\nready again\n")).build();
        LogSearchResult r = LogSearch.search(new SnapshotLogSource(s), LogQuery.builder().minLevel("error").build());
        assertThat(r.matches()).extracting(LogMatch::lineNumber).containsExactly(1, 2, 3);
    }

    @Test
    void combinedFilters() {
        LogSearchResult r = search(LogQuery.builder().namespace("shop").workload("api").minLevel("warn")
                .keywords("upstream").regex("(?i)payments").to(Instant.parse("2026-11-21T10:01:10Z")));
        assertThat(refs(r)).containsExactlyInAnyOrder(
                "shop/api-7d9f8c6b5-x2k4p/logs.txt:4", "shop/api-7d9f8c6b5-x2k4p/logs.txt:2");
        assertThat(r.matches()).extracting(LogMatch::container).containsExactlyInAnyOrder("api", "istio-proxy");
    }

    @Test
    void multiplePodsAndContainersAndWorkloadScope() {
        LogSearchResult all = search(LogQuery.builder().keywords("payments"));
        assertThat(all.logsSearched()).isEqualTo(5);
        assertThat(all.matches().stream().map(LogMatch::pod).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("api-7d9f8c6b5-x2k4p", "worker-0", "api-gateway-5c6d7e8f9a-abcde");
        LogSearchResult api = search(LogQuery.builder().workload("api").keywords("payments"));
        assertThat(api.matches()).extracting(LogMatch::pod).containsOnly("api-7d9f8c6b5-x2k4p");
        LogSearchResult prefixed = search(LogQuery.builder().pod("api-*").keywords("payments"));
        assertThat(prefixed.matches()).extracting(LogMatch::pod)
                .containsOnly("api-7d9f8c6b5-x2k4p", "api-gateway-5c6d7e8f9a-abcde");
        LogSearchResult prev = search(LogQuery.builder().workload("worker").previous(true));
        assertThat(refs(prev)).containsExactly("shop/worker-0/logs.txt:1");
        assertThat(prev.matches().get(0).previous()).isTrue();
    }

    @Test
    void identicalMessagesShareAPatternInTheSummary() {
        LogSearchResult r = search(LogQuery.builder().pod("api-7d9f8c6b5-x2k4p").container("api").minLevel("error"));
        PatternSummary timedOut = r.patterns().stream().filter(p -> p.template().contains("timed out")).findFirst().orElseThrow();
        assertThat(timedOut.count()).isEqualTo(2);
        assertThat(timedOut.level()).isEqualTo(LogLevel.ERROR);
        assertThat(timedOut.firstRef()).isEqualTo("shop/api-7d9f8c6b5-x2k4p/logs.txt:4");
        assertThat(timedOut.lastRef()).isEqualTo("shop/api-7d9f8c6b5-x2k4p/logs.txt:5");
        assertThat(timedOut.firstSeen()).isEqualTo(Instant.parse("2026-11-21T10:01:00Z"));
        assertThat(r.patterns().get(0).level()).isEqualTo(LogLevel.FATAL);
        assertThat(r.matches()).filteredOn(m -> m.lineNumber() == 4 || m.lineNumber() == 5)
                .extracting(LogMatch::patternId).containsOnly(timedOut.id());
        assertThat(r.render()).contains("[p" + timedOut.id() + "] 2x ERROR").contains("shop/api-7d9f8c6b5-x2k4p/logs.txt:4");
    }

    /** A big noisy log: 3,000 INFO lines of one pattern, 500 WARN of another, and 3 rare ERROR/FATAL patterns. */
    private static ContainerLog bigLog() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 3600; i++) {
            String ts = Instant.parse("2026-11-21T10:00:00Z").plusSeconds(i).toString();
            if (i == 1000) {
                sb.append(ts).append(" ERROR disk quota nearly exhausted on /data\n");
            } else if (i == 2000) {
                sb.append(ts).append(" FATAL cannot open journal file\n");
            } else if (i == 3000) {
                sb.append(ts).append(" ERROR replication lag too high\n");
            } else if (i % 7 == 0) {
                sb.append(ts).append(" WARN cache miss for key\n");
            } else {
                sb.append(ts).append(" INFO request served\n");
            }
        }
        return log("shop", "db-0", "db", false, sb.toString());
    }

    @Test
    void budgetIsRespectedAndPatternsAreSpread() {
        ClusterSnapshot s = ClusterSnapshot.builder("dump").addLog(bigLog()).build();
        for (int budget : new int[] {100, 300, 800, 2000}) {
            LogSearchResult r = LogSearch.search(new SnapshotLogSource(s), LogQuery.builder().tokenBudget(budget).build());
            assertThat(Tokens.estimate(r.render())).as("rendered size with budget %d", budget).isLessThanOrEqualTo(budget);
            assertThat(r.totalMatches()).isEqualTo(3600);
            assertThat(r.truncated()).isTrue();
            assertThat(r.note()).contains("left out").contains(budget + "-token budget");
            assertThat(r.patterns()).as("the pattern summary is always there").isNotEmpty();
            if (budget >= 300) {
                assertThat(r.matches()).extracting(LogMatch::level).contains(LogLevel.FATAL, LogLevel.ERROR);
            }
            if (budget >= 800) {
                // most severe first and one per pattern before repeats: all five patterns appear
                Set<String> texts = r.matches().stream().map(m -> m.text().substring(21)).collect(Collectors.toSet());
                assertThat(texts).contains("FATAL cannot open journal file", "ERROR disk quota nearly exhausted on /data",
                        "ERROR replication lag too high", "WARN cache miss for key", "INFO request served");
                assertThat(r.patterns()).hasSize(5);
                assertThat(r.patterns().get(0).level()).isEqualTo(LogLevel.FATAL);
            }
            // log order
            assertThat(r.matches()).extracting(LogMatch::lineNumber).isSorted();
        }
    }

    @Test
    void repeatsGoToTheMostSeverePatternsFirst() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            String ts = Instant.parse("2026-11-21T10:00:00Z").plusSeconds(i).toString();
            sb.append(ts).append(i % 20 == 0 ? " ERROR payment declined by gateway\n" : " INFO heartbeat ok\n");
        }
        ClusterSnapshot s = ClusterSnapshot.builder("dump").addLog(log("ns", "p", "c", false, sb.toString())).build();
        LogSearchResult r = LogSearch.search(new SnapshotLogSource(s), LogQuery.builder().tokenBudget(800).build());
        long errors = r.matches().stream().filter(m -> m.level() == LogLevel.ERROR).count();
        long infos = r.matches().stream().filter(m -> m.level() == LogLevel.INFO).count();
        assertThat(infos).as("one INFO example, plus at most one filling leftover room").isBetween(1L, 2L);
        assertThat(errors).isGreaterThan(10);
        assertThat(r.estimatedTokens()).isLessThanOrEqualTo(800);
    }

    @Test
    void defaultBudgetIsTwoThousandTokens() {
        ClusterSnapshot s = ClusterSnapshot.builder("dump").addLog(bigLog()).build();
        LogSearchResult r = LogSearch.search(new SnapshotLogSource(s), LogQuery.builder().build());
        assertThat(r.estimatedTokens()).isLessThanOrEqualTo(LogQuery.DEFAULT_TOKEN_BUDGET).isGreaterThan(1500);
    }

    @Test
    void limitCapsMatchesAndIsNamedInTheNote() {
        ClusterSnapshot s = ClusterSnapshot.builder("dump").addLog(bigLog()).build();
        LogSearchResult r = LogSearch.search(new SnapshotLogSource(s), LogQuery.builder().limit(3).build());
        assertThat(r.matches()).hasSize(3);
        assertThat(r.matches()).extracting(LogMatch::level)
                .containsExactlyInAnyOrder(LogLevel.FATAL, LogLevel.ERROR, LogLevel.ERROR);
        assertThat(r.note()).contains("limit of 3 lines");
    }

    @Test
    void longLinesAreCutWithAMarker() {
        String longLine = "2026-11-21T10:00:00Z ERROR " + "x".repeat(2000);
        ClusterSnapshot s = ClusterSnapshot.builder("dump").addLog(log("ns", "p", "c", false, longLine)).build();
        LogSearchResult r = LogSearch.search(new SnapshotLogSource(s), LogQuery.builder().build());
        String text = r.matches().get(0).text();
        assertThat(text).hasSize(LogSearch.MAX_LINE_CHARS + "… [+1527 chars]".length()).endsWith("… [+1527 chars]");
    }

    @Test
    void noMatchesGivesAnEmptyResult() {
        LogSearchResult r = search(LogQuery.builder().keywords("no-such-text"));
        assertThat(r.totalMatches()).isZero();
        assertThat(r.matches()).isEmpty();
        assertThat(r.patterns()).isEmpty();
        assertThat(r.render()).startsWith("Log search (keywords [no-such-text]): 0 matching lines in 5 logs");
    }

    @Test
    void badRegexNamesThePatternAndTheError() {
        assertThatThrownBy(() -> LogQuery.builder().regex("timed out (after"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'timed out (after'")
                .hasMessageContaining("Unclosed group");
    }

    @Test
    void badLevelIsRejected() {
        assertThatThrownBy(() -> LogQuery.builder().minLevel("loud"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'loud'");
    }

    @Test
    void badRangeAndBudgetAreRejected() {
        assertThatThrownBy(() -> LogQuery.builder().from(Instant.parse("2026-11-21T11:00:00Z"))
                .to(Instant.parse("2026-11-21T10:00:00Z")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("time range is empty");
        assertThatThrownBy(() -> LogQuery.builder().tokenBudget(10).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token budget");
        assertThatThrownBy(() -> LogQuery.builder().limit(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
    }

    @Test
    void workloadNamesMatchGeneratedPodNamesOnly() {
        assertThat(LogQuery.belongsToWorkload("api-7d9f8c6b5-x2k4p", "api")).isTrue();
        assertThat(LogQuery.belongsToWorkload("api-x2k4p", "api")).isTrue();
        assertThat(LogQuery.belongsToWorkload("db-0", "db")).isTrue();
        assertThat(LogQuery.belongsToWorkload("backup-28912345-abcde", "backup")).isTrue();
        assertThat(LogQuery.belongsToWorkload("api", "api")).isTrue();
        assertThat(LogQuery.belongsToWorkload("api-gateway-5c6d7e8f9a-abcde", "api")).isFalse();
        assertThat(LogQuery.belongsToWorkload("apiserver-x2k4p", "api")).isFalse();
    }
}
