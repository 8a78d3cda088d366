package io.opsagent.adapters.cloudwatch;

import java.util.List;
import java.util.Map;

/**
 * What one Logs Insights query returned.
 *
 * @param queryId        the Insights query id
 * @param queryString    the query as sent
 * @param status         the last status seen (Complete, Failed, Cancelled, Timeout, Unknown, or Running/Scheduled
 *                       when stopped at the deadline)
 * @param rows           the result rows, each field name to value (Insights order: as sorted by the query)
 * @param recordsMatched the number of records matched according to the query statistics (may exceed rows)
 * @param capped         true when the row limit was reached and more records matched than were returned
 * @param stoppedAtDeadline true when the deadline passed and the query was stopped (rows are partial)
 */
public record InsightsResult(String queryId, String queryString, String status, List<Map<String, String>> rows,
                             double recordsMatched, boolean capped, boolean stoppedAtDeadline) {
    public InsightsResult {
        rows = List.copyOf(rows);
    }

    /** True when the query completed (possibly capped). */
    public boolean complete() {
        return "Complete".equals(status) && !stoppedAtDeadline;
    }
}
