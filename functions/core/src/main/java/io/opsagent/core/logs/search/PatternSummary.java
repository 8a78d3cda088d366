package io.opsagent.core.logs.search;

import io.opsagent.core.logs.LogLevel;
import java.time.Instant;

/**
 * A pattern among the matches of a search.
 *
 * @param id        pattern id (matches carry it in {@link LogMatch#patternId()})
 * @param template  the message template, variable parts as {@code <*>}
 * @param count     how many matching lines have this pattern
 * @param level     the most severe level among them
 * @param firstRef  citation of the first matching line with this pattern
 * @param lastRef   citation of the last one
 * @param firstSeen time of the first one, or null when unknown
 * @param lastSeen  time of the last one, or null
 */
public record PatternSummary(int id, String template, long count, LogLevel level, String firstRef, String lastRef,
                             Instant firstSeen, Instant lastSeen) {
}
