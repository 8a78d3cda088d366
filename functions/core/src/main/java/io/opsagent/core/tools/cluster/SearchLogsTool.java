package io.opsagent.core.tools.cluster;

import io.opsagent.core.tools.ToolNames;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsagent.core.logs.search.LogMatch;
import io.opsagent.core.logs.search.LogQuery;
import io.opsagent.core.logs.search.LogSearch;
import io.opsagent.core.logs.search.LogSearchResult;
import io.opsagent.core.logs.search.PatternSummary;
import io.opsagent.core.tools.Citation;
import io.opsagent.core.tools.ToolContext;
import io.opsagent.core.tools.ToolInputException;
import io.opsagent.core.tools.ToolResult;
import io.opsagent.core.tools.ToolSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code search_logs}: log lines of a workload's containers by keywords, regex, level and time range. */
final class SearchLogsTool extends ClusterTool {
    SearchLogsTool() {
        super(new ToolSpec(ToolNames.SEARCH_LOGS, "Search the container logs of a workload (current and previous instances)."
                + " All filters must hold: keywords (each must occur, case-insensitive), a regex, a minimum level,"
                + " a time range. Returns a pattern summary of all matches and the matching lines with citations.",
                scoped().strings("keywords", "words that must all occur in the line")
                        .string("regex", "a Java regular expression found anywhere in the line")
                        .enumeration("level", "minimum level", "fatal", "error", "warn", "info", "debug")
                        .string("since", "from this time: 10:00 (UTC), 30m, 2h or an ISO instant")
                        .string("until", "before this time (same forms as since)")
                        .string("pod", "only this pod (exact name, or a prefix ending with *)")
                        .string("container", "only this container")
                        .bool("previous", "true: only the previous (crashed) instance; false: only the current one")
                        .integer("limit", "the most lines returned", 1, 500).build()));
    }

    @Override
    public ToolResult call(ObjectNode args, ToolContext c) {
        Target t = target(args, c);
        Instant now = t.ctx().now();
        LogQuery.Builder b = LogQuery.builder();
        LogScope.apply(t, str(args, "pod"), b);
        b.container(str(args, "container"));
        if (args.hasNonNull("previous")) b.previous(args.get("previous").asBoolean());
        b.keywords(strings(args, "keywords"));
        try {
            b.regex(str(args, "regex"));
            b.minLevel(str(args, "level"));
        } catch (IllegalArgumentException e) {
            throw new ToolInputException(e.getMessage());
        }
        if (str(args, "since") != null) b.from(TimeExpr.parse(str(args, "since"), now));
        if (str(args, "until") != null) b.to(TimeExpr.parse(str(args, "until"), now));
        b.limit(integer(args, "limit", 50));
        LogQuery q;
        try {
            q = b.build();
        } catch (IllegalArgumentException e) {
            throw new ToolInputException(e.getMessage());
        }
        LogSearchResult r = LogSearch.search(c.logs(), q);
        List<Citation> cites = new ArrayList<>();
        ObjectNode data = JSON.createObjectNode();
        data.put("totalMatches", r.totalMatches());
        data.put("logsSearched", r.logsSearched());
        data.put("truncated", r.truncated());
        data.put("query", q.describe());
        ArrayNode matches = data.putArray("matches");
        for (LogMatch m : r.matches()) {
            cites.add(new Citation(m.ref(), "log " + m.pod() + "/" + m.container()));
            ObjectNode o = matches.addObject();
            o.put("ref", m.ref());
            o.put("pod", m.pod());
            o.put("container", m.container());
            o.put("time", m.timestamp() == null ? null : m.timestamp().toString());
            o.put("level", m.level().name());
            o.put("text", m.text());
        }
        ArrayNode patterns = data.putArray("patterns");
        for (PatternSummary p : r.patterns()) {
            ObjectNode o = patterns.addObject();
            o.put("template", p.template());
            o.put("count", p.count());
            o.put("level", p.level().name());
            o.put("firstRef", p.firstRef());
        }
        String summary = r.totalMatches() + " match" + (r.totalMatches() == 1 ? "" : "es")
                + " in " + r.logsSearched() + " logs";
        return ToolResult.ok(r.render(), summary, data, cites);
    }
}
