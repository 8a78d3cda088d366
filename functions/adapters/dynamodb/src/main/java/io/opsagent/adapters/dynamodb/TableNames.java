package io.opsagent.adapters.dynamodb;

import java.util.Objects;

/**
 * The names of OpsAgent's two DynamoDB tables.
 *
 * @param sessions chat sessions and their messages
 * @param runs     agent runs and their steps
 */
public record TableNames(String sessions, String runs) {
    /** {@code opsagent-sessions} and {@code opsagent-runs}. */
    public static final TableNames DEFAULT = withPrefix("opsagent-");

    public TableNames {
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(runs, "runs");
        if (sessions.equals(runs)) {
            throw new IllegalArgumentException("the sessions and runs tables must differ, both are '" + runs + "'");
        }
    }

    /** {@code <prefix>sessions} and {@code <prefix>runs}, e.g. prefix {@code opsagent-prod-}. */
    public static TableNames withPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return new TableNames(prefix + "sessions", prefix + "runs");
    }
}
