package io.opsagent.app.config;

import io.opsagent.adapters.dynamodb.TableNames;
import java.util.Optional;
import software.amazon.awssdk.regions.Region;

/**
 * The AWS parts of the settings, read the same way by every client that needs them (CloudWatch Logs, EKS, the
 * Lambda functions' DynamoDB stores, the cold-start bench).
 */
public final class AwsSettings {
    /** The default table name prefix. */
    public static final String DEFAULT_TABLE_PREFIX = "opsagent-";

    private AwsSettings() {
    }

    /** {@link Setting#AWS_REGION} (or AWS_DEFAULT_REGION), if set; a malformed name names the setting. */
    public static Optional<Region> region(Settings s) {
        Optional<String> r = s.get(Setting.AWS_REGION).or(() -> s.environment("AWS_DEFAULT_REGION"));
        if (r.isPresent() && !r.get().matches("[a-z]{2}(-[a-z]+)+-\\d{1,2}")) {
            throw s.bad(Setting.AWS_REGION, "expected a region name like eu-west-1");
        }
        return r.map(Region::of);
    }

    /**
     * The DynamoDB table names: {@link Setting#SESSIONS_TABLE} / {@link Setting#RUNS_TABLE} /
     * {@link Setting#ACTIONS_TABLE}, else {@link Setting#TABLE_PREFIX} (default {@value #DEFAULT_TABLE_PREFIX}) + the
     * table's name.
     */
    public static TableNames tables(Settings s) {
        TableNames byPrefix = TableNames.withPrefix(s.get(Setting.TABLE_PREFIX, DEFAULT_TABLE_PREFIX));
        return new TableNames(s.get(Setting.SESSIONS_TABLE, byPrefix.sessions()), s.get(Setting.RUNS_TABLE, byPrefix.runs()),
                s.get(Setting.ACTIONS_TABLE, byPrefix.actions()));
    }
}
