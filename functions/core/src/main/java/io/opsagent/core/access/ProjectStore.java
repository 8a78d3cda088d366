package io.opsagent.core.access;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where projects made through the API, the CLI and the admin page are kept (DynamoDB in AWS and locally). Every write
 * is conditional on the version the writer read, so two admins changing one project cannot lose each other's change.
 */
public interface ProjectStore {

    /** A stored project, its version (1 for a new one, one more each write) and who wrote it when. */
    record Stored(Project project, long version, String updatedBy, Instant updatedAt) {
    }

    /** Every stored project, by name. */
    List<Stored> list();

    Optional<Stored> get(String name);

    /**
     * Writes {@code project} if its stored version is {@code expectedVersion} (0: not stored yet) and returns it with
     * the next version.
     *
     * @throws Conflict when another write came first (or the project exists, or no longer does)
     */
    Stored put(Project project, long expectedVersion, String by, Instant at);

    /** Deletes {@code name} if its stored version is {@code expectedVersion}; throws {@link Conflict} otherwise. */
    void delete(String name, long expectedVersion);

    /** A write that lost to another (its message says which version is stored now, when known). */
    final class Conflict extends RuntimeException {
        public Conflict(String message) {
            super(message);
        }
    }
}
