package io.opsagent.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsagent.core.runs.Page;
import io.opsagent.core.runs.Run;
import io.opsagent.core.runs.RunQuery;
import io.opsagent.core.runs.RunStats;
import io.opsagent.core.runs.RunStatus;
import io.opsagent.core.runs.Step;
import io.opsagent.core.runs.StepType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DynamoRunStoreTest {
    private static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");
    private static final String[] SOURCES = {"chat", "cli", "alert"};
    private static final RunStatus[] STATUSES = {RunStatus.COMPLETED, RunStatus.FAILED, RunStatus.RUNNING,
            RunStatus.CANCELLED, RunStatus.MAX_STEPS};
    private static DynamoRunStore store;
    /** The listing data set: 37 runs of "carol", one every 7 minutes, plus runs of "dave" interleaved. */
    private static final List<Run> CAROL = new ArrayList<>();

    @BeforeAll
    static void setUp() {
        store = new DynamoRunStore(TestDynamo.client(), TestDynamo.freshTables());
        for (int i = 0; i < 37; i++) {
            Run r = run("carol", SOURCES[i % 3], STATUSES[i % 5], T0.plus(Duration.ofMinutes(7L * i)), i);
            store.create(r);
            CAROL.add(r);
            store.create(run("dave", SOURCES[i % 3], STATUSES[i % 5], T0.plus(Duration.ofMinutes(7L * i)), i));
        }
        CAROL.sort(Comparator.comparing(Run::started).reversed());
    }

    private static Run run(String user, String source, RunStatus status, Instant started, int i) {
        Run r = new Run(UUID.randomUUID().toString(), user, "task " + i, source, user, "s-" + i, "shop/checkout",
                "offline-analyst", RunStatus.RUNNING, null, 0, 0, 0, 0.0, started, null, null);
        if (status == RunStatus.RUNNING) {
            return r.withProgress(1, 10L * i, i, 0.001 * i);
        }
        return r.withProgress(3, 100L * i, 10L * i, 0.01 * i)
                .withStatus(status, "answer " + i, started.plusMillis(1000L + 100L * i),
                        status == RunStatus.FAILED ? "model timed out" : null);
    }

    private static List<String> ids(List<Run> runs) {
        return runs.stream().map(Run::id).collect(Collectors.toList());
    }

    /** Reads every page of a query and checks page sizes. */
    private static List<Run> allPages(RunQuery first) {
        List<Run> runs = new ArrayList<>();
        String cursor = null;
        do {
            RunQuery q = new RunQuery(first.user(), first.status(), first.source(), first.from(), first.to(),
                    first.limit(), cursor);
            Page<Run> page = store.list(q);
            assertThat(page.items().size()).isLessThanOrEqualTo(first.limit());
            if (page.next() != null) {
                assertThat(page.items()).hasSize(first.limit());
            }
            runs.addAll(page.items());
            cursor = page.next();
        } while (cursor != null);
        return runs;
    }

    private static List<Run> expected(Predicate<Run> filter) {
        return CAROL.stream().filter(filter).collect(Collectors.toList());
    }

    @Test
    void runningRunsAreFoundWithoutAScanAndAnEndedRunTakesNoMoreWrites() {
        DynamoRunStore own = new DynamoRunStore(TestDynamo.client(), TestDynamo.freshTables());
        Instant t = Instant.parse("2026-12-06T10:00:00Z");
        Run a = new Run("a-" + UUID.randomUUID(), "zoe", "q", "chat", "zoe", null, null, "m", RunStatus.RUNNING, null,
                0, 0, 0, 0.0, t, null, null, "pid1-aaaa", t);
        Run b = new Run("b-" + UUID.randomUUID(), "yann", "q", "chat", "yann", null, null, "m", RunStatus.RUNNING, null,
                0, 0, 0, 0.0, t.plusSeconds(1), null, null, "pid2-bbbb", t);
        own.create(a);
        own.create(b);
        own.create(run("zoe", "chat", RunStatus.COMPLETED, t, 1)); // finished: not listed
        assertThat(own.running()).extracting(Run::id).containsExactly(a.id(), b.id());
        assertThat(own.running().get(0)).isEqualTo(a);
        Run beat = a.withProgress(1, 5, 5, 0).beating(t.plusSeconds(9));
        assertThat(own.update(beat)).isTrue();
        assertThat(own.get("zoe", a.id()).orElseThrow().heartbeat()).isEqualTo(t.plusSeconds(9));
        assertThat(own.update(beat.withStatus(RunStatus.FAILED, null, t.plusSeconds(10), "stopped"))).isTrue();
        assertThat(own.running()).extracting(Run::id).containsExactly(b.id());
        // a late write of the old owner neither revives the run nor fails loudly
        assertThat(own.update(beat.withProgress(2, 6, 6, 0))).isFalse();
        assertThat(own.update(beat.withStatus(RunStatus.COMPLETED, "late", t.plusSeconds(11), null))).isFalse();
        assertThat(own.get("zoe", a.id()).orElseThrow().status()).isEqualTo(RunStatus.FAILED);
    }

    @Test
    void createGetAndUpdateRoundTripEveryField() {
        Run r = new Run("r-" + UUID.randomUUID(), "erin", "why is checkout failing?", "chat", "erin", "sess-1",
                "shop/checkout", "offline-analyst", RunStatus.RUNNING, null, 0, 0, 0, 0.0,
                Instant.parse("2026-11-21T10:00:00.123456789Z"), null, null);
        store.create(r);
        assertThat(store.get("erin", r.id())).contains(r);
        assertThatThrownBy(() -> store.create(r)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(r.id());

        Run done = r.withProgress(4, 1200, 300, 0.0042)
                .withStatus(RunStatus.FAILED, "partial answer", r.started().plusMillis(2500), "tool timed out");
        store.update(done);
        Run got = store.get("erin", r.id()).orElseThrow();
        assertThat(got).isEqualTo(done);
        assertThat(got.durationMs()).isEqualTo(2500L);

        Run foreign = new Run(r.id(), "mallory", "x", "chat", "mallory", null, null, null, RunStatus.COMPLETED,
                "pwned", 1, 0, 0, 0, r.started(), r.started(), null);
        assertThatThrownBy(() -> store.update(foreign)).isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining(r.id());
        assertThat(store.get("erin", r.id())).contains(done);
    }

    @Test
    void anotherUsersRunIsInvisible() {
        Run r = CAROL.get(0);
        assertThat(store.get("carol", r.id())).isPresent();
        assertThat(store.get("dave", r.id())).isEmpty();
        assertThat(store.steps("dave", r.id())).isEmpty();
        assertThat(store.get("carol", "no-such-run")).isEmpty();
        assertThat(store.steps("carol", "no-such-run")).isEmpty();
    }

    @Test
    void listsNewestFirstAcrossPagesWithoutFilters() {
        List<Run> all = allPages(new RunQuery("carol", null, null, null, null, 4, null));
        assertThat(ids(all)).containsExactlyElementsOf(ids(CAROL));
        assertThat(all).allMatch(r -> r.user().equals("carol"));
        assertThat(store.list(new RunQuery("carol", null, null, null, null, 200, null)).next()).isNull();
    }

    @Test
    void filtersByStatus() {
        for (RunStatus status : STATUSES) {
            List<Run> got = allPages(new RunQuery("carol", status, null, null, null, 3, null));
            assertThat(ids(got)).as(status.json())
                    .containsExactlyElementsOf(ids(expected(r -> r.status() == status)));
            assertThat(got).isNotEmpty();
        }
    }

    @Test
    void filtersBySourceAndByBoth() {
        for (String source : SOURCES) {
            assertThat(ids(allPages(new RunQuery("carol", null, source, null, null, 5, null))))
                    .containsExactlyElementsOf(ids(expected(r -> source.equals(r.source()))));
        }
        List<Run> both = allPages(new RunQuery("carol", RunStatus.FAILED, "alert", null, null, 2, null));
        assertThat(ids(both)).containsExactlyElementsOf(
                ids(expected(r -> r.status() == RunStatus.FAILED && "alert".equals(r.source()))));
        assertThat(both).isNotEmpty();
    }

    @Test
    void filtersByTimeRangeFromInclusiveToExclusive() {
        Instant from = T0.plus(Duration.ofMinutes(7 * 5));   // exactly the start of run 5: included
        Instant to = T0.plus(Duration.ofMinutes(7 * 20));    // exactly the start of run 20: excluded
        List<Run> range = allPages(new RunQuery("carol", null, null, from, to, 4, null));
        assertThat(ids(range)).containsExactlyElementsOf(
                ids(expected(r -> !r.started().isBefore(from) && r.started().isBefore(to))));
        assertThat(range).hasSize(15);
        assertThat(ids(allPages(new RunQuery("carol", null, null, from, null, 50, null))))
                .containsExactlyElementsOf(ids(expected(r -> !r.started().isBefore(from))));
        assertThat(ids(allPages(new RunQuery("carol", null, null, null, to, 50, null))))
                .containsExactlyElementsOf(ids(expected(r -> r.started().isBefore(to))));
        List<Run> narrow = allPages(new RunQuery("carol", RunStatus.COMPLETED, "chat", from, to, 1, null));
        assertThat(ids(narrow)).containsExactlyElementsOf(ids(expected(r -> r.status() == RunStatus.COMPLETED
                && "chat".equals(r.source()) && !r.started().isBefore(from) && r.started().isBefore(to))));
    }

    @Test
    void aTamperedCursorIsRejectedNamingTheCursor() {
        String cursor = store.list(new RunQuery("carol", null, null, null, null, 2, null)).next();
        assertThat(cursor).isNotNull();
        assertThatThrownBy(() -> store.list(new RunQuery("dave", null, null, null, null, 2, cursor)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cursor");
        assertThatThrownBy(() -> store.list(new RunQuery("carol", RunStatus.FAILED, null, null, null, 2, cursor)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cursor");
        String json = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        String forged = Base64.getUrlEncoder().encodeToString(json.replace("USER#carol", "USER#dave")
                .getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> store.list(new RunQuery("carol", null, null, null, null, 2, forged)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cursor");
        assertThatThrownBy(() -> store.list(new RunQuery("carol", null, null, null, null, 2, "%%%")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cursor");
    }

    @Test
    void statsOverAKnownSet() {
        String user = "stats-" + UUID.randomUUID();
        // ten completed chat runs lasting 100..1000 ms, two failed alert runs of 5000 ms, one running cli run
        for (int i = 1; i <= 10; i++) {
            Instant s = T0.plusSeconds(i);
            Run r = new Run(UUID.randomUUID().toString(), user, "t", "chat", user, null, null, "m",
                    RunStatus.RUNNING, null, 0, 0, 0, 0, s, null, null);
            store.create(r);
            store.update(r.withProgress(2, 100, 10, 0.25).withStatus(RunStatus.COMPLETED, "a",
                    s.plusMillis(100L * i), null));
        }
        for (int i = 11; i <= 12; i++) {
            Instant s = T0.plusSeconds(i);
            Run r = new Run(UUID.randomUUID().toString(), user, "t", "alert", "alarm", null, null, "m",
                    RunStatus.RUNNING, null, 0, 0, 0, 0, s, null, null);
            store.create(r);
            store.update(r.withProgress(1, 50, 5, 0.5).withStatus(RunStatus.FAILED, null, s.plusMillis(5000),
                    "boom"));
        }
        store.create(new Run(UUID.randomUUID().toString(), user, "t", "cli", user, null, null, "m",
                RunStatus.RUNNING, null, 0, 7, 0, 0, T0.plusSeconds(13), null, null));

        RunStats all = store.stats(new RunQuery(user, null, null, null, null, 1, null));
        assertThat(all.total()).isEqualTo(13);
        assertThat(all.byStatus()).isEqualTo(Map.of("completed", 10L, "failed", 2L, "running", 1L));
        assertThat(all.bySource()).isEqualTo(Map.of("chat", 10L, "alert", 2L, "cli", 1L));
        // 12 finished durations: 100..1000, 5000, 5000 → nearest rank p50 = 6th = 600, p95 = 12th = 5000
        assertThat(all.p50DurationMs()).isEqualTo(600L);
        assertThat(all.p95DurationMs()).isEqualTo(5000L);
        assertThat(all.inputTokens()).isEqualTo(10 * 100 + 2 * 50 + 7);
        assertThat(all.outputTokens()).isEqualTo(10 * 10 + 2 * 5);
        assertThat(all.cost()).isCloseTo(10 * 0.25 + 2 * 0.5, org.assertj.core.data.Offset.offset(1e-9));

        RunStats chat = store.stats(new RunQuery(user, RunStatus.COMPLETED, "chat", null, null, 1, null));
        assertThat(chat.total()).isEqualTo(10);
        assertThat(chat.p50DurationMs()).isEqualTo(500L);
        assertThat(chat.p95DurationMs()).isEqualTo(1000L);

        RunStats window = store.stats(new RunQuery(user, null, null, T0.plusSeconds(11), T0.plusSeconds(13), 1,
                null));
        assertThat(window.total()).isEqualTo(2);
        assertThat(window.byStatus()).isEqualTo(Map.of("failed", 2L));

        RunStats none = store.stats(new RunQuery("nobody-" + UUID.randomUUID(), null, null, null, null, 1, null));
        assertThat(none.total()).isZero();
        assertThat(none.p50DurationMs()).isNull();
    }

    @Test
    void stepsComeBackInOrderAndRetriedWritesDoNotDuplicate() {
        Run r = run("frank", "chat", RunStatus.RUNNING, T0, 1);
        store.create(r);
        for (int n : new int[]{2, 10, 1, 3, 11, 4, 5, 6, 7, 8, 9}) {
            store.addStep(step(r.id(), n, "result " + n));
        }
        store.addStep(step(r.id(), 3, "result 3")); // a retry
        store.addStep(step(r.id(), 3, "result 3"));
        List<Step> steps = store.steps("frank", r.id());
        assertThat(steps).extracting(Step::number).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        assertThat(steps.get(2)).isEqualTo(step(r.id(), 3, "result 3"));
        assertThatThrownBy(() -> store.addStep(step(r.id(), 4, "something else")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("step 4");
        assertThat(store.steps("frank", r.id())).hasSize(11);
    }

    private static Step step(String runId, int n, String result) {
        StepType type = n % 2 == 0 ? StepType.TOOL_CALL : StepType.MODEL_TURN;
        return new Step(runId, n, type, type == StepType.TOOL_CALL ? "log_search" : null,
                type == StepType.TOOL_CALL ? "{\"keywords\":[\"timeout\"]}" : null,
                type == StepType.TOOL_CALL ? result : null, type == StepType.MODEL_TURN ? "thinking " + n : null,
                n == 7 ? "tool failed" : null, T0.plusSeconds(n), 10L * n, n, 2L * n);
    }

    @Test
    void cancelOnlyTheOwnersRunningRun() {
        Run running = run("gina", "chat", RunStatus.RUNNING, T0, 1);
        Run finished = run("gina", "chat", RunStatus.COMPLETED, T0, 2);
        store.create(running);
        store.create(finished);
        assertThat(store.cancelRequested(running.id())).isFalse();
        assertThat(store.requestCancel("mallory", running.id())).isFalse();
        assertThat(store.cancelRequested(running.id())).isFalse();
        assertThat(store.requestCancel("gina", finished.id())).isFalse();
        assertThat(store.cancelRequested(finished.id())).isFalse();
        assertThat(store.requestCancel("gina", "no-such-run")).isFalse();
        assertThat(store.cancelRequested("no-such-run")).isFalse();

        assertThat(store.requestCancel("gina", running.id())).isTrue();
        assertThat(store.cancelRequested(running.id())).isTrue();
        // the engine stops at the next step boundary and marks it cancelled; the flag stays
        store.update(running.withStatus(RunStatus.CANCELLED, null, T0.plusSeconds(3), null));
        assertThat(store.cancelRequested(running.id())).isTrue();
        assertThat(store.requestCancel("gina", running.id())).isFalse();
        assertThat(store.get("gina", running.id()).orElseThrow().status()).isEqualTo(RunStatus.CANCELLED);
    }

    @Test
    void hugeTextsAreCappedSoTheItemFits() {
        Run r = run("hank", "chat", RunStatus.RUNNING, T0, 1);
        store.create(r);
        String big = "x".repeat(500_000);
        store.addStep(new Step(r.id(), 1, StepType.TOOL_CALL, "log_search", big, big, big, big, T0, 1, 0, 0));
        store.update(r.withStatus(RunStatus.COMPLETED, big, T0.plusSeconds(1), null));
        Step s = store.steps("hank", r.id()).get(0);
        for (String text : List.of(s.args(), s.result(), s.text(), s.error(),
                store.get("hank", r.id()).orElseThrow().finalAnswer())) {
            assertThat(text.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(TextCap.MAX_BYTES)
                    .isGreaterThan(TextCap.MAX_BYTES - 200);
            assertThat(text).startsWith("xxxx").contains(TextCap.MARKER + "500000 bytes");
        }
        // retrying the same oversized step is still idempotent
        store.addStep(new Step(r.id(), 1, StepType.TOOL_CALL, "log_search", big, big, big, big, T0, 1, 0, 0));
        assertThat(store.steps("hank", r.id())).hasSize(1);
    }
}
