package io.opsagent.core.runs;

import java.util.Map;

/** Aggregates over the runs a {@link RunQuery} selects (ignoring its limit and cursor). */
public record RunStats(long total, Map<String, Long> byStatus, Map<String, Long> bySource, Long p50DurationMs,
                       Long p95DurationMs, long inputTokens, long outputTokens, double cost) {
}
