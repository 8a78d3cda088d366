package io.opsagent.core.runs;

import java.util.List;
import java.util.Optional;

/** Port: chat sessions and their history. Reads by another user, or of an expired session, return empty. */
public interface SessionStore {
    void create(Session session);

    Optional<Session> get(String user, String sessionId);

    /** The user's sessions, most recently updated first. */
    Page<Session> list(String user, int limit, String cursor);

    /** Deletes the session and its messages; false if it is not the user's or does not exist. */
    boolean delete(String user, String sessionId);

    /** Appends a message and touches the session's {@code updated} time (and extends its TTL). */
    void addMessage(String user, Message message);

    List<Message> messages(String user, String sessionId);

    /** A session with its messages in order. */
    record History(Session session, List<Message> messages) {
        public History {
            messages = List.copyOf(messages);
        }
    }

    /**
     * The user's live session with its messages (one read where the store can: the default is {@link #get} then
     * {@link #messages}); empty if absent, expired or another user's.
     */
    default Optional<History> history(String user, String sessionId) {
        return get(user, sessionId).map(s -> new History(s, messages(user, sessionId)));
    }
}
