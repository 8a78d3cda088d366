package io.opsagent.core.changes;

import java.util.List;
import java.util.Optional;

/** The intended states successful changes recorded, the latest per object. */
public interface IntendedStateStore {
    void put(IntendedState s);

    Optional<IntendedState> get(String key);

    List<IntendedState> list();

    /** In memory: the tests' and a store-less local product's. */
    final class InMemory implements IntendedStateStore {
        private final java.util.Map<String, IntendedState> byKey = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public void put(IntendedState s) {
            byKey.put(s.key(), s);
        }

        @Override
        public Optional<IntendedState> get(String key) {
            return Optional.ofNullable(byKey.get(key));
        }

        @Override
        public List<IntendedState> list() {
            return byKey.values().stream().sorted(java.util.Comparator.comparing(IntendedState::key)).toList();
        }
    }
}
