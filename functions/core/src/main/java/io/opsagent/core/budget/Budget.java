package io.opsagent.core.budget;

import java.util.Objects;

/**
 * A daily budget of one scope: {@code user:<id>} or {@code project:<name>}. Zero means no limit of that kind.
 *
 * @param scope          whose budget ({@code user:alice})
 * @param tokensPerDay   model tokens (input and output) per UTC day
 * @param microUsdPerDay model cost per UTC day, in millionths of a US dollar (from the price table)
 * @param requestsPerMinute chat requests (agent runs) started per minute
 * @param concurrentRuns    agent runs going on at once
 */
public record Budget(String scope, long tokensPerDay, long microUsdPerDay, int requestsPerMinute, int concurrentRuns) {
    public Budget {
        Objects.requireNonNull(scope, "scope");
        if (!scope.matches("(user|project):[^\\s#]{1,128}")) throw new IllegalArgumentException("bad budget scope '" + scope + "'");
        if (tokensPerDay < 0 || microUsdPerDay < 0 || requestsPerMinute < 0 || concurrentRuns < 0) {
            throw new IllegalArgumentException("a budget cannot be negative");
        }
    }

    public Budget(String scope, long tokensPerDay, long microUsdPerDay) {
        this(scope, tokensPerDay, microUsdPerDay, 0, 0);
    }

    public Budget(String scope, long tokensPerDay, long microUsdPerDay, int requestsPerMinute) {
        this(scope, tokensPerDay, microUsdPerDay, requestsPerMinute, 0);
    }

    /** Whether it limits model use (tokens or cost). */
    public boolean limits() {
        return tokensPerDay > 0 || microUsdPerDay > 0;
    }

    public static long micro(double usd) {
        return Math.round(usd * 1_000_000d);
    }
}
