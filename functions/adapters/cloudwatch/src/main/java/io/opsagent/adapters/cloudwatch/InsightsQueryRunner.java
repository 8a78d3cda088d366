package io.opsagent.adapters.cloudwatch;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.QueryStatus;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResultField;
import software.amazon.awssdk.services.cloudwatchlogs.model.StartQueryResponse;

/**
 * Runs one Logs Insights query: StartQuery over the configured log groups, then GetQueryResults with exponential
 * backoff until a terminal status (Complete, Failed, Cancelled, Timeout, Unknown) or the deadline, after which the
 * query is stopped with StopQuery and the rows seen so far are returned as partial. Throttling is retried: the
 * SDK's retry policy retries ThrottlingException; a throttled call that still fails (ThrottlingException,
 * LimitExceededException — e.g. the 30 concurrent queries per account) is retried here with the same exponential
 * backoff as polling, until the deadline.
 */
public final class InsightsQueryRunner {
    /** Shortest time given to one call, even when the deadline is nearer. */
    static final Duration MIN_CALL_TIMEOUT = Duration.ofMillis(200);

    private final CloudWatchLogsClient client;
    private final InsightsConfig config;

    public InsightsQueryRunner(CloudWatchLogsClient client, InsightsConfig config) {
        this.client = Objects.requireNonNull(client, "client");
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * Runs {@code queryString} over {@code [start, end)} returning at most {@code limit} rows.
     *
     * @throws InsightsQueryException when a call to CloudWatch Logs fails (after the SDK's retries)
     */
    public InsightsResult run(String queryString, Instant start, Instant end, int limit) {
        long deadline = System.nanoTime() + config.deadline().toNanos();
        String queryId = startWithRetry(queryString, start, end, limit, deadline);
        Duration wait = config.pollInitial();
        GetQueryResultsResponse last = null;
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return stopAtDeadline(queryId, queryString, last, limit);
            }
            if (!sleep(Math.min(wait.toNanos(), left))) {
                stopQuietly(queryId);
                throw new InsightsQueryException("interrupted while waiting for Logs Insights query " + queryId
                        + "; the query was stopped");
            }
            GetQueryResultsResponse r = results(queryId, deadline);
            if (r != null) {
                last = r;
                QueryStatus status = last.status();
                if (status != QueryStatus.RUNNING && status != QueryStatus.SCHEDULED) {
                    return result(queryId, queryString, last, limit, false);
                }
            }
            wait = next(wait);
        }
    }

    private Duration next(Duration wait) {
        Duration n = wait.multipliedBy(2);
        return n.compareTo(config.pollMax()) > 0 ? config.pollMax() : n;
    }

    private String startWithRetry(String queryString, Instant start, Instant end, int limit, long deadline) {
        Duration wait = config.pollInitial();
        while (true) {
            try {
                return start(queryString, start, end, limit, deadline);
            } catch (InsightsQueryException e) {
                long left = deadline - System.nanoTime();
                if (!throttled(e.getCause()) || left <= wait.toNanos()) {
                    throw e;
                }
                if (!sleep(wait.toNanos())) {
                    throw new InsightsQueryException("interrupted while retrying StartQuery", e);
                }
                wait = next(wait);
            }
        }
    }

    /** True for throttling errors: the SDK's own classification, ThrottlingException or LimitExceededException. */
    static boolean throttled(Throwable t) {
        if (!(t instanceof AwsServiceException e)) {
            return false;
        }
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        return e.isThrottlingException() || "ThrottlingException".equals(code)
                || "LimitExceededException".equals(code);
    }

    private String start(String queryString, Instant start, Instant end, int limit, long deadline) {
        StartQueryResponse r;
        Duration timeout = callTimeout(deadline);
        try {
            r = client.startQuery(b -> b.logGroupNames(config.logGroupNames()).queryString(queryString)
                    .startTime(start.getEpochSecond()).endTime(endSeconds(end)).limit(limit)
                    .overrideConfiguration(o -> o.apiCallTimeout(timeout)));
        } catch (SdkException e) {
            throw new InsightsQueryException("CloudWatch Logs StartQuery failed for log groups "
                    + config.logGroupNames() + ": " + e.getMessage(), e);
        }
        if (r.queryId() == null || r.queryId().isBlank()) {
            throw new InsightsQueryException("CloudWatch Logs StartQuery returned no query id");
        }
        return r.queryId();
    }

    /** End of range in epoch seconds, rounded up so the whole last second is covered. */
    static long endSeconds(Instant end) {
        return end.getNano() == 0 ? end.getEpochSecond() : end.getEpochSecond() + 1;
    }

    /**
     * Each call may take at most the time left before the deadline (at least {@link #MIN_CALL_TIMEOUT}), so a hung
     * endpoint cannot hold the caller past it.
     */
    private static Duration callTimeout(long deadline) {
        Duration left = Duration.ofNanos(deadline - System.nanoTime());
        return left.compareTo(MIN_CALL_TIMEOUT) < 0 ? MIN_CALL_TIMEOUT : left;
    }

    /** Timeout of the StopQuery and final GetQueryResults calls made once the deadline has passed. */
    private Duration cleanupTimeout() {
        Duration max = Duration.ofSeconds(5);
        return config.deadline().compareTo(max) < 0 ? config.deadline() : max;
    }

    /**
     * The query's results, or null when the call was throttled or ran out of time (the caller polls again, or
     * stops the query at the deadline).
     */
    private GetQueryResultsResponse results(String queryId, long deadline) {
        Duration timeout = callTimeout(deadline);
        try {
            return client.getQueryResults(b -> b.queryId(queryId).overrideConfiguration(o -> o.apiCallTimeout(timeout)));
        } catch (SdkException e) {
            if (throttled(e) || e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
                return null;
            }
            stopQuietly(queryId);
            throw new InsightsQueryException("CloudWatch Logs GetQueryResults failed for query " + queryId + ": "
                    + e.getMessage(), e);
        }
    }

    private InsightsResult stopAtDeadline(String queryId, String queryString, GetQueryResultsResponse last, int limit) {
        stopQuietly(queryId);
        GetQueryResultsResponse partial = last;
        try {
            Duration timeout = cleanupTimeout();
            partial = client.getQueryResults(b -> b.queryId(queryId)
                    .overrideConfiguration(o -> o.apiCallTimeout(timeout)));
        } catch (SdkException e) {
            // keep the rows of the last poll
        }
        if (partial == null) {
            return new InsightsResult(queryId, queryString, "Running", List.of(), 0, false, true);
        }
        return result(queryId, queryString, partial, limit, true);
    }

    private void stopQuietly(String queryId) {
        try {
            Duration timeout = cleanupTimeout();
            client.stopQuery(b -> b.queryId(queryId).overrideConfiguration(o -> o.apiCallTimeout(timeout)));
        } catch (SdkException e) {
            // the query may have ended meanwhile; nothing else to do
        }
    }

    private static InsightsResult result(String queryId, String queryString, GetQueryResultsResponse r, int limit,
                                         boolean stopped) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (List<ResultField> row : r.results()) {
            Map<String, String> m = new LinkedHashMap<>();
            for (ResultField f : row) {
                if (f.field() != null && f.value() != null) {
                    m.put(f.field(), f.value());
                }
            }
            rows.add(m);
        }
        double matched = r.statistics() == null || r.statistics().recordsMatched() == null
                ? rows.size() : r.statistics().recordsMatched();
        boolean capped = rows.size() >= limit && matched > rows.size();
        return new InsightsResult(queryId, queryString, r.statusAsString(), rows, matched, capped, stopped);
    }

    /** Sleeps; false when interrupted (the interrupt flag is kept). */
    private static boolean sleep(long nanos) {
        try {
            Thread.sleep(Math.max(1, nanos / 1_000_000), 0);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
