package io.opsagent.core.alerts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Port: alert records and their episodes (DynamoDB; in memory for core tests). Idempotent by conditional writes: an
 * alert id is recorded once however often it is delivered, and one episode per key is open at a time.
 */
public interface AlertStore {
    /** Records {@code a} received at {@code at}; false (nothing written) when its id was recorded before. */
    boolean add(Alert a, Instant at);

    /** The episode {@code id}, if any. */
    Optional<Episode> get(String id);

    /** The open episode of {@code key}, if any. */
    Optional<Episode> openEpisode(String key);

    /**
     * Opens {@code e} unless an episode of its key is open already; returns the one that is open (e, or the other
     * writer's).
     */
    Episode open(Episode e);

    /** Replaces {@code from} by {@code to} when {@code from} is still what is stored (its version); empty otherwise. */
    Optional<Episode> replace(Episode from, Episode to);

    /** Episodes, newest first. */
    List<Episode> list(int limit);

    /** Episodes of {@code workload} opened since {@code since}, newest first. */
    List<Episode> ofWorkload(String workload, Instant since);

    /** The alerts of an episode key, newest first. */
    List<Alert> alerts(String key, int limit);

    /** In memory: the rules of the DynamoDB store without it. */
    final class InMemory implements AlertStore {
        private final Map<String, Alert> alerts = new ConcurrentHashMap<>();
        private final Map<String, Instant> received = new ConcurrentHashMap<>();
        private final Map<String, Episode> episodes = new ConcurrentHashMap<>();

        @Override
        public boolean add(Alert a, Instant at) {
            if (alerts.putIfAbsent(a.id(), a) != null) return false;
            received.put(a.id(), at);
            return true;
        }

        @Override
        public Optional<Episode> get(String id) {
            return Optional.ofNullable(episodes.get(id));
        }

        @Override
        public Optional<Episode> openEpisode(String key) {
            return episodes.values().stream().filter(e -> e.key().equals(key) && e.open()).findFirst();
        }

        @Override
        public synchronized Episode open(Episode e) {
            Optional<Episode> now = openEpisode(e.key());
            if (now.isPresent()) return now.get();
            episodes.put(e.id(), e);
            return e;
        }

        @Override
        public synchronized Optional<Episode> replace(Episode from, Episode to) {
            Episode now = episodes.get(from.id());
            if (now == null || now.version() != from.version()) return Optional.empty();
            Episode next = to.withVersion(from.version() + 1);
            episodes.put(next.id(), next);
            return Optional.of(next);
        }

        @Override
        public List<Episode> list(int limit) {
            return episodes.values().stream().sorted(Comparator.comparing(Episode::openedAt).reversed()).limit(limit).toList();
        }

        @Override
        public List<Episode> ofWorkload(String workload, Instant since) {
            return episodes.values().stream().filter(e -> workload.equals(e.workload()) && !e.openedAt().isBefore(since))
                    .sorted(Comparator.comparing(Episode::openedAt).reversed()).toList();
        }

        @Override
        public List<Alert> alerts(String key, int limit) {
            List<Alert> out = new ArrayList<>(alerts.values().stream().filter(a -> a.episode().equals(key)).toList());
            out.sort(Comparator.comparing((Alert a) -> received.get(a.id())).reversed());
            return out.stream().limit(limit).toList();
        }
    }
}
