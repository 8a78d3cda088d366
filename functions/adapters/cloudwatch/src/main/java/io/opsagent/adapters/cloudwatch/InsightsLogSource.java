package io.opsagent.adapters.cloudwatch;

import io.opsagent.core.cluster.ContainerLog;
import io.opsagent.core.redact.Redactor;
import io.opsagent.core.logs.LogLevel;
import io.opsagent.core.logs.LogPattern;
import io.opsagent.core.logs.PatternMiner;
import io.opsagent.core.logs.search.LogQuery;
import io.opsagent.core.logs.search.LogSource;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * {@link LogSource} over CloudWatch Logs Insights for Container Insights / Fluent Bit log groups.
 *
 * <p>The query's scope and filters are pushed down ({@link InsightsQueryBuilder}); its time range becomes the
 * StartQuery range (default: the configured lookback ending now); up to {@link InsightsConfig#maxRows()} newest
 * events are fetched and grouped into {@link ContainerLog}s by {@link InsightsRows} (references
 * {@code cwl:<logGroup>/<logStream>:<n>}). The core's LogSearch re-checks every filter. Logs from CloudWatch are
 * never "previous instance" logs: a query for previous instances only finds nothing.
 *
 * <p>{@link #logs} throws {@link InsightsQueryException} when the query fails, is cancelled, times out or is stopped
 * at the deadline; {@link #search} returns partial results and notes instead (e.g. that results were capped).
 */
public final class InsightsLogSource implements LogSource {
    private static final Redactor REDACTOR = Redactor.standard();
    private final InsightsConfig config;
    private final InsightsQueryRunner runner;
    private final Clock clock;

    public InsightsLogSource(CloudWatchLogsClient client, InsightsConfig config) {
        this(client, config, Clock.systemUTC());
    }

    public InsightsLogSource(CloudWatchLogsClient client, InsightsConfig config, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.runner = new InsightsQueryRunner(client, config);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The logs of one search, with the raw result and notes for the user (capped, partial). */
    public record Fetched(List<ContainerLog> logs, InsightsResult result, List<String> notes) {
        public Fetched {
            logs = List.copyOf(logs);
            notes = List.copyOf(notes);
        }
    }

    /** Patterns of the matching events, and where they came from. */
    public record Patterns(List<InsightsPattern> patterns, boolean fromInsights, List<String> notes) {
        public Patterns {
            patterns = List.copyOf(patterns);
            notes = List.copyOf(notes);
        }
    }

    @Override
    public Stream<ContainerLog> logs(LogQuery query) {
        if (Boolean.TRUE.equals(query.previous())) {
            return Stream.empty(); // CloudWatch events carry no "previous instance" mark: nothing would match
        }
        Fetched f = search(query);
        InsightsResult r = f.result();
        if (!r.complete()) {
            throw new InsightsQueryException(failure(r));
        }
        return f.logs().stream().filter(query::matchesScope);
    }

    /**
     * Runs the log query and returns what came back, also when it did not complete.
     *
     * @throws IllegalArgumentException when the query cannot be expressed safely (see {@link InsightsQueryBuilder})
     * @throws InsightsQueryException   when a call to CloudWatch Logs fails
     */
    public Fetched search(LogQuery query) {
        String q = InsightsQueryBuilder.build(query, config.maxRows());
        Instant[] range = range(query);
        InsightsResult r = runner.run(q, range[0], range[1], config.maxRows());
        List<String> notes = new ArrayList<>();
        if (r.capped()) {
            // Insights matched the filters on raw text: with a text filter its count of matches could reveal a
            // masked value (a probe that matches a password counts more), so it is only given without one
            notes.add(query.hasTextFilter()
                    ? String.format("results capped at %,d rows (the newest) — narrow the time range or filters",
                            config.maxRows())
                    : String.format("results capped at %,d rows (the newest); %,.0f events matched — narrow the"
                            + " time range or filters", config.maxRows(), r.recordsMatched()));
        }
        if (!r.complete()) {
            notes.add(failure(r));
        }
        return new Fetched(InsightsRows.containerLogs(r.rows(), defaultGroup(), query::matchesText), r, notes);
    }

    /**
     * Patterns of the events matching {@code query}, from the Insights {@code pattern @message} command; when that
     * query fails or returns no pattern fields, the events are fetched and mined by the core {@link PatternMiner}.
     */
    public Patterns patterns(LogQuery query) {
        List<String> notes = new ArrayList<>();
        if (query.hasTextFilter()) {
            // Insights' pattern command would count raw lines matching the text filter, an oracle for masked
            // values: mine the fetched lines instead, redacted and filtered again on the redacted text
            Fetched f = search(query);
            notes.addAll(f.notes());
            return new Patterns(mine(f, query), false, notes);
        }
        Instant[] range = range(query);
        try {
            InsightsResult r = runner.run(InsightsQueryBuilder.buildPattern(query), range[0], range[1],
                    InsightsQueryBuilder.MAX_ROWS);
            if (r.complete() && r.rows().stream().allMatch(row -> row.containsKey("@pattern"))) {
                return new Patterns(fromInsights(r.rows()), true, notes);
            }
            notes.add("Insights pattern query " + (r.complete() ? "returned no @pattern field" : failure(r))
                    + "; patterns mined from the fetched lines instead");
        } catch (InsightsQueryException e) {
            notes.add("Insights pattern query failed (" + e.getMessage()
                    + "); patterns mined from the fetched lines instead");
        }
        Fetched f = search(query);
        notes.addAll(f.notes());
        return new Patterns(mine(f, query), false, notes);
    }

    @Override
    public String describe() {
        return "CloudWatch Logs Insights " + config.logGroupNames();
    }

    private static List<InsightsPattern> fromInsights(List<Map<String, String>> rows) {
        List<InsightsPattern> out = new ArrayList<>();
        for (Map<String, String> row : rows) {
            out.add(new InsightsPattern(REDACTOR.redact(row.get("@pattern")), (long) number(row.get("@sampleCount")),
                    number(row.get("@ratio")), level(row.get("@severityLabel"))));
        }
        out.sort((a, b) -> Long.compare(b.count(), a.count()));
        return out;
    }

    /** Patterns of the fetched lines that match the query's text filters once redacted. */
    private static List<InsightsPattern> mine(Fetched f, LogQuery query) {
        PatternMiner miner = new PatternMiner();
        long n = 0;
        for (InsightsRows.Event e : InsightsRows.redactedEvents(f.result().rows(), "?", query::matchesText)) {
            miner.add(e.text(), ++n, null);
        }
        List<InsightsPattern> out = new ArrayList<>();
        for (LogPattern p : miner.patterns()) {
            out.add(new InsightsPattern(p.template(), p.count(), n == 0 ? 0 : (double) p.count() / n, p.level()));
        }
        out.sort((a, b) -> Long.compare(b.count(), a.count()));
        return out;
    }

    private static double number(String s) {
        if (s == null) {
            return 0;
        }
        try {
            return Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static LogLevel level(String label) {
        if (label == null || label.isBlank()) {
            return LogLevel.UNKNOWN;
        }
        try {
            return LogLevel.parse(label);
        } catch (IllegalArgumentException e) {
            return LogLevel.UNKNOWN;
        }
    }

    private Instant[] range(LogQuery query) {
        Instant end = query.to() != null ? query.to() : clock.instant();
        Instant start = query.from() != null ? query.from() : end.minus(config.defaultLookback());
        return new Instant[] {start, end};
    }

    private String defaultGroup() {
        return config.logGroupNames().size() == 1 ? config.logGroupNames().get(0) : "?";
    }

    private String failure(InsightsResult r) {
        if (r.stoppedAtDeadline()) {
            return "Logs Insights query " + r.queryId() + " did not finish within " + config.deadline().toSeconds()
                    + " s and was stopped (StopQuery); " + r.rows().size() + " partial rows";
        }
        return "Logs Insights query " + r.queryId() + " ended with status " + r.status() + " over log groups "
                + config.logGroupNames();
    }
}
