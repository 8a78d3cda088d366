package io.opsagent.core.budget;

import java.time.Instant;
import java.util.Locale;

/**
 * A model call refused before it was made: which budget, its limit, what is used, and when it resets. The message says
 * all of it. {@code runId} is the run recorded as refused, once there is one.
 */
public class BudgetRefused extends RuntimeException {
    private final String scope;
    private final String kind;
    private final long limit;
    private final long used;
    private final Instant resetsAt;
    private volatile String runId;
    private volatile long asked;

    public BudgetRefused(String scope, String kind, long limit, long used, Instant resetsAt) {
        super(message(scope, kind, limit, used, resetsAt));
        this.scope = scope;
        this.kind = kind;
        this.limit = limit;
        this.used = used;
        this.resetsAt = resetsAt;
    }

    /** The budget store could not be read: fail closed, no model call. */
    public BudgetRefused(String why) {
        super("no model call was made: the budget store cannot be read (" + why + "), and OpsAgent does not spend"
                + " without knowing the budget");
        this.scope = null;
        this.kind = "unavailable";
        this.limit = 0;
        this.used = 0;
        this.resetsAt = null;
    }

    private static String message(String scope, String kind, long limit, long used, Instant resetsAt) {
        if (kind.equals("concurrent")) {
            return scope + " has " + used + " runs going on, the most it may have at once (" + limit
                    + "); send this again once one has ended. No model call was made.";
        }
        if (kind.equals("requests")) {
            return "the request rate of " + scope + " is at its limit: " + limit + " requests a minute (" + used
                    + " this minute); the next minute starts at " + resetsAt + ". No model call was made.";
        }
        String what = kind.equals("tokens") ? "daily token budget" : "daily cost budget";
        String l = kind.equals("tokens") ? limit + " tokens" : usd(limit);
        String u = kind.equals("tokens") ? used + " tokens" : usd(used);
        return "the " + what + " of " + scope + " is spent: " + u + " of " + l + " used today; it resets at " + resetsAt
                + " (UTC midnight). No model call was made.";
    }

    static String usd(long micro) {
        return String.format(Locale.ROOT, "$%.4f", micro / 1_000_000d);
    }

    public String scope() {
        return scope;
    }

    /** {@code tokens}, {@code cost}, {@code requests}, {@code concurrent} or {@code unavailable}. */
    public String kind() {
        return kind;
    }

    public long limit() {
        return limit;
    }

    public long used() {
        return used;
    }

    public Instant resetsAt() {
        return resetsAt;
    }

    public String runId() {
        return runId;
    }

    /** The tokens the refused turn asked to hold (0 when unknown). */
    public long asked() {
        return asked;
    }

    public BudgetRefused asking(long tokens) {
        this.asked = tokens;
        return this;
    }

    public BudgetRefused withRun(String id) {
        this.runId = id;
        return this;
    }
}
