package io.opsagent.core.runs;

import java.time.Instant;

/**
 * Filters for listing runs. {@code user} is required: users see only their own runs.
 *
 * @param status null for any
 * @param source null for any
 * @param from   inclusive lower bound on {@code started}, or null
 * @param to     exclusive upper bound on {@code started}, or null
 * @param limit  page size (1..200)
 * @param cursor from a previous {@link Page#next()}, or null
 */
public record RunQuery(String user, RunStatus status, String source, Instant from, Instant to, int limit,
                       String cursor) {
    public RunQuery {
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("user is required");
        }
        if (limit < 1 || limit > 200) {
            throw new IllegalArgumentException("limit must be between 1 and 200, got " + limit);
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
    }
}
