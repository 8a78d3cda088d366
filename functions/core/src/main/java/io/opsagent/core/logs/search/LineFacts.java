package io.opsagent.core.logs.search;

import io.opsagent.core.cluster.ContainerLog;
import io.opsagent.core.cluster.LogLine;
import io.opsagent.core.logs.LogLevel;
import java.time.Instant;
import java.util.List;

/**
 * Each line's time, level and header end in one log, worked out once per log and year ({@link ContainerLog#derived})
 * and shared by every search of it: a log searched by many runs has each line parsed once, and a line without a
 * timestamp finds the one it inherits by index instead of parsing the lines above it again.
 *
 * <p>The rules are {@link LogSearch}'s: a line's own timestamp, else the nearest one at most {@code lookBack} lines
 * above; its own level, else (without a timestamp of its own) the level of the nearest line above, within
 * {@code lookBack}, that has a level or a timestamp, when that line is timed or this one is a continuation.
 */
final class LineFacts {
    /** Own or inherited time; null when none is known. */
    final Instant[] time;
    /** Own or inherited level. */
    final LogLevel[] level;
    /** Where the line's own timestamp ends; 0 without one. */
    final int[] headerEnd;

    private LineFacts(int n) {
        time = new Instant[n];
        level = new LogLevel[n];
        headerEnd = new int[n];
    }

    private record Key(int year) {
    }

    /** The facts of {@code log}'s lines, for timestamps without a year read as {@code year}. */
    static LineFacts of(ContainerLog log, int year, int lookBack) {
        return log.derived(new Key(year), l -> compute(l.lines(), year, lookBack));
    }

    private static LineFacts compute(List<LogLine> lines, int year, int lookBack) {
        LineFacts f = new LineFacts(lines.size());
        Instant lastTime = null;
        int lastTimed = Integer.MIN_VALUE;      // the nearest line above with a timestamp of its own
        int lastMarked = Integer.MIN_VALUE;     // the nearest line above with a level or a timestamp of its own
        LogLevel lastMarkedLevel = LogLevel.UNKNOWN;
        boolean lastMarkedTimed = false;
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i).text();
            LogTimestamps.Parsed own = LogTimestamps.parse(text, year);
            LogLevel raw = LogSearch.levelOf(text);
            f.headerEnd[i] = own == null ? 0 : own.end();
            f.time[i] = own != null ? own.instant() : i - lastTimed <= lookBack ? lastTime : null;
            LogLevel level = raw;
            if (raw == LogLevel.UNKNOWN && own == null) {
                level = i - lastMarked <= lookBack && (lastMarkedTimed || LogSearch.isContinuation(text))
                        ? lastMarkedLevel : LogLevel.UNKNOWN;
            }
            f.level[i] = level;
            if (own != null) {
                lastTimed = i;
                lastTime = own.instant();
            }
            if (own != null || raw != LogLevel.UNKNOWN) {
                lastMarked = i;
                lastMarkedLevel = raw;
                lastMarkedTimed = own != null;
            }
        }
        return f;
    }
}
