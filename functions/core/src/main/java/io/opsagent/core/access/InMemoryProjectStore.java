package io.opsagent.core.access;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** {@link ProjectStore} in memory (tests, and projects fixed at start). */
public final class InMemoryProjectStore implements ProjectStore {
    private final TreeMap<String, Stored> projects = new TreeMap<>();

    @Override
    public synchronized List<Stored> list() {
        return List.copyOf(projects.values());
    }

    @Override
    public synchronized Optional<Stored> get(String name) {
        return Optional.ofNullable(projects.get(name));
    }

    @Override
    public synchronized Stored put(Project project, long expectedVersion, String by, Instant at) {
        Stored now = projects.get(project.name());
        long version = now == null ? 0 : now.version();
        if (version != expectedVersion) {
            throw new Conflict("project " + project.name() + " is at version " + version + ", not " + expectedVersion);
        }
        Stored next = new Stored(project, version + 1, by, at);
        projects.put(project.name(), next);
        return next;
    }

    @Override
    public synchronized void delete(String name, long expectedVersion) {
        Stored now = projects.get(name);
        if (now == null || now.version() != expectedVersion) {
            throw new Conflict("project " + name + " is at version " + (now == null ? 0 : now.version()) + ", not " + expectedVersion);
        }
        projects.remove(name);
    }
}
