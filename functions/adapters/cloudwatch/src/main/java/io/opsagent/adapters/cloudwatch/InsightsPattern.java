package io.opsagent.adapters.cloudwatch;

import io.opsagent.core.logs.LogLevel;

/**
 * A log pattern over the matching events.
 *
 * @param template the pattern, variable parts as {@code <*>} (from Insights' {@code @pattern} or the core miner)
 * @param count    how many events have it ({@code @sampleCount}, or the miner's count)
 * @param ratio    its share of the events (Insights' {@code @ratio}, or count / lines for the miner), 0..1
 * @param level    its severity ({@code @severityLabel} read as a level; the miner's most severe level)
 */
public record InsightsPattern(String template, long count, double ratio, LogLevel level) {
}
