package io.opsagent.core.logs.search;

import io.opsagent.core.cluster.ContainerLog;
import io.opsagent.core.cluster.LogLine;
import io.opsagent.core.logs.LogLevel;
import io.opsagent.core.logs.LogPattern;
import io.opsagent.core.logs.PatternMiner;
import io.opsagent.core.redact.Redactor;
import io.opsagent.core.util.Tokens;
import java.time.Instant;
import java.time.Year;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Searches logs: keyword, regex, level and time-range filters over a {@link LogSource}, returning the matching lines
 * with their citations and a pattern summary of all matches, within the query's token budget.
 *
 * <p>Budget policy: the header and the pattern summary come first (patterns most severe, then most frequent,
 * first; at least one, at most {@link #MAX_PATTERNS} and about 40% of the budget), then matching lines chosen most severe
 * pattern first, one example per pattern before any second one (a pattern's first line, then its last, then the
 * others), up to the query's limit and the remaining budget; they are returned in log order. A note says what was
 * left out and why. Repeats go to the most severe level first: every FATAL pattern's further lines (round-robin)
 * before any ERROR pattern's second line, and so on.
 *
 * <p>Each line's timestamp is read at its start ({@link LogTimestamps}); a line without one inherits the previous
 * line's (stack-trace continuation). With a time filter, lines with no known time do not match. A line without a
 * level of its own inherits the level of the line above when it continues a record: it has no timestamp in a log
 * whose earlier lines have one, or it is indented / starts with {@code Caused by:}.
 */
public final class LogSearch {
    private LogSearch() {
    }

    /** Longest line text returned; longer lines are cut with a {@code … [+N chars]} marker. */
    public static final int MAX_LINE_CHARS = 500;
    /** Results leave core (to a model, the screen, storage): every line and template is redacted. */
    private static final Redactor REDACTOR = new Redactor();
    /** Most patterns listed in the summary. */
    public static final int MAX_PATTERNS = 20;

    private static final double PATTERN_SHARE = 0.4;
    /** How far up a line without a timestamp looks for the one it inherits. */
    private static final int LOOK_BACK = 500;

    /** Runs {@code query} over {@code source}. */
    public static LogSearchResult search(LogSource source, LogQuery query) {
        Collector c = new Collector(query);
        try (Stream<ContainerLog> logs = source.logs(query)) {
            logs.filter(query::matchesScope).forEach(c::scan);
        }
        return c.result();
    }

    /** One matching line before selection. */
    private record Hit(int seq, ContainerLog log, LogLine line, Instant time, LogLevel level, int rawPattern) {
    }

    /** Scans logs and keeps every hit (a hit is small: it points at the line already in memory). */
    private static final class Collector {
        private final LogQuery q;
        private final PatternMiner miner = new PatternMiner();
        private final List<Hit> hits = new ArrayList<>();
        private int logs;
        private long untimed;

        Collector(LogQuery q) {
            this.q = q;
        }

        void scan(ContainerLog log) {
            logs++;
            int year = q.from() != null ? q.from().atZone(ZoneOffset.UTC).getYear()
                    : q.to() != null ? q.to().atZone(ZoneOffset.UTC).getYear() : Year.now(ZoneOffset.UTC).getValue();
            List<LogLine> lines = log.lines();
            LineFacts facts = null; // worked out once per log (and year), on the first line that passes the text filter
            for (int i = 0; i < lines.size(); i++) {
                String text = lines.get(i).text();
                // cheap text filters first; time and level are only looked up for lines that pass them
                if (!q.matchesText(text)) {
                    continue;
                }
                if (facts == null) facts = LineFacts.of(log, year, LOOK_BACK);
                Instant time = facts.time[i];
                LogLevel level = facts.level[i];
                if (!matchesLevelAndTime(time, level)) {
                    continue;
                }
                int seq = hits.size() + 1;
                int pattern = miner.add(messageOf(text, facts.headerEnd[i]), seq, time == null ? null : time.toString());
                hits.add(new Hit(seq, log, lines.get(i), time, level, pattern));
            }
        }

        private boolean matchesLevelAndTime(Instant time, LogLevel level) {
            if (q.minLevel() != null && !level.atLeast(q.minLevel())) {
                return false;
            }
            if (q.from() != null || q.to() != null) {
                if (time == null) {
                    untimed++;
                    return false;
                }
                return (q.from() == null || !time.isBefore(q.from())) && (q.to() == null || time.isBefore(q.to()));
            }
            return true;
        }

        LogSearchResult result() {
            return new Selector(q, logs, hits, miner, untimed).select();
        }
    }

    /** Chooses the patterns and lines that fit the budget. */
    private static final class Selector {
        private final LogQuery q;
        private final int logs;
        private final List<Hit> hits;
        private final PatternMiner miner;
        private final long untimed;

        Selector(LogQuery q, int logs, List<Hit> hits, PatternMiner miner, long untimed) {
            this.q = q;
            this.logs = logs;
            this.hits = hits;
            this.miner = miner;
            this.untimed = untimed;
        }

        LogSearchResult select() {
            // group hits by their final pattern (groups may have merged after a line was added)
            Map<Integer, List<Hit>> groups = new LinkedHashMap<>();
            for (Hit h : hits) {
                groups.computeIfAbsent(miner.currentId(h.rawPattern()), k -> new ArrayList<>()).add(h);
            }
            Map<Integer, String> templates = new HashMap<>();
            for (LogPattern p : miner.patterns()) {
                templates.put(p.id(), p.template());
            }
            List<PatternSummary> all = new ArrayList<>();
            for (Map.Entry<Integer, List<Hit>> e : groups.entrySet()) {
                all.add(summary(e.getKey(), e.getValue(), templates));
            }
            all.sort(Comparator.comparingInt((PatternSummary p) -> severity(p.level()))
                    .thenComparing(Comparator.comparingLong(PatternSummary::count).reversed())
                    .thenComparingInt(PatternSummary::id));

            int budget = q.tokenBudget();
            int used = Tokens.estimate(LogSearchRenderer.header(q, hits.size(), logs, all.size()) + "\n");
            used += noteReserve();
            // patterns: capped in number and share of the budget
            List<PatternSummary> shown = new ArrayList<>();
            int patternBudget = (int) (budget * PATTERN_SHARE);
            int patternCost = all.isEmpty() ? 0
                    : Tokens.estimate(LogSearchRenderer.patternsHeader(all.size(), all.size()) + "\n");
            for (PatternSummary p : all) {
                int cost = Tokens.estimate(LogSearchRenderer.pattern(p) + "\n");
                boolean overShare = !shown.isEmpty() && patternCost + cost > patternBudget;
                if (shown.size() >= MAX_PATTERNS || overShare || used + patternCost + cost > budget) {
                    break;
                }
                shown.add(p);
                patternCost += cost;
            }
            used += patternCost;
            // matches: severity first, one per pattern per round
            List<Chosen> picked = new ArrayList<>();
            int matchHeader = Tokens.estimate(LogSearchRenderer.matchesHeader(hits.size(), hits.size()) + "\n");
            if (used + matchHeader < budget) {
                used += matchHeader;
                chooseMatches(all, groups, budget - used, picked);
            }
            picked.sort(Comparator.comparingInt(Chosen::seq));
            List<LogMatch> chosen = new ArrayList<>(picked.stream().map(Chosen::match).toList());
            String note = note(chosen.size(), shown.size(), all.size());
            LogSearchResult r = build(shown, all.size(), chosen, note);
            // the estimate of the whole text never exceeds the sum of the parts; this loop is a safety net
            while (r.estimatedTokens() > budget && !r.matches().isEmpty()) {
                chosen.remove(chosen.size() - 1);
                r = build(shown, all.size(), chosen, note(chosen.size(), shown.size(), all.size()));
            }
            return r;
        }

        /** A selected line and its position among all hits (for log order). */
        private record Chosen(int seq, LogMatch match) {
        }

        private void chooseMatches(List<PatternSummary> order, Map<Integer, List<Hit>> groups, int room,
                                   List<Chosen> chosen) {
            int[] left = {room};
            // round 0: one example of every pattern, most severe first
            for (PatternSummary p : order) {
                if (chosen.size() >= q.limit() || left[0] < 12) {
                    return;
                }
                offer(groups.get(p.id()), 0, p.id(), left, chosen);
            }
            // then repeats, tier by tier (all FATAL patterns' repeats before any ERROR repeat, ...), round-robin
            int from = 0;
            while (from < order.size()) {
                LogLevel tier = order.get(from).level();
                int to = from;
                while (to < order.size() && order.get(to).level() == tier) {
                    to++;
                }
                List<PatternSummary> same = order.subList(from, to);
                int maxSize = same.stream().mapToInt(p -> groups.get(p.id()).size()).max().orElse(0);
                for (int round = 1; round < maxSize; round++) {
                    for (PatternSummary p : same) {
                        if (chosen.size() >= q.limit() || left[0] < 12) {
                            return;
                        }
                        offer(groups.get(p.id()), round, p.id(), left, chosen);
                    }
                }
                from = to;
            }
        }

        private void offer(List<Hit> list, int round, int patternId, int[] left, List<Chosen> chosen) {
            if (round >= list.size()) {
                return;
            }
            Hit h = list.get(pick(round, list.size()));
            LogMatch m = toMatch(h, patternId);
            int cost = Tokens.estimate(LogSearchRenderer.match(m) + "\n");
            if (cost <= left[0]) {
                left[0] -= cost;
                chosen.add(new Chosen(h.seq(), m));
            }
        }

        /** Order within a pattern: its first line, then its last, then the rest in log order. */
        private static int pick(int round, int size) {
            if (round == 0) {
                return 0;
            }
            if (round == 1) {
                return size - 1;
            }
            return round - 1;
        }

        private LogSearchResult build(List<PatternSummary> shown, int totalPatterns, List<LogMatch> chosen, String note) {
            boolean truncated = chosen.size() < hits.size() || shown.size() < totalPatterns;
            return new LogSearchResult(q, logs, hits.size(), chosen, shown, totalPatterns, truncated, note);
        }

        private int noteReserve() {
            String widest = note(0, 0, Math.max(hits.size(), 1));
            return Tokens.estimate(LogSearchRenderer.note(widest) + "\n") + 4;
        }

        private String note(int shownMatches, int shownPatterns, int totalPatterns) {
            List<String> parts = new ArrayList<>();
            long leftOut = hits.size() - (long) shownMatches;
            if (leftOut > 0) {
                String why = shownMatches >= q.limit() ? "the limit of " + q.limit() + " lines"
                        : "the " + q.tokenBudget() + "-token budget";
                parts.add(leftOut + " of " + hits.size() + " matching lines left out to respect " + why
                        + " (shown: most severe first, one per pattern before repeats)");
            }
            if (shownPatterns < totalPatterns) {
                parts.add((totalPatterns - shownPatterns) + " of " + totalPatterns + " patterns not listed");
            }
            if (untimed > 0) {
                parts.add(untimed + " lines without a known time were skipped by the time filter");
            }
            return String.join("; ", parts);
        }

        private PatternSummary summary(int id, List<Hit> group, Map<Integer, String> templates) {
            Hit first = group.get(0);
            Hit last = group.get(group.size() - 1);
            LogLevel level = LogLevel.UNKNOWN;
            for (Hit h : group) {
                if (severity(h.level()) < severity(level)) {
                    level = h.level();
                }
            }
            String template = templates.getOrDefault(id, messageOf(first.line().text(), 0));
            return new PatternSummary(id, REDACTOR.redact(template.strip()), group.size(), level, first.log().ref(first.line()),
                    last.log().ref(last.line()), first.time(), last.time());
        }

        private static LogMatch toMatch(Hit h, int patternId) {
            ContainerLog log = h.log();
            return new LogMatch(log.ref(h.line()), log.namespace(), log.pod(), log.container(), log.previous(),
                    h.line().number(), h.time(), h.level(), cut(REDACTOR.redact(h.line().text())), patternId);
        }
    }

    /** Lower is more severe; UNKNOWN last. */
    private static int severity(LogLevel l) {
        return l.ordinal();
    }

    static String cut(String text) {
        if (text.length() <= MAX_LINE_CHARS) {
            return text;
        }
        return text.substring(0, MAX_LINE_CHARS) + "… [+" + (text.length() - MAX_LINE_CHARS) + " chars]";
    }

    static LogLevel levelOf(String text) {
        return LineLevel.of(text);
    }

    static boolean isContinuation(String text) {
        if (text.isEmpty()) {
            return false;
        }
        char c = text.charAt(0);
        return c == ' ' || c == '\t' || text.startsWith("Caused by:") || text.startsWith("Suppressed:");
    }

    private static final Pattern LEADING_LEVEL = Pattern.compile(
            "^[\\[(]?(?:FATAL|CRITICAL|ERROR|ERR|WARNING|WARN|INFO|NOTICE|DEBUG|TRACE)[\\])]?:?\\s+",
            Pattern.CASE_INSENSITIVE);

    /** The message part of a line: without the leading timestamp and level word. */
    static String messageOf(String text, int headerEnd) {
        String m = text.substring(Math.min(headerEnd, text.length())).strip();
        Matcher l = LEADING_LEVEL.matcher(m);
        if (l.find()) {
            m = m.substring(l.end());
        }
        return m.isEmpty() ? text.strip() : m;
    }
}
