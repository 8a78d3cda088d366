package io.opsagent.core.changes;

import java.util.List;
import java.util.Optional;

/** Where changes are kept: created once by id, replaced only from the version read (a conditional write). */
public interface ChangeStore {
    /** Stores a new change; false when its id exists (a repeated submit). */
    boolean create(Change c);

    Optional<Change> get(String id);

    /** Replaces {@code from} with {@code to} (version + 1) when it is still {@code from}'s version; empty otherwise. */
    Optional<Change> replace(Change from, Change to);

    /** Newest first. */
    List<Change> list(int limit);

    /** In memory: the local product's default and the tests'. */
    final class InMemory implements ChangeStore {
        private final java.util.Map<String, Change> byId = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public boolean create(Change c) {
            return byId.putIfAbsent(c.id(), c.withVersion(0)) == null;
        }

        @Override
        public Optional<Change> get(String id) {
            return Optional.ofNullable(byId.get(id));
        }

        @Override
        public synchronized Optional<Change> replace(Change from, Change to) {
            Change now = byId.get(from.id());
            if (now == null || now.version() != from.version()) return Optional.empty();
            Change next = to.withVersion(from.version() + 1);
            byId.put(from.id(), next);
            return Optional.of(next);
        }

        @Override
        public List<Change> list(int limit) {
            return byId.values().stream().sorted(java.util.Comparator.comparing(Change::createdAt).reversed()
                    .thenComparing(Change::id)).limit(limit).toList();
        }
    }
}
