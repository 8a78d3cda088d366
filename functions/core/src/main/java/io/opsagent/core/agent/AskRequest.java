package io.opsagent.core.agent;

import java.util.Objects;

/**
 * One user message to answer within a session.
 *
 * @param source chat | cli | alert ... (recorded on the run)
 */
public record AskRequest(String user, String sessionId, String text, String source) {
    public AskRequest {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(sessionId, "sessionId");
        if (text == null || text.isBlank()) throw new IllegalArgumentException("the question is empty");
        source = source == null ? "chat" : source;
    }
}
