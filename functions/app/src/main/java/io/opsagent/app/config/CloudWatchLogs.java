package io.opsagent.app.config;

import io.opsagent.adapters.cloudwatch.InsightsLogSource;
import io.opsagent.adapters.cloudwatch.InsightsPattern;
import io.opsagent.core.cluster.ContainerLog;
import io.opsagent.core.logs.search.LogQuery;
import io.opsagent.core.logs.search.LogSource;
import io.opsagent.core.logs.search.PatternSource;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * CloudWatch Logs Insights as the tools' log source: {@code search_logs} fetches the matching events
 * ({@link InsightsLogSource#logs}); {@code log_patterns} uses the Insights {@code pattern @message} command over every
 * matching event ({@link InsightsLogSource#patterns}), and when that query is not answered the tool fetches and mines
 * the lines itself, with citations.
 */
final class CloudWatchLogs implements LogSource, PatternSource {
    private final InsightsLogSource insights;

    CloudWatchLogs(InsightsLogSource insights) {
        this.insights = insights;
    }

    @Override
    public Stream<ContainerLog> logs(LogQuery query) {
        return insights.logs(query);
    }

    @Override
    public Optional<BackendPatterns> patterns(LogQuery query) {
        // with a text filter Insights would count raw matches (an oracle for masked values): the tool mines the
        // redacted, re-filtered lines instead
        if (Boolean.TRUE.equals(query.previous()) || query.hasTextFilter()) return Optional.empty();
        InsightsLogSource.Patterns p = insights.patterns(query);
        if (!p.fromInsights()) return Optional.empty(); // mined from at most maxRows lines: the tool mines with citations
        return Optional.of(new BackendPatterns(p.patterns().stream().map(CloudWatchLogs::pattern).toList(),
                "CloudWatch Logs Insights pattern", p.notes()));
    }

    private static BackendPattern pattern(InsightsPattern p) {
        return new BackendPattern(p.template(), p.count(), p.ratio(), p.level());
    }

    @Override
    public String describe() {
        return insights.describe();
    }
}
