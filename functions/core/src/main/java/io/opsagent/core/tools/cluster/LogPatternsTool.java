package io.opsagent.core.tools.cluster;

import io.opsagent.core.tools.ToolNames;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsagent.core.logs.search.LogQuery;
import io.opsagent.core.logs.search.LogSearch;
import io.opsagent.core.logs.search.LogSearchResult;
import io.opsagent.core.logs.search.PatternSummary;
import io.opsagent.core.tools.Citation;
import io.opsagent.core.tools.ToolContext;
import io.opsagent.core.tools.ToolInputException;
import io.opsagent.core.tools.ToolResult;
import io.opsagent.core.tools.ToolSpec;
import io.opsagent.core.logs.search.LogSource;
import io.opsagent.core.logs.search.PatternSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Optional;
import java.util.List;

/** {@code log_patterns}: the message patterns of a workload's logs, most severe then most frequent first. */
final class LogPatternsTool extends ClusterTool {
    LogPatternsTool() {
        super(new ToolSpec(ToolNames.LOG_PATTERNS, "Summarise a workload's logs as message patterns (variable parts as <*>),"
                + " most severe then most frequent first, each with a count and the first and last line cited.",
                scoped().enumeration("level", "only lines at or above this level", "fatal", "error", "warn", "info", "debug")
                        .string("pod", "only this pod").build()));
    }

    @Override
    public ToolResult call(ObjectNode args, ToolContext c) {
        Target t = target(args, c);
        LogQuery.Builder b = LogScope.apply(t, str(args, "pod"), LogQuery.builder()).limit(1);
        try {
            b.minLevel(str(args, "level"));
        } catch (IllegalArgumentException e) {
            throw new ToolInputException(e.getMessage());
        }
        LogQuery query = b.build();
        LogSource logs = c.logs();
        if (logs instanceof PatternSource ps) {
            Optional<PatternSource.BackendPatterns> backend = ps.patterns(query);
            if (backend.isPresent()) return backend(t, backend.get());
        }
        LogSearchResult r = LogSearch.search(logs, query);
        StringBuilder sb = new StringBuilder("Log patterns of " + t.label() + ": " + r.totalPatterns()
                + " patterns over " + r.totalMatches() + " lines in " + r.logsSearched() + " logs\n");
        List<Citation> cites = new ArrayList<>();
        ArrayNode data = JSON.createArrayNode();
        for (PatternSummary p : r.patterns()) {
            sb.append("- ").append(p.count()).append("x ").append(p.level()).append(' ').append(p.template())
                    .append("  [").append(p.firstRef()).append("]\n");
            cites.add(new Citation(p.firstRef(), "first line of pattern " + p.id()));
            ObjectNode o = data.addObject();
            o.put("template", p.template());
            o.put("count", p.count());
            o.put("level", p.level().name());
            o.put("firstRef", p.firstRef());
            o.put("lastRef", p.lastRef());
        }
        if (r.patterns().size() < r.totalPatterns()) {
            sb.append("(").append(r.totalPatterns() - r.patterns().size()).append(" rarer patterns left out)\n");
        }
        return ToolResult.ok(sb.toString(), r.totalPatterns() + " patterns", data, cites);
    }

    /** Most backend patterns listed. */
    static final int MAX_BACKEND_PATTERNS = 30;

    /** Patterns the log backend computed over every matching event (no line citations: it returns none). */
    private static ToolResult backend(Target t, PatternSource.BackendPatterns b) {
        List<PatternSource.BackendPattern> sorted = b.patterns().stream()
                .sorted(Comparator.comparing(PatternSource.BackendPattern::level)
                        .thenComparing(Comparator.comparingLong(PatternSource.BackendPattern::count).reversed()))
                .toList();
        long lines = sorted.stream().mapToLong(PatternSource.BackendPattern::count).sum();
        StringBuilder sb = new StringBuilder("Log patterns of " + t.label() + " (" + b.source() + "): " + sorted.size()
                + " patterns over " + lines + " lines\n");
        ArrayNode data = JSON.createArrayNode();
        for (PatternSource.BackendPattern p : sorted.subList(0, Math.min(MAX_BACKEND_PATTERNS, sorted.size()))) {
            sb.append("- ").append(p.count()).append("x ").append(p.level()).append(' ').append(p.template())
                    .append(String.format(" (%.0f%%)", p.ratio() * 100)).append('\n');
            ObjectNode o = data.addObject();
            o.put("template", p.template());
            o.put("count", p.count());
            o.put("level", p.level().name());
            o.put("ratio", p.ratio());
        }
        if (sorted.size() > MAX_BACKEND_PATTERNS) {
            sb.append("(").append(sorted.size() - MAX_BACKEND_PATTERNS).append(" rarer patterns left out)\n");
        }
        b.notes().forEach(n -> sb.append("Note: ").append(n).append('\n'));
        sb.append("(search_logs with keywords from a pattern returns its lines with citations)\n");
        return ToolResult.ok(sb.toString(), sorted.size() + " patterns (" + b.source() + ")", data, List.of());
    }
}
