package io.opsagent.core.runs;

import java.time.Instant;
import java.util.Objects;

/**
 * One agent run: a chat turn, an alert investigation, a change. Owned by {@code user}.
 *
 * @param id            unique id (also the correlation id carried through every step and log line)
 * @param user          owner; only this user (or a later admin role) may read it
 * @param task          what was asked, e.g. the user's message or the alert title
 * @param source        chat | cli | alert | change | drift
 * @param triggeredBy   who or what started it (user id, alarm name)
 * @param sessionId     the chat session, or null
 * @param workload      {@code namespace/name} the run is about, or null
 * @param model         the chat model that answered (e.g. "offline-analyst")
 * @param finalAnswer   the answer (markdown, redacted), null while running
 * @param steps         number of steps so far
 * @param completed     null while running
 * @param error         a clear message when status is failed, else null
 */
public record Run(String id, String user, String task, String source, String triggeredBy, String sessionId,
                  String workload, String model, RunStatus status, String finalAnswer, int steps,
                  long inputTokens, long outputTokens, double cost, Instant started, Instant completed,
                  String error) {
    public Run {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(started, "started");
    }

    /** Duration in milliseconds, or null while running. */
    public Long durationMs() {
        return completed == null ? null : completed.toEpochMilli() - started.toEpochMilli();
    }

    public Run withStatus(RunStatus s, String answer, Instant done, String err) {
        return new Run(id, user, task, source, triggeredBy, sessionId, workload, model, s, answer, steps,
                inputTokens, outputTokens, cost, started, done, err);
    }

    public Run withProgress(int stepCount, long in, long out, double totalCost) {
        return new Run(id, user, task, source, triggeredBy, sessionId, workload, model, status, finalAnswer,
                stepCount, in, out, totalCost, started, completed, error);
    }
}
