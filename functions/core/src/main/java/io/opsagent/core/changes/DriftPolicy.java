package io.opsagent.core.changes;

import java.time.Duration;
import java.util.Set;

/**
 * What drift is remediated without asking again (Argo CD's self-heal, bounded): the drift types allowed
 * ({@code image}, {@code replicas}; {@code config} and {@code missing} are always escalated), inside the change
 * windows of the {@link ChangePolicy}, at most {@code maxAttempts} per target per {@code budgetWindow}, each attempt
 * after an exponential backoff from {@code backoff}; and never on an object that keeps changing under us
 * ({@code thrashChanges} changes of its resourceVersion within {@code thrashWindow} that were not ours: someone else
 * is editing it). Anything else is escalated as an approval.
 */
public record DriftPolicy(Set<String> autoTypes, int maxAttempts, Duration budgetWindow, Duration backoff, int thrashChanges,
                          Duration thrashWindow) {
    public static final DriftPolicy DEFAULT = new DriftPolicy(Set.of("image", "replicas"), 3, Duration.ofHours(1),
            Duration.ofMinutes(1), 3, Duration.ofMinutes(10));

    public DriftPolicy {
        autoTypes = autoTypes == null ? Set.of() : Set.copyOf(autoTypes);
        for (String t : autoTypes) {
            if (!Set.of("image", "replicas").contains(t)) {
                throw new IllegalArgumentException("drift type '" + t + "' cannot be remediated automatically; only image"
                        + " and replicas can (config and missing are escalated)");
            }
        }
        if (maxAttempts < 0) throw new IllegalArgumentException("maxAttempts must not be negative");
    }

    public DriftPolicy withBackoff(Duration b) {
        return new DriftPolicy(autoTypes, maxAttempts, budgetWindow, b, thrashChanges, thrashWindow);
    }
}
