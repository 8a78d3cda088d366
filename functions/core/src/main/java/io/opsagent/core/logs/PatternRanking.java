package io.opsagent.core.logs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Orders patterns by how interesting they are to someone looking for a problem: errors (and fatal) first, then
 * warnings, then everything else; within each, rare patterns before frequent ones, then by first appearance.
 * The pattern of blank lines (empty template) comes last.
 */
public final class PatternRanking {
    /** The ranking order described above. */
    public static final Comparator<LogPattern> BY_INTEREST = Comparator
            .comparing((LogPattern p) -> p.template().isEmpty())
            .thenComparingInt(p -> levelRank(p.level()))
            .thenComparingLong(LogPattern::count)
            .thenComparingLong(LogPattern::firstLine)
            .thenComparingInt(LogPattern::id);

    private PatternRanking() {
    }

    /** 0 for fatal and error, 1 for warnings, 2 for everything else. */
    static int levelRank(LogLevel level) {
        return switch (level) {
            case FATAL, ERROR -> 0;
            case WARN -> 1;
            default -> 2;
        };
    }

    /** A new list of {@code patterns} ranked by interest, at most {@code limit} of them (0 or less: all). */
    public static List<LogPattern> rank(List<LogPattern> patterns, int limit) {
        List<LogPattern> out = new ArrayList<>(patterns);
        out.sort(BY_INTEREST);
        return limit > 0 && out.size() > limit ? new ArrayList<>(out.subList(0, limit)) : out;
    }
}
