package io.opsagent.adapters.cloudwatch;

import java.time.Duration;
import java.util.List;

/**
 * Configuration of {@link InsightsLogSource}.
 *
 * @param logGroupNames   the log groups queried (1 to 50), e.g. {@code /aws/containerinsights/<cluster>/application}
 * @param defaultLookback the time range searched when the query gives no {@code from} (ending at {@code to} or now)
 * @param deadline        how long one query may run before it is stopped with StopQuery
 * @param pollInitial     the first wait between GetQueryResults calls (doubled each poll)
 * @param pollMax         the longest wait between GetQueryResults calls
 * @param maxRows         the Insights {@code limit} of log queries (1 to 10,000); the core's LogSearch then
 *                        filters and returns the query's own limit
 */
public record InsightsConfig(List<String> logGroupNames, Duration defaultLookback, Duration deadline,
                             Duration pollInitial, Duration pollMax, int maxRows) {
    /** Most log groups one Insights query may name. */
    public static final int MAX_LOG_GROUPS = 50;

    public InsightsConfig {
        logGroupNames = List.copyOf(logGroupNames);
        if (logGroupNames.isEmpty() || logGroupNames.size() > MAX_LOG_GROUPS) {
            throw new IllegalArgumentException("between 1 and " + MAX_LOG_GROUPS + " log group names are needed, got "
                    + logGroupNames.size());
        }
        for (String g : logGroupNames) {
            if (g == null || g.isBlank() || g.length() > 512) {
                throw new IllegalArgumentException("invalid log group name '" + g + "'");
            }
        }
        positive("default lookback", defaultLookback);
        positive("deadline", deadline);
        positive("initial poll interval", pollInitial);
        positive("maximum poll interval", pollMax);
        if (maxRows < 1 || maxRows > InsightsQueryBuilder.MAX_ROWS) {
            throw new IllegalArgumentException("maxRows must be between 1 and " + InsightsQueryBuilder.MAX_ROWS
                    + ", was " + maxRows);
        }
    }

    /** Defaults: 1 hour lookback, 60 s deadline, polls from 250 ms doubling to 2 s, 10,000 rows. */
    public static InsightsConfig of(List<String> logGroupNames) {
        return new InsightsConfig(logGroupNames, Duration.ofHours(1), Duration.ofSeconds(60),
                Duration.ofMillis(250), Duration.ofSeconds(2), InsightsQueryBuilder.MAX_ROWS);
    }

    /** Reads a comma-separated list of log group names (e.g. the value of {@code OPSAGENT_CLOUDWATCH_LOG_GROUPS}). */
    public static InsightsConfig ofCommaSeparated(String logGroupNames) {
        if (logGroupNames == null) {
            throw new IllegalArgumentException("no log group names configured");
        }
        return of(java.util.Arrays.stream(logGroupNames.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .toList());
    }

    public InsightsConfig withDeadline(Duration d) {
        return new InsightsConfig(logGroupNames, defaultLookback, d, pollInitial, pollMax, maxRows);
    }

    public InsightsConfig withPolling(Duration initial, Duration max) {
        return new InsightsConfig(logGroupNames, defaultLookback, deadline, initial, max, maxRows);
    }

    public InsightsConfig withMaxRows(int rows) {
        return new InsightsConfig(logGroupNames, defaultLookback, deadline, pollInitial, pollMax, rows);
    }

    private static void positive(String what, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, was " + d);
        }
    }
}
