package io.opsagent.core.logs;

import java.util.List;

/**
 * A log template mined from many lines.
 *
 * @param id          stable id of the group within one miner
 * @param template    the message with variable parts replaced by {@code <*>}
 * @param count       how many lines matched
 * @param firstLine   line number of the first matching line
 * @param lastLine    line number of the last matching line
 * @param firstSeen   timestamp text of the first matching line, or null when the lines carry none
 * @param lastSeen    timestamp text of the last matching line, or null
 * @param level       the most severe level seen among the matching lines
 * @param example     one matching line, as read
 * @param lineNumbers a capped sample of matching line numbers (the first ones), for citations
 */
public record LogPattern(int id, String template, long count, long firstLine, long lastLine, String firstSeen,
                         String lastSeen, LogLevel level, String example, List<Long> lineNumbers) {
    public LogPattern {
        lineNumbers = List.copyOf(lineNumbers);
    }
}
