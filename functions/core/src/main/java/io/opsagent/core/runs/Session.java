package io.opsagent.core.runs;

import java.time.Instant;
import java.util.Objects;

/**
 * A chat session bound to one workload ({@code namespace/name}) or a whole namespace ({@code namespace/*}).
 *
 * @param expiresAt when the session may be deleted (TTL); reads treat expired sessions as absent
 */
public record Session(String id, String user, String workload, String title, Instant created, Instant updated,
                      Instant expiresAt) {
    public Session {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(created, "created");
    }
}
