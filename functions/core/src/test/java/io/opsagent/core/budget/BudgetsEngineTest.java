package io.opsagent.core.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsagent.core.agent.ConversationEngine;
import io.opsagent.core.agent.EngineConfig;
import io.opsagent.core.agent.InMemoryRunStore;
import io.opsagent.core.agent.InMemorySessionStore;
import io.opsagent.core.agent.PriceTable;
import io.opsagent.core.agent.model.ChatModel;
import io.opsagent.core.agent.model.ChatRequest;
import io.opsagent.core.agent.model.ModelEvent;
import io.opsagent.core.agent.model.StopReason;
import io.opsagent.core.redact.Redactor;
import io.opsagent.core.runs.Run;
import io.opsagent.core.runs.RunStatus;
import io.opsagent.core.tools.SnapshotProvider;
import io.opsagent.core.tools.ToolRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Budgets in the engine: every model call is reserved first; a refusal comes before the model is called, names the
 * budget, its limit, what is used and when it resets, and is a run recorded as refused; concurrent requests cannot
 * overshoot; a store that cannot be read refuses (fail closed).
 */
class BudgetsEngineTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T10:00:00Z"), ZoneOffset.UTC);
    private static final String Q = "why is cart failing?";

    /** A model that answers at once, reporting {@code used} tokens (input; output is the request's limit). */
    private static final class Counting implements ChatModel {
        final AtomicInteger calls = new AtomicInteger();
        volatile long input;

        @Override
        public String id() {
            return "counting";
        }

        @Override
        public void stream(ChatRequest request, Consumer<ModelEvent> l) {
            calls.incrementAndGet();
            l.accept(new ModelEvent.TextDelta("ok"));
            l.accept(new ModelEvent.Usage(input, request.maxTokens()));
            l.accept(new ModelEvent.Stop(StopReason.END_TURN, null));
        }
    }

    private static ConversationEngine engine(ChatModel model, InMemoryRunStore runs, Budgets budgets) {
        return new ConversationEngine(model, new ToolRegistry(List.of()), SnapshotProvider.of(io.opsagent.core.agent.Demo.snapshot()), runs, new InMemorySessionStore(), Redactor.standard(),
                EngineConfig.defaults().withPrices(PriceTable.none()), CLOCK).withBudgets(budgets);
    }

    /** The tokens one turn of the question reserves (read off a refusal, which reports what it asked). */
    private static long reservationOf(ChatModel model) {
        Budgets tiny = Budgets.perUser(new BudgetStore.InMemory(), 1, 0, CLOCK);
        try {
            engine(model, new InMemoryRunStore(), tiny).askOnce("probe", "shop/*", Q, "chat", e -> { });
            throw new AssertionError("a 1-token budget admitted a turn");
        } catch (BudgetRefused r) {
            return r.asked();
        }
    }

    @Test
    void twoHundredConcurrentRequestsAgainstFiftyTurnsMakeExactlyFiftyModelCalls() throws Exception {
        Counting model = new Counting();
        long r = reservationOf(model);
        assertThat(model.calls.get()).isZero();
        model.input = r - EngineConfig.defaults().maxTokens(); // each turn uses exactly what it reserved
        BudgetStore store = new BudgetStore.InMemory();
        Budgets budgets = Budgets.perUser(store, 50 * r + r / 2, 0, CLOCK);
        InMemoryRunStore runs = new InMemoryRunStore();
        ConversationEngine engine = engine(model, runs, budgets);
        ExecutorService pool = Executors.newFixedThreadPool(32);
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            results.add(pool.submit((Callable<String>) () -> {
                try {
                    return engine.askOnce("alice", "shop/*", Q, "chat", e -> { }).status().json();
                } catch (BudgetRefused refused) {
                    assertThat(refused.runId()).isNotNull();
                    return "refused:" + refused.getMessage();
                }
            }));
        }
        int completed = 0;
        int refused = 0;
        for (Future<String> f : results) {
            String s = f.get();
            if (s.equals("completed")) completed++;
            else if (s.startsWith("refused:")) {
                refused++;
                assertThat(s).contains("the daily token budget of user:alice is spent")
                        .contains("of " + (50 * r + r / 2) + " tokens used today").contains("resets at 2026-12-07T00:00:00Z");
            }
        }
        pool.shutdown();
        assertThat(completed).isEqualTo(50);
        assertThat(refused).isEqualTo(150);
        assertThat(model.calls.get()).isEqualTo(50);
        assertThat(store.usage("user:alice", "2026-12-06").tokens()).isEqualTo(50 * r);
        // every refusal is a run, recorded as refused with the reason
        List<Run> refusedRuns = new ArrayList<>();
        String cursor = null;
        do {
            var page = runs.list(new io.opsagent.core.runs.RunQuery("alice", RunStatus.REFUSED, null, null, null, 200, cursor));
            refusedRuns.addAll(page.items());
            cursor = page.next();
        } while (cursor != null);
        assertThat(refusedRuns).hasSize(150).allSatisfy(x -> assertThat(x.error()).contains("No model call was made"));
        // another user has a budget of their own
        assertThat(engine.askOnce("bob", "shop/*", Q, "chat", e -> { }).status()).isEqualTo(RunStatus.COMPLETED);
    }

    @Test
    void aCostBudgetRefusesByThePriceTable() {
        Counting model = new Counting();
        Budgets budgets = Budgets.perUser(new BudgetStore.InMemory(), 0, 0.000001, CLOCK);
        ConversationEngine engine = new ConversationEngine(model, new ToolRegistry(List.of()), SnapshotProvider.of(
                io.opsagent.core.agent.Demo.snapshot()), new InMemoryRunStore(), new InMemorySessionStore(),
                Redactor.standard(), EngineConfig.defaults().withPrices(new PriceTable(java.util.Map.of("counting",
                new PriceTable.Price(3.0, 15.0)))), CLOCK).withBudgets(budgets);
        assertThatThrownBy(() -> engine.askOnce("carol", "shop/*", Q, "chat", e -> { })).isInstanceOf(BudgetRefused.class)
                .hasMessageContaining("the daily cost budget of user:carol is spent: $0.0000 of $0.0000 used today");
        assertThat(model.calls.get()).isZero();
    }

    @Test
    void aBudgetStoreThatCannotBeReadRefusesEveryCall() {
        Counting model = new Counting();
        BudgetStore broken = new BudgetStore.InMemory();
        Budgets budgets = new Budgets(new BudgetStore() {
            @Override
            public List<Usage> reserve(List<Budget> b, String day, long tokens, long microUsd, Instant resetsAt) {
                throw new IllegalStateException("table opsagent-actions: connection refused");
            }

            @Override
            public void settle(List<String> scopes, String day, long tokens, long microUsd) {
            }

            @Override
            public Usage usage(String scope, String day) {
                return broken.usage(scope, day);
            }

            @Override
            public List<Usage> admitAndReserve(List<Budget> b, String day, String minute, long tokens, long microUsd,
                                               Instant resetsAt, Instant nextMinute) {
                throw new IllegalStateException("table opsagent-actions: connection refused");
            }

            @Override
            public int acquire(String scope, int limit, String runId, Instant now, Instant expires) {
                throw new IllegalStateException("table opsagent-actions: connection refused");
            }

            @Override
            public void release(String scope, int slot, String runId) {
            }
        }, user -> List.of(new Budget("user:" + user, 1_000_000, 0)), CLOCK);
        assertThatThrownBy(() -> engine(model, new InMemoryRunStore(), budgets).askOnce("dave", "shop/*", Q, "chat", e -> { }))
                .isInstanceOf(BudgetRefused.class).hasMessageContaining("the budget store cannot be read")
                .hasMessageContaining("connection refused");
        assertThat(model.calls.get()).isZero();
    }

    @Test
    void aRequestRateRefusesTheRequestsPastItInTheSameMinute() {
        Counting model = new Counting();
        BudgetStore store = new BudgetStore.InMemory();
        InMemoryRunStore runs = new InMemoryRunStore();
        ConversationEngine engine = engine(model, runs, Budgets.perUser(store, 0, 0, 5, CLOCK));
        int completed = 0;
        List<String> refusals = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            try {
                if (engine.askOnce("ivan", "shop/*", Q, "chat", e -> { }).status() == RunStatus.COMPLETED) completed++;
            } catch (BudgetRefused r) {
                refusals.add(r.getMessage());
                assertThat(r.kind()).isEqualTo("requests");
                assertThat(r.resetsAt()).isEqualTo(Instant.parse("2026-12-06T10:01:00Z"));
            }
        }
        assertThat(completed).isEqualTo(5);
        assertThat(refusals).hasSize(3).allSatisfy(m -> assertThat(m)
                .contains("the request rate of user:ivan is at its limit: 5 requests a minute (5 this minute)"));
        assertThat(model.calls.get()).isEqualTo(5);
    }

    @Test
    void eachHoldReportsTheBudgetsShareUsed() {
        Counting model = new Counting();
        List<String> seen = new ArrayList<>();
        Budgets budgets = Budgets.perUser(new BudgetStore.InMemory(), 1_000_000, 0, CLOCK)
                .onUsage((b, u) -> seen.add(b.scope() + " " + Math.round(Budgets.share(b, u) * 1000)));
        engine(model, new InMemoryRunStore(), budgets).askOnce("kim", "shop/*", Q, "chat", e -> { });
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0)).startsWith("user:kim ");
        assertThat(Long.parseLong(seen.get(0).substring(9))).isPositive();
    }

    @Test
    void aUserHasAtMostTheirConcurrentRunsGoingOn() throws Exception {
        java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(2);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        ChatModel slow = new ChatModel() {
            @Override
            public String id() {
                return "slow";
            }

            @Override
            public void stream(ChatRequest request, Consumer<ModelEvent> l) {
                inside.countDown();
                try {
                    release.await(20, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                l.accept(new ModelEvent.TextDelta("ok"));
                l.accept(new ModelEvent.Usage(0, 0));
                l.accept(new ModelEvent.Stop(StopReason.END_TURN, null));
            }
        };
        ConversationEngine engine = engine(slow, new InMemoryRunStore(), Budgets.perUser(new BudgetStore.InMemory(), 0, 0, 0, 2, CLOCK));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Future<Run> a = pool.submit(() -> engine.askOnce("noa", "shop/*", Q, "chat", e -> { }));
        Future<Run> b = pool.submit(() -> engine.askOnce("noa", "shop/*", Q, "chat", e -> { }));
        assertThat(inside.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        // two runs going on: the third is refused before its model call, another user is not
        assertThatThrownBy(() -> engine.askOnce("noa", "shop/*", Q, "chat", e -> { })).isInstanceOf(BudgetRefused.class)
                .hasMessageContaining("user:noa has 2 runs going on, the most it may have at once (2)");
        release.countDown();
        assertThat(a.get().status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(b.get().status()).isEqualTo(RunStatus.COMPLETED);
        pool.shutdown();
        // once they ended, their slots are free again
        assertThat(engine.askOnce("noa", "shop/*", Q, "chat", e -> { }).status()).isEqualTo(RunStatus.COMPLETED);
    }
}
