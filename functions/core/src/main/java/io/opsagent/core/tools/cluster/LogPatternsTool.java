package io.opsagent.core.tools.cluster;

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
import java.util.ArrayList;
import java.util.List;

/** {@code log_patterns}: the message patterns of a workload's logs, most severe then most frequent first. */
final class LogPatternsTool extends ClusterTool {
    LogPatternsTool() {
        super(new ToolSpec("log_patterns", "Summarise a workload's logs as message patterns (variable parts as <*>),"
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
        LogSearchResult r = LogSearch.search(c.logs(), b.build());
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
}
