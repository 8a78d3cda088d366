package io.opsagent.core.logs.search;

import io.opsagent.core.util.Tokens;
import java.util.List;

/**
 * What a log search found, sized to a token budget.
 *
 * @param query         the query answered
 * @param logsSearched  how many container logs were read
 * @param totalMatches  how many lines matched in all
 * @param matches       the returned lines, in log order (a severity-first spread over patterns when not all fit)
 * @param patterns      the pattern summary of all matches, most severe then most frequent first (capped)
 * @param totalPatterns how many patterns the matches form in all
 * @param truncated     true when matches or patterns were left out (limit or budget)
 * @param note          says what was left out and why; empty when nothing was
 */
public record LogSearchResult(LogQuery query, int logsSearched, long totalMatches, List<LogMatch> matches,
                              List<PatternSummary> patterns, int totalPatterns, boolean truncated, String note) {

    public LogSearchResult {
        matches = List.copyOf(matches);
        patterns = List.copyOf(patterns);
        note = note == null ? "" : note;
    }

    /** The result as plain text, as given to a model or printed; its {@link Tokens#estimate} is within budget. */
    public String render() {
        return LogSearchRenderer.render(this);
    }

    /** Token estimate of {@link #render()}. */
    public int estimatedTokens() {
        return Tokens.estimate(render());
    }
}
