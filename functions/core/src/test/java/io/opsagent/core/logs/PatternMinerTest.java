package io.opsagent.core.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PatternMinerTest {

    private static List<Integer> mineAll(PatternMiner miner, String... messages) {
        List<Integer> ids = new ArrayList<>();
        for (String m : messages) {
            ids.add(miner.add(m));
        }
        List<Integer> out = new ArrayList<>();
        for (int id : ids) {
            out.add(miner.currentId(id));
        }
        return out;
    }

    @Test
    void groupsLinesThatDifferOnlyInVariables() {
        PatternMiner miner = new PatternMiner();
        List<Integer> ids = mineAll(miner,
                "Connection from 10.0.0.1 port 5000",
                "Connection from 10.0.0.2 port 5001",
                "Disk /dev/sda1 is 91% full",
                "Connection from 10.0.0.3 port 22");
        assertThat(ids.get(0)).isEqualTo(ids.get(1)).isEqualTo(ids.get(3));
        assertThat(ids.get(2)).isNotEqualTo(ids.get(0));
        List<LogPattern> patterns = miner.patterns();
        assertThat(patterns).hasSize(2);
        LogPattern conn = patterns.get(0);
        assertThat(conn.template()).isEqualTo("Connection from <*> port <*>");
        assertThat(conn.count()).isEqualTo(3);
        assertThat(conn.firstLine()).isEqualTo(1);
        assertThat(conn.lastLine()).isEqualTo(4);
        assertThat(conn.lineNumbers()).containsExactly(1L, 2L, 4L);
    }

    @Test
    void templateShowsMaskedValuesThatNeverChanged() {
        PatternMiner miner = new PatternMiner();
        mineAll(miner, "GET /api/items 200 12ms", "GET /api/items 200 15ms", "GET /api/items 200 15ms");
        assertThat(miner.patterns()).extracting(LogPattern::template).containsExactly("GET /api/items 200 <*>");
    }

    @Test
    void keepsEnumerationsApartButMergesManyDistinctWords() {
        PatternMiner miner = new PatternMiner();
        List<Integer> ids = mineAll(miner,
                "task moved from RUNNING to DONE",
                "task moved from NEW to RUNNING",
                "session opened for user alice",
                "session opened for user bob",
                "session opened for user carol",
                "task moved from RUNNING to DONE");
        assertThat(ids.get(0)).isEqualTo(ids.get(5)).isNotEqualTo(ids.get(1));
        assertThat(ids.get(2)).isEqualTo(ids.get(3)).isEqualTo(ids.get(4));
        assertThat(miner.patterns()).extracting(LogPattern::template)
                .contains("session opened for user <*>", "task moved from RUNNING to DONE");
    }

    @Test
    void aValueWithoutDigitsJoinsWhereOthersShowAVariable() {
        PatternMiner miner = new PatternMiner();
        List<Integer> ids = mineAll(miner,
                "authentication failure; rhost=10.1.2.3 user=root",
                "authentication failure; rhost=example.org user=root",
                "check pass; user unknown");
        assertThat(ids.get(0)).isEqualTo(ids.get(1)).isNotEqualTo(ids.get(2));
    }

    @Test
    void differentFirstWordsAreDifferentEvents() {
        PatternMiner miner = new PatternMiner();
        List<Integer> ids = mineAll(miner, "cupsd startup succeeded", "syslogd startup succeeded",
                "klogd startup succeeded");
        assertThat(ids).doesNotHaveDuplicates();
    }

    @Test
    void idsMergedLaterAreMappedByCurrentId() {
        PatternMiner miner = new PatternMiner();
        int a = miner.add("login by user alice");
        int b = miner.add("login by user bob");
        assertThat(miner.currentId(a)).isNotEqualTo(miner.currentId(b));
        int c = miner.add("login by user carol");
        assertThat(miner.currentId(a)).isEqualTo(miner.currentId(b)).isEqualTo(miner.currentId(c)).isEqualTo(a);
        assertThat(miner.patterns()).hasSize(1);
        assertThatThrownBy(() -> miner.currentId(99)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void recordsLevelTimestampsAndExample() {
        PatternMiner miner = new PatternMiner();
        miner.add("retry 1 of request 7", 10, "t1", LogLevel.INFO, "t1 INFO retry 1 of request 7");
        miner.add("retry 2 of request 7", 12, "t2", LogLevel.ERROR, "t2 ERROR retry 2 of request 7");
        miner.add("retry 3 of request 8", 15, "t3", null, "t3 retry 3 of request 8");
        LogPattern p = miner.patterns().get(0);
        assertThat(p.level()).isEqualTo(LogLevel.ERROR);
        assertThat(p.firstSeen()).isEqualTo("t1");
        assertThat(p.lastSeen()).isEqualTo("t3");
        assertThat(p.firstLine()).isEqualTo(10);
        assertThat(p.lastLine()).isEqualTo(15);
        assertThat(p.example()).isEqualTo("t1 INFO retry 1 of request 7");
    }

    @Test
    void addLineUsesTheHeaderFormatOnlyToFindTheMessage() {
        LogFormat format = LogFormat.compile("<Date> <Time> <Level> <Content>");
        PatternMiner miner = new PatternMiner();
        int a = miner.addLine("2024-01-01 10:00:00 ERROR cannot open /data/a.db", format, 1);
        int b = miner.addLine("2024-01-02 11:00:00 WARN cannot open /data/b.db", format, 2);
        assertThat(miner.currentId(a)).isEqualTo(miner.currentId(b));
        LogPattern p = miner.patterns().get(0);
        assertThat(p.template()).isEqualTo("cannot open <*>");
        assertThat(p.level()).isEqualTo(LogLevel.ERROR);
        assertThat(p.firstSeen()).isEqualTo("2024-01-01 10:00:00");
        assertThat(p.lastSeen()).isEqualTo("2024-01-02 11:00:00");
    }

    @Test
    void messageCacheDoesNotChangeResults() {
        String[] lines = {"a 1", "b x", "a 2", "b x", "a 1", "c"};
        assertThat(mineAll(new PatternMiner(0), lines)).isEqualTo(mineAll(new PatternMiner(2), lines));
        assertThatThrownBy(() -> new PatternMiner(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void blankMessagesFormOnePattern() {
        PatternMiner miner = new PatternMiner();
        List<Integer> ids = mineAll(miner, "", "x 1", "  ");
        assertThat(ids.get(0)).isEqualTo(ids.get(2)).isNotEqualTo(ids.get(1));
    }

    @Test
    void rankingPutsErrorsThenWarningsThenRarePatternsFirst() {
        PatternMiner miner = new PatternMiner();
        for (int i = 0; i < 5; i++) {
            miner.add("request " + i + " served", i + 1, null, LogLevel.INFO, null);
        }
        miner.add("cache cold", 6, null, LogLevel.INFO, null);
        miner.add("disk almost full", 7, null, LogLevel.WARN, null);
        miner.add("db down", 8, null, LogLevel.ERROR, null);
        miner.add("db down", 9, null, LogLevel.ERROR, null);
        miner.add("", 10, null, null, null);
        List<LogPattern> ranked = PatternRanking.rank(miner.patterns(), 0);
        assertThat(ranked).extracting(LogPattern::template).containsExactly("db down", "disk almost full",
                "cache cold", "request <*> served", "");
        assertThat(PatternRanking.rank(miner.patterns(), 2)).hasSize(2);
    }
}
