package io.opsagent.core.runs;

import java.time.Instant;

/**
 * One message of a session's history.
 *
 * @param seq   1-based position in the session
 * @param role  user | assistant
 * @param runId the run that produced (assistant) or answered (user) it, or null
 */
public record Message(String sessionId, int seq, String role, String text, String runId, Instant at) {
}
