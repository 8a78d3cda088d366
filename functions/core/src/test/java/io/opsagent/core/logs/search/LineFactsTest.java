package io.opsagent.core.logs.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsagent.core.cluster.ContainerLog;
import io.opsagent.core.cluster.LogLine;
import io.opsagent.core.logs.LogLevel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Each line's time and level, worked out once per log: the same answers as reading each line and its neighbours. */
class LineFactsTest {
    private static final int LOOK_BACK = 500;

    private static ContainerLog log(List<String> texts) {
        List<LogLine> lines = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) lines.add(new LogLine(i + 1, texts.get(i)));
        return new ContainerLog("ns", "p", "c", false, "ns/p/logs.txt", lines);
    }

    @Test
    void agreesWithReadingEachLineAndTheLinesAboveIt() {
        Random random = new Random(42);
        String[] kinds = {"2026-11-21T10:%02d:%02dZ INFO  ok %d", "2026-11-21T10:%02d:%02dZ ERROR failed %d",
                "\tat com.example.A.run(A.java:%d)", "Caused by: java.io.IOException: disk %d", "plain line %d",
                "WARN no time %d", "Nov 21 10:%02d:%02d host app[1]: started %d", "{\"level\":\"error\",\"msg\":\"x%d\"}"};
        for (int round = 0; round < 20; round++) {
            List<String> texts = new ArrayList<>();
            int n = 50 + random.nextInt(1500);
            for (int i = 0; i < n; i++) {
                // long untimed stretches now and then, to cross the look-back limit
                String k = random.nextInt(40) == 0 ? "plain line %d" : kinds[random.nextInt(kinds.length)];
                int run = k.startsWith("plain") && random.nextInt(3) == 0 ? 600 : 1;
                for (int j = 0; j < run && texts.size() < 3000; j++) {
                    texts.add(k.contains("%02d") ? String.format(k, i % 60, j % 60, i) : String.format(k, i));
                }
            }
            ContainerLog log = log(texts);
            LineFacts f = LineFacts.of(log, 2026, LOOK_BACK);
            List<LogLine> lines = log.lines();
            for (int i = 0; i < lines.size(); i++) {
                String text = lines.get(i).text();
                LogTimestamps.Parsed own = LogTimestamps.parse(text, 2026);
                assertThat(f.headerEnd[i]).as("header end of line %d", i).isEqualTo(own == null ? 0 : own.end());
                assertThat(f.time[i]).as("time of line %d", i).isEqualTo(own != null ? own.instant() : timeAbove(lines, i));
                LogLevel level = LogSearch.levelOf(text);
                if (level == LogLevel.UNKNOWN && own == null) level = levelAbove(lines, i);
                assertThat(f.level[i]).as("level of line %d: %s", i, text).isEqualTo(level);
            }
        }
    }

    @Test
    void aLineInheritsTimeFromAtMostLookBackLinesAbove() {
        List<String> texts = new ArrayList<>();
        texts.add("2026-11-21T10:00:00Z ERROR boom");
        for (int i = 0; i < LOOK_BACK + 1; i++) texts.add("\tat frame " + i);
        LineFacts f = LineFacts.of(log(texts), 2026, LOOK_BACK);
        assertThat(f.time[LOOK_BACK]).isEqualTo(Instant.parse("2026-11-21T10:00:00Z"));
        assertThat(f.level[LOOK_BACK]).isEqualTo(LogLevel.ERROR);
        assertThat(f.time[LOOK_BACK + 1]).isNull();
        assertThat(f.level[LOOK_BACK + 1]).isEqualTo(LogLevel.UNKNOWN);
    }

    @Test
    void workedOutOncePerLogAndYear() {
        ContainerLog log = log(List.of("Nov 21 10:00:00 host app[1]: ERROR boom", "\tat frame"));
        LineFacts a = LineFacts.of(log, 2026, LOOK_BACK);
        assertThat(LineFacts.of(log, 2026, LOOK_BACK)).isSameAs(a);
        LineFacts other = LineFacts.of(log, 2025, LOOK_BACK); // a syslog time has no year: the query's decides it
        assertThat(other).isNotSameAs(a);
        assertThat(other.time[1]).isEqualTo(Instant.parse("2025-11-21T10:00:00Z"));
        assertThat(a.time[1]).isEqualTo(Instant.parse("2026-11-21T10:00:00Z"));
    }

    /** The old way: parse the lines above, one by one. */
    private static Instant timeAbove(List<LogLine> lines, int i) {
        for (int j = i - 1; j >= 0 && j >= i - LOOK_BACK; j--) {
            LogTimestamps.Parsed p = LogTimestamps.parse(lines.get(j).text(), 2026);
            if (p != null) return p.instant();
        }
        return null;
    }

    private static LogLevel levelAbove(List<LogLine> lines, int i) {
        boolean continuation = LogSearch.isContinuation(lines.get(i).text());
        for (int j = i - 1; j >= 0 && j >= i - LOOK_BACK; j--) {
            String t = lines.get(j).text();
            LogLevel l = LogSearch.levelOf(t);
            boolean timed = LogTimestamps.parse(t, 2026) != null;
            if (l != LogLevel.UNKNOWN || timed) return timed || continuation ? l : LogLevel.UNKNOWN;
        }
        return LogLevel.UNKNOWN;
    }
}
