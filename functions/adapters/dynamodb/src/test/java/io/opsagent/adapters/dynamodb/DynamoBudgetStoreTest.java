package io.opsagent.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsagent.core.budget.Budget;
import io.opsagent.core.budget.BudgetRefused;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Budget reservations on DynamoDB Local: conditional {@code ADD}s that cannot overshoot under concurrency, all or none
 * across a user's and a project's budget, settled to what was used.
 */
class DynamoBudgetStoreTest {
    private static final String DAY = "2026-12-06";
    private static final Instant RESETS = Instant.parse("2026-12-07T00:00:00Z");
    private final DynamoBudgetStore store = new DynamoBudgetStore(TestDynamo.client(), TestDynamo.freshTables());

    @Test
    void twoHundredConcurrentReservationsAgainstFiftyTurnsAdmitExactlyFifty() throws Exception {
        long turn = 7_000;
        Budget user = new Budget("user:alice", 50 * turn + turn / 2, 0);
        ExecutorService pool = Executors.newFixedThreadPool(32);
        List<Future<Boolean>> done = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            done.add(pool.submit(() -> {
                try {
                    store.reserve(List.of(user), DAY, turn, 0, RESETS);
                    return true;
                } catch (BudgetRefused refused) {
                    assertThat(refused.getMessage()).contains("daily token budget of user:alice");
                    return false;
                }
            }));
        }
        int admitted = 0;
        for (Future<Boolean> f : done) if (f.get()) admitted++;
        pool.shutdown();
        assertThat(admitted).isEqualTo(50);
        assertThat(store.usage("user:alice", DAY).tokens()).isEqualTo(50 * turn);
    }

    @Test
    void aUserAndAProjectBudgetAreHeldTogetherOrNotAtAll() throws Exception {
        Budget user = new Budget("user:bob", 100_000, 0);
        Budget project = new Budget("project:payments", 0, Budget.micro(0.05));
        store.reserve(List.of(user, project), DAY, 10_000, Budget.micro(0.03), RESETS);
        assertThat(store.usage("user:bob", DAY).tokens()).isEqualTo(10_000);
        assertThat(store.usage("project:payments", DAY).microUsd()).isEqualTo(30_000);
        // the project's cost budget refuses: the user's budget is not touched either
        assertThatThrownBy(() -> store.reserve(List.of(user, project), DAY, 10_000, Budget.micro(0.03), RESETS))
                .isInstanceOf(BudgetRefused.class)
                .hasMessageContaining("the daily cost budget of project:payments is spent: $0.0300 of $0.0500 used today")
                .hasMessageContaining("resets at 2026-12-07T00:00:00Z");
        assertThat(store.usage("user:bob", DAY).tokens()).isEqualTo(10_000);
        // settling gives back what the turn did not use
        store.settle(List.of("user:bob", "project:payments"), DAY, -6_000, -Budget.micro(0.02));
        assertThat(store.usage("user:bob", DAY).tokens()).isEqualTo(4_000);
        assertThat(store.usage("project:payments", DAY).microUsd()).isEqualTo(10_000);
        store.reserve(List.of(user, project), DAY, 10_000, Budget.micro(0.03), RESETS);
        assertThat(store.usage("project:payments", DAY).microUsd()).isEqualTo(40_000);
        // a turn larger than the whole budget, and another day, another count
        assertThatThrownBy(() -> store.reserve(List.of(user), DAY, 200_000, 0, RESETS)).isInstanceOf(BudgetRefused.class)
                .hasMessageContaining("14000 tokens of 100000 tokens used today");
        assertThat(store.usage("user:bob", "2026-12-07").tokens()).isZero();
    }

    @Test
    void aRequestRateAdmitsExactlyItsLimitAMinuteUnderConcurrency() throws Exception {
        Budget rated = new Budget("user:hana", 0, 0, 20);
        Instant next = Instant.parse("2026-12-06T10:16:00Z");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<Boolean>> done = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            done.add(pool.submit(() -> {
                try {
                    store.admitAndReserve(List.of(rated), DAY, "2026-12-06T10:15", 0, 0, RESETS, next);
                    return true;
                } catch (BudgetRefused refused) {
                    assertThat(refused.getMessage()).contains("the request rate of user:hana is at its limit: 20 requests a minute")
                            .contains("the next minute starts at 2026-12-06T10:16:00Z");
                    return false;
                }
            }));
        }
        int admitted = 0;
        for (Future<Boolean> f : done) if (f.get()) admitted++;
        pool.shutdown();
        assertThat(admitted).isEqualTo(20);
        store.admitAndReserve(List.of(rated), DAY, "2026-12-06T10:16", 0, 0, RESETS, next.plusSeconds(60)); // the next minute counts afresh
    }

    @Test
    void theRequestCountAndTheReservationAreOneStep() {
        Budget both = new Budget("user:ines", 100_000, 0, 2);
        Instant next = Instant.parse("2026-12-06T10:16:00Z");
        store.admitAndReserve(List.of(both), DAY, "2026-12-06T10:15", 10_000, 0, RESETS, next);
        store.admitAndReserve(List.of(both), DAY, "2026-12-06T10:15", 10_000, 0, RESETS, next);
        // the third request this minute: refused by the rate, and nothing is held for it
        assertThatThrownBy(() -> store.admitAndReserve(List.of(both), DAY, "2026-12-06T10:15", 10_000, 0, RESETS, next))
                .isInstanceOf(BudgetRefused.class).hasMessageContaining("2 requests a minute (2 this minute)");
        assertThat(store.usage("user:ines", DAY).tokens()).isEqualTo(20_000);
        // refused by the tokens: not counted against the rate either
        assertThatThrownBy(() -> store.admitAndReserve(List.of(both), DAY, "2026-12-06T10:16", 90_000, 0, RESETS, next.plusSeconds(60)))
                .isInstanceOf(BudgetRefused.class).hasMessageContaining("daily token budget of user:ines");
        store.admitAndReserve(List.of(both), DAY, "2026-12-06T10:16", 10_000, 0, RESETS, next.plusSeconds(60));
        store.admitAndReserve(List.of(both), DAY, "2026-12-06T10:16", 10_000, 0, RESETS, next.plusSeconds(60));
        assertThat(store.usage("user:ines", DAY).tokens()).isEqualTo(40_000);
    }

    @Test
    void runSlotsHoldUnderConcurrencyAndALostOneIsTakenBackWhenItsLeaseEnds() throws Exception {
        Instant now = Instant.parse("2026-12-06T10:00:00Z");
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<Integer>> done = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String run = "run-" + i;
            done.add(pool.submit(() -> {
                try {
                    return store.acquire("user:max", 3, run, now, now.plusSeconds(1200));
                } catch (BudgetRefused refused) {
                    assertThat(refused.getMessage()).contains("user:max has 3 runs going on, the most it may have at once (3)");
                    return -1;
                }
            }));
        }
        List<Integer> slots = new ArrayList<>();
        for (Future<Integer> f : done) if (f.get() >= 0) slots.add(f.get());
        pool.shutdown();
        assertThat(slots).containsExactlyInAnyOrder(0, 1, 2);
        // a slot given back is free again; giving back someone else's does nothing
        store.release("user:max", 1, "not-the-holder");
        assertThatThrownBy(() -> store.acquire("user:max", 3, "late", now, now.plusSeconds(1200))).isInstanceOf(BudgetRefused.class);
        // a crashed run never gives its slot back: once its lease ended, the slot is taken over
        assertThat(store.acquire("user:max", 3, "after-crash", now.plusSeconds(1300), now.plusSeconds(2500))).isBetween(0, 2);
    }
}
