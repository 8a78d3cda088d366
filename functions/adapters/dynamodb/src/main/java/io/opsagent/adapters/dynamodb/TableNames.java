package io.opsagent.adapters.dynamodb;

import java.util.Objects;

/**
 * The names of OpsAgent's DynamoDB tables.
 *
 * @param sessions chat sessions and their messages
 * @param runs     agent runs and their steps
 * @param actions  action proposals and the audit log
 */
public record TableNames(String sessions, String runs, String actions) {
    /** {@code opsagent-sessions} and {@code opsagent-runs}. */
    public static final TableNames DEFAULT = withPrefix("opsagent-");

    public TableNames {
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(runs, "runs");
        Objects.requireNonNull(actions, "actions");
        if (sessions.equals(runs) || actions.equals(runs) || actions.equals(sessions)) {
            throw new IllegalArgumentException("the sessions, runs and actions tables must differ, got '" + sessions
                    + "', '" + runs + "', '" + actions + "'");
        }
    }

    /** The sessions and runs tables named, the actions table beside the runs table ({@code …runs} → {@code …actions}). */
    public TableNames(String sessions, String runs) {
        this(sessions, runs, runs.endsWith("runs") ? runs.substring(0, runs.length() - 4) + "actions" : runs + "-actions");
    }

    /** {@code <prefix>sessions}, {@code <prefix>runs} and {@code <prefix>actions}, e.g. prefix {@code opsagent-prod-}. */
    public static TableNames withPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return new TableNames(prefix + "sessions", prefix + "runs", prefix + "actions");
    }
}
