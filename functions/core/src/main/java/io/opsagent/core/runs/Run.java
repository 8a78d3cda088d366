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
 * @param owner         the process instance running it ({@link Instances#current()}), null if unknown (runs
 *                      stored before owners were recorded)
 * @param heartbeat     when its owner last wrote progress (every step), null if never
 */
public record Run(String id, String user, String task, String source, String triggeredBy, String sessionId,
                  String workload, String model, RunStatus status, String finalAnswer, int steps,
                  long inputTokens, long outputTokens, double cost, Instant started, Instant completed,
                  String error, String owner, Instant heartbeat) {
    public Run {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(started, "started");
    }

    /** A run with no recorded owner or heartbeat. */
    public Run(String id, String user, String task, String source, String triggeredBy, String sessionId,
               String workload, String model, RunStatus status, String finalAnswer, int steps,
               long inputTokens, long outputTokens, double cost, Instant started, Instant completed, String error) {
        this(id, user, task, source, triggeredBy, sessionId, workload, model, status, finalAnswer, steps, inputTokens,
                outputTokens, cost, started, completed, error, null, null);
    }

    /** The same run owned by {@code instance}, its heartbeat at {@code now}. */
    public Run ownedBy(String instance, Instant now) {
        return new Run(id, user, task, source, triggeredBy, sessionId, workload, model, status, finalAnswer, steps,
                inputTokens, outputTokens, cost, started, completed, error, instance, now);
    }

    /** The same run with its heartbeat at {@code now}. */
    public Run beating(Instant now) {
        return ownedBy(owner, now);
    }

    /** Duration in milliseconds, or null while running. */
    public Long durationMs() {
        return completed == null ? null : completed.toEpochMilli() - started.toEpochMilli();
    }

    public Run withStatus(RunStatus s, String answer, Instant done, String err) {
        return new Run(id, user, task, source, triggeredBy, sessionId, workload, model, s, answer, steps,
                inputTokens, outputTokens, cost, started, done, err, owner, heartbeat);
    }

    public Run withProgress(int stepCount, long in, long out, double totalCost) {
        return new Run(id, user, task, source, triggeredBy, sessionId, workload, model, status, finalAnswer,
                stepCount, in, out, totalCost, started, completed, error, owner, heartbeat);
    }
}
