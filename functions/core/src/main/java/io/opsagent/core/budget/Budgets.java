package io.opsagent.core.budget;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Function;

/**
 * The budgets of model use: before each model call the most the turn can cost (its input estimate plus the output
 * limit, priced by the price table) is reserved against every budget that applies to the user; after it, the
 * reservation is settled to what was used. A refusal happens before the call; a store that cannot be read refuses too
 * (fail closed).
 */
public final class Budgets {
    /** Settlements run here, beside the caller's next model call (each is one store round trip). */
    private static final java.util.concurrent.ExecutorService IO = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "opsagent-budget");
        t.setDaemon(true);
        return t;
    });
    private final BudgetStore store;
    private final Function<String, List<Budget>> budgetsOf;
    private final Clock clock;
    private volatile java.util.function.BiConsumer<Budget, Usage> onUsage;

    /**
     * Told each budget's usage after a hold (where the store says it in the same step): metrics, an alarm at 80%.
     * Returns this.
     */
    public Budgets onUsage(java.util.function.BiConsumer<Budget, Usage> listener) {
        this.onUsage = listener;
        return this;
    }

    /** The share of {@code b} that {@code u} used, 0..1 and more: the larger of tokens and cost; 0 without limits. */
    public static double share(Budget b, Usage u) {
        double t = b.tokensPerDay() > 0 ? (double) u.tokens() / b.tokensPerDay() : 0;
        double c = b.microUsdPerDay() > 0 ? (double) u.microUsd() / b.microUsdPerDay() : 0;
        return Math.max(t, c);
    }

    private void tell(List<Budget> budgets, List<Usage> usages) {
        var l = onUsage;
        if (l == null || usages == null) return;
        for (Usage u : usages) {
            for (Budget b : budgets) {
                if (!b.scope().equals(u.scope()) || !b.limits()) continue;
                try {
                    l.accept(b, u);
                } catch (RuntimeException e) {
                    java.util.logging.Logger.getLogger(Budgets.class.getName()).warning("budget usage not reported: " + e);
                }
            }
        }
    }

    /** @param budgetsOf the budgets that apply to a user (theirs, their projects'); empty: none */
    /** The budgets of the projects covering a namespace (none by default): they cap all use there, whoever asks. */
    private volatile Function<String, List<Budget>> namespaceBudgets = ns -> List.of();

    /** Sets where the budgets of a run's namespace come from (its projects'); returns this. */
    public Budgets withNamespaceBudgets(Function<String, List<Budget>> f) {
        this.namespaceBudgets = f == null ? ns -> List.of() : f;
        return this;
    }

    /** Every budget a run of {@code user} in {@code namespace} (null: none) is held against: theirs, then its projects'. */
    public List<Budget> applying(String user, String namespace) {
        List<Budget> out = new java.util.ArrayList<>(budgetsOf.apply(user));
        if (namespace != null) {
            for (Budget b : namespaceBudgets.apply(namespace)) {
                if (out.stream().noneMatch(x -> x.scope().equals(b.scope()))) out.add(b);
            }
        }
        return out;
    }

    public Budgets(BudgetStore store, Function<String, List<Budget>> budgetsOf, Clock clock) {
        this.store = store;
        this.budgetsOf = budgetsOf;
        this.clock = clock;
    }

    /** The same budget for every user, with at most {@code concurrentRuns} runs going on at once (0: no limit). */
    public static Budgets perUser(BudgetStore store, long tokensPerDay, double usdPerDay, int requestsPerMinute,
                                  int concurrentRuns, Clock clock) {
        return new Budgets(store, user -> List.of(new Budget("user:" + user, tokensPerDay, Budget.micro(usdPerDay),
                requestsPerMinute, concurrentRuns)), clock);
    }

    /** Run slots a run holds; given back when it ends. */
    public record Slots(List<String> scopes, List<Integer> slots, String runId) {
        static final Slots NONE = new Slots(List.of(), List.of(), "");
    }

    /** How long a slot is held at most: a run that never gives it back (a crash) loses it then. */
    public static final java.time.Duration SLOT_LEASE = java.time.Duration.ofMinutes(20);

    /**
     * Takes a run slot of each budget with a concurrent-run limit for {@code runId}, all or none.
     *
     * @throws BudgetRefused (kind {@code concurrent}) when a budget has every slot taken; or the store is unreadable
     */
    public Slots acquire(String user, String runId) {
        return acquire(user, null, runId);
    }

    /** As {@link #acquire(String, String)} for a run in {@code namespace}: its projects' concurrent runs too. */
    public Slots acquire(String user, String namespace, String runId) {
        List<Budget> limited = applying(user, namespace).stream().filter(b -> b.concurrentRuns() > 0).toList();
        if (limited.isEmpty()) return Slots.NONE;
        Instant now = clock.instant();
        List<String> scopes = new java.util.ArrayList<>();
        List<Integer> taken = new java.util.ArrayList<>();
        try {
            for (Budget b : limited) {
                taken.add(store.acquire(b.scope(), b.concurrentRuns(), runId, now, now.plus(SLOT_LEASE)));
                scopes.add(b.scope());
            }
        } catch (RuntimeException e) {
            release(new Slots(scopes, taken, runId));
            if (e instanceof BudgetRefused r) throw r;
            throw unavailable(e);
        }
        return new Slots(List.copyOf(scopes), List.copyOf(taken), runId);
    }

    /** Gives the slots back (a failure is logged: the lease ends on its own). */
    public void release(Slots s) {
        if (s == null) return;
        for (int i = 0; i < s.scopes().size(); i++) {
            try {
                store.release(s.scopes().get(i), s.slots().get(i), s.runId());
            } catch (RuntimeException e) {
                java.util.logging.Logger.getLogger(Budgets.class.getName()).warning("a run slot of " + s.scopes().get(i)
                        + " was not given back; its lease ends on its own: " + e);
            }
        }
    }

    /** The same budget for every user: {@code tokensPerDay} and {@code usdPerDay} (0: no limit of that kind). */
    public static Budgets perUser(BudgetStore store, long tokensPerDay, double usdPerDay, Clock clock) {
        return perUser(store, tokensPerDay, usdPerDay, 0, clock);
    }

    /** As above, with at most {@code requestsPerMinute} chat requests a minute (0: no limit). */
    public static Budgets perUser(BudgetStore store, long tokensPerDay, double usdPerDay, int requestsPerMinute, Clock clock) {
        return perUser(store, tokensPerDay, usdPerDay, requestsPerMinute, 0, clock);
    }

    /** The refusal when the store cannot be read or written: fail closed, naming what went wrong. */
    private static BudgetRefused unavailable(RuntimeException e) {
        return new BudgetRefused(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": "
                + e.getMessage().lines().findFirst().orElse("")));
    }

    /** What one reservation holds, to settle. */
    public record Hold(List<String> scopes, String day, long tokens, long microUsd) {
        static final Hold NONE = new Hold(List.of(), "", 0, 0);
    }

    /**
     * Reserves a turn of at most {@code tokens} costing at most {@code usd} for {@code user}.
     *
     * @throws BudgetRefused naming the budget, its limit, what is used and when it resets; or saying the store is
     *                       unreadable
     */
    public Hold reserve(String user, long tokens, double usd) {
        return reserve(user, null, tokens, usd);
    }

    /** As {@link #reserve(String, long, double)} for a turn in {@code namespace}: its projects' budgets held too. */
    public Hold reserve(String user, String namespace, long tokens, double usd) {
        List<Budget> applies = applying(user, namespace).stream().filter(Budget::limits).toList();
        if (applies.isEmpty()) return Hold.NONE;
        String day = day();
        long micro = Budget.micro(usd);
        try {
            tell(applies, store.reserve(applies, day, tokens, micro, resetsAt()));
        } catch (BudgetRefused refused) {
            throw refused.asking(tokens);
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
        return new Hold(applies.stream().map(Budget::scope).toList(), day, tokens, micro);
    }

    /**
     * {@link #admit} and {@link #reserve} as one atomic step, one store round trip: the request counted against the
     * request rates and the turn's most held against the token and cost budgets, all or none.
     *
     * @throws BudgetRefused naming the rate or the budget; or saying the store is unreadable
     */
    public Hold admitAndReserve(String user, long tokens, double usd) {
        return admitAndReserve(user, null, tokens, usd);
    }

    /** As {@link #admitAndReserve(String, long, double)} for a run in {@code namespace}: its projects' budgets too. */
    public Hold admitAndReserve(String user, String namespace, long tokens, double usd) {
        List<Budget> applies = applying(user, namespace).stream().filter(b -> b.limits() || b.requestsPerMinute() > 0).toList();
        if (applies.isEmpty()) return Hold.NONE;
        Instant now = clock.instant();
        Instant minute = now.truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        String day = day();
        long micro = Budget.micro(usd);
        try {
            tell(applies, store.admitAndReserve(applies, day, minute.toString().substring(0, 16), tokens, micro, resetsAt(),
                    minute.plusSeconds(60)));
        } catch (BudgetRefused refused) {
            throw refused.asking(tokens);
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
        List<String> held = applies.stream().filter(Budget::limits).map(Budget::scope).toList();
        return held.isEmpty() ? Hold.NONE : new Hold(held, day, tokens, micro);
    }

    /** {@link #settle} off the caller's thread; join it before the run's end is reported. */
    public java.util.concurrent.CompletableFuture<Void> settleLater(Hold hold, long tokens, double usd) {
        if (hold == null || hold.scopes().isEmpty()) return java.util.concurrent.CompletableFuture.completedFuture(null);
        return java.util.concurrent.CompletableFuture.runAsync(() -> settle(hold, tokens, usd), IO);
    }

    /** Replaces {@code hold} by what the turn used. A failure is logged: the reservation stays (over-counting, never under). */
    public void settle(Hold hold, long tokens, double usd) {
        if (hold == null || hold.scopes().isEmpty()) return;
        try {
            store.settle(hold.scopes(), hold.day(), tokens - hold.tokens(), Budget.micro(usd) - hold.microUsd());
        } catch (RuntimeException e) {
            java.util.logging.Logger.getLogger(Budgets.class.getName()).warning("a budget reservation could not be"
                    + " settled; it stays held until the day ends: " + e);
        }
    }

    /** Each budget that applies to {@code user}, with today's usage. */
    public List<Status> status(String user) {
        String day = day();
        return budgetsOf.apply(user).stream().map(b -> new Status(b, store.usage(b.scope(), day), resetsAt())).toList();
    }

    /** {@code budget} with today's usage (a project's, for its admins). */
    public Status status(Budget budget) {
        return new Status(budget, store.usage(budget.scope(), day()), resetsAt());
    }

    /** A budget with today's usage and when it resets. */
    public record Status(Budget budget, Usage usage, Instant resetsAt) {
    }

    private String day() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).toString();
    }

    private Instant resetsAt() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
