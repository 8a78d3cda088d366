package io.opsagent.adapters.cloudwatch;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
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
            sleep(Math.min(wait.toNanos(), left));
            GetQueryResultsResponse r = results(queryId);
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
                return start(queryString, start, end, limit);
            } catch (InsightsQueryException e) {
                long left = deadline - System.nanoTime();
                if (!throttled(e.getCause()) || left <= wait.toNanos()) {
                    throw e;
                }
                sleep(wait.toNanos());
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

    private String start(String queryString, Instant start, Instant end, int limit) {
        StartQueryResponse r;
        try {
            r = client.startQuery(b -> b.logGroupNames(config.logGroupNames()).queryString(queryString)
                    .startTime(start.getEpochSecond()).endTime(endSeconds(end)).limit(limit));
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

    /** The query's results, or null when the call was throttled (the caller polls again later). */
    private GetQueryResultsResponse results(String queryId) {
        try {
            return client.getQueryResults(b -> b.queryId(queryId));
        } catch (SdkException e) {
            if (throttled(e)) {
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
            partial = client.getQueryResults(b -> b.queryId(queryId));
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
            client.stopQuery(b -> b.queryId(queryId));
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

    private static void sleep(long nanos) {
        try {
            Thread.sleep(Math.max(1, nanos / 1_000_000), 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InsightsQueryException("interrupted while waiting for a Logs Insights query", e);
        }
    }
}
