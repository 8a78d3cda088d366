package io.opsagent.core.agent;

import java.util.Objects;

/**
 * One user message to answer within a session.
 *
 * @param source chat | cli | alert ... (recorded on the run)
 * @param groups the user's verified groups (in AWS the token's Cognito groups): their project roles count too
 */
public record AskRequest(String user, String sessionId, String text, String source, java.util.List<String> groups) {
    public AskRequest {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(sessionId, "sessionId");
        if (text == null || text.isBlank()) throw new IllegalArgumentException("the question is empty");
        source = source == null ? "chat" : source;
        groups = groups == null ? java.util.List.of() : java.util.List.copyOf(groups);
    }

    public AskRequest(String user, String sessionId, String text, String source) {
        this(user, sessionId, text, source, null);
    }
}
