package io.opsagent.adapters.bedrock;

import io.opsagent.core.runs.Message;
import io.opsagent.core.runs.Page;
import io.opsagent.core.runs.Session;
import io.opsagent.core.runs.SessionStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** (Copy of the core test fixture.) A SessionStore in memory, for tests. */
public final class InMemorySessionStore implements SessionStore {
    final Map<String, Session> sessions = new ConcurrentHashMap<>();
    final Map<String, List<Message>> messages = new ConcurrentHashMap<>();

    @Override
    public void create(Session s) {
        sessions.put(s.id(), s);
    }

    @Override
    public Optional<Session> get(String user, String id) {
        return Optional.ofNullable(sessions.get(id)).filter(s -> s.user().equals(user));
    }

    @Override
    public Page<Session> list(String user, int limit, String cursor) {
        return new Page<>(sessions.values().stream().filter(s -> s.user().equals(user)).limit(limit).toList(), null);
    }

    @Override
    public boolean delete(String user, String id) {
        if (get(user, id).isEmpty()) return false;
        sessions.remove(id);
        messages.remove(id);
        return true;
    }

    @Override
    public void addMessage(String user, Message m) {
        if (get(user, m.sessionId()).isEmpty()) throw new IllegalStateException("no session " + m.sessionId());
        List<Message> l = messages.computeIfAbsent(m.sessionId(), k -> new CopyOnWriteArrayList<>());
        if (m.seq() != l.size() + 1) throw new IllegalStateException("message seq " + m.seq() + " after " + l.size());
        l.add(m);
    }

    @Override
    public List<Message> messages(String user, String id) {
        return get(user, id).map(s -> List.copyOf(messages.getOrDefault(id, List.of()))).orElse(List.of());
    }
}
