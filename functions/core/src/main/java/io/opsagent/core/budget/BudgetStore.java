package io.opsagent.core.budget;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Port: each scope's usage per UTC day, changed only atomically. {@link #reserve} adds a turn's most it can cost to
 * every budget that applies, all or none, and only if none would pass its limit: concurrent reservations cannot
 * overshoot. {@link #settle} replaces a reservation by what the turn really used.
 */
public interface BudgetStore {
    /**
     * Holds {@code tokens} and {@code microUsd} on {@code day} against each of {@code budgets}.
     *
     * @param resetsAt when the day's budgets reset (for the refusal's message)
     * @return each budget's usage once the hold is in, where the store could say it in the same step (else empty)
     * @throws BudgetRefused naming the first budget that would pass its limit (nothing is held then)
     * @throws RuntimeException when the store cannot be read or written (callers fail closed)
     */
    List<Usage> reserve(List<Budget> budgets, String day, long tokens, long microUsd, Instant resetsAt);

    /** Adds {@code tokens} and {@code microUsd} (negative: gives back) on {@code day} to each scope, unconditionally. */
    void settle(List<String> scopes, String day, long tokens, long microUsd);

    Usage usage(String scope, String day);

    /**
     * Counts one request in {@code minute} ({@code 2026-12-06T10:15}, within {@code day}) against the budgets with a
     * request rate, and holds {@code tokens} and {@code microUsd} against those with limits: one atomic step, all or
     * none, only if no rate and no limit would be passed.
     *
     * @return as {@link #reserve}
     * @throws BudgetRefused (kind {@code requests}, {@code tokens} or {@code cost}) naming the first budget at fault
     */
    List<Usage> admitAndReserve(List<Budget> budgets, String day, String minute, long tokens, long microUsd,
                                Instant resetsAt, Instant nextMinute);

    /**
     * Takes one of {@code limit} run slots of {@code scope} for {@code runId} until {@code expires} (a run that never
     * gives its slot back — a crash — loses it then); returns the slot's number.
     *
     * @throws BudgetRefused (kind {@code concurrent}) when every slot is taken
     */
    int acquire(String scope, int limit, String runId, Instant now, Instant expires);

    /** Gives back slot {@code slot} of {@code scope} if {@code runId} still holds it. */
    void release(String scope, int slot, String runId);

    /** In memory, for tests and the command line's one-off runs. */
    final class InMemory implements BudgetStore {
        private final Map<String, long[]> used = new HashMap<>();

        @Override
        public synchronized List<Usage> reserve(List<Budget> budgets, String day, long tokens, long microUsd, Instant resetsAt) {
            for (Budget b : budgets) {
                long[] u = used.getOrDefault(b.scope() + "#" + day, new long[2]);
                if (b.tokensPerDay() > 0 && u[0] + tokens > b.tokensPerDay()) {
                    throw new BudgetRefused(b.scope(), "tokens", b.tokensPerDay(), u[0], resetsAt);
                }
                if (b.microUsdPerDay() > 0 && u[1] + microUsd > b.microUsdPerDay()) {
                    throw new BudgetRefused(b.scope(), "cost", b.microUsdPerDay(), u[1], resetsAt);
                }
            }
            settle(budgets.stream().map(Budget::scope).toList(), day, tokens, microUsd);
            return budgets.stream().map(b -> usage(b.scope(), day)).toList();
        }

        @Override
        public synchronized void settle(List<String> scopes, String day, long tokens, long microUsd) {
            for (String s : scopes) {
                long[] u = used.computeIfAbsent(s + "#" + day, k -> new long[2]);
                u[0] += tokens;
                u[1] += microUsd;
            }
        }

        private final Map<String, Long> requests = new HashMap<>();
        private final Map<String, Object[]> slots = new HashMap<>(); // scope#i -> [runId, expires]

        @Override
        public synchronized int acquire(String scope, int limit, String runId, Instant now, Instant expires) {
            for (int i = 0; i < limit; i++) {
                Object[] held = slots.get(scope + "#" + i);
                if (held == null || ((Instant) held[1]).isBefore(now)) {
                    slots.put(scope + "#" + i, new Object[] {runId, expires});
                    return i;
                }
            }
            throw new BudgetRefused(scope, "concurrent", limit, limit, null);
        }

        @Override
        public synchronized void release(String scope, int slot, String runId) {
            Object[] held = slots.get(scope + "#" + slot);
            if (held != null && runId.equals(held[0])) slots.remove(scope + "#" + slot);
        }

        @Override
        public synchronized List<Usage> admitAndReserve(List<Budget> budgets, String day, String minute, long tokens,
                                                        long microUsd, Instant resetsAt, Instant nextMinute) {
            // all checks first, then all changes: one atomic step under this lock
            for (Budget b : budgets) {
                long n = requests.getOrDefault(b.scope() + "#" + minute, 0L);
                if (b.requestsPerMinute() > 0 && n >= b.requestsPerMinute()) {
                    throw new BudgetRefused(b.scope(), "requests", b.requestsPerMinute(), n, nextMinute);
                }
            }
            List<Usage> out = reserve(budgets.stream().filter(Budget::limits).toList(), day, tokens, microUsd, resetsAt);
            for (Budget b : budgets) if (b.requestsPerMinute() > 0) requests.merge(b.scope() + "#" + minute, 1L, Long::sum);
            return out;
        }

        @Override
        public synchronized Usage usage(String scope, String day) {
            long[] u = used.get(scope + "#" + day);
            return u == null ? Usage.none(scope, day) : new Usage(scope, day, u[0], u[1]);
        }
    }
}
