package io.opsagent.core.logs.search;

import io.opsagent.core.logs.LogLevel;
import java.util.List;
import java.util.Optional;

/**
 * Optional capability of a {@link LogSource} whose backend computes log patterns itself over every matching event
 * (e.g. the CloudWatch Logs Insights {@code pattern} command), instead of the lines being fetched and mined here.
 */
public interface PatternSource {

    /** One pattern as the backend reports it: template (variable parts {@code <*>}), count, share 0..1, level. */
    record BackendPattern(String template, long count, double ratio, LogLevel level) {
    }

    /** The patterns with where they came from (e.g. "CloudWatch Logs Insights pattern") and notes for the user. */
    record BackendPatterns(List<BackendPattern> patterns, String source, List<String> notes) {
        public BackendPatterns {
            patterns = List.copyOf(patterns);
            notes = List.copyOf(notes);
        }
    }

    /**
     * The patterns of the lines matching {@code query} (scope, level, time range), or empty when the backend could
     * not compute them; then the caller mines the lines itself.
     */
    Optional<BackendPatterns> patterns(LogQuery query);
}
