package io.opsagent.adapters.dynamodb;

/**
 * Attribute and index names shared by the table definitions ({@link TableSetup}) and the stores. Keep in step
 * with docs/storage.md and the SAM template.
 */
final class Schema {
    /** Partition key of both tables (S). */
    static final String PK = "pk";
    /** Sort key of both tables (S). */
    static final String SK = "sk";
    /** Partition key of the by-user index (S): {@code USER#<user>}. */
    static final String GSI1_PK = "gsi1pk";
    /** Sort key of the by-user index (S): {@code <time>#<id>}. */
    static final String GSI1_SK = "gsi1sk";
    /** Partition key of the runs by-user-and-status index (S): {@code USER#<user>#STATUS#<status>}. */
    static final String GSI2_PK = "gsi2pk";
    /** Sort key of the runs by-user-and-status index (S): {@code <started>#<id>}. */
    static final String GSI2_SK = "gsi2sk";
    /** Index on (gsi1pk, gsi1sk): a user's sessions by last update, a user's runs by start. */
    static final String BY_USER = "byUser";
    /** Index on (gsi2pk, gsi2sk): a user's runs with one status by start (runs table only). */
    static final String BY_USER_STATUS = "byUserStatus";
    /** Index on (gsi1pk, gsi1sk) of the actions table: proposals with one status, newest first. */
    static final String BY_STATUS = "byStatus";
    /** Index on (gsi2pk, gsi2sk) of the actions table: all proposals, newest first. */
    static final String BY_CREATION = "byCreation";
    /** TTL attribute of the sessions table (N, epoch seconds). */
    static final String EXPIRES_AT = "expiresAt";

    private Schema() {
    }
}
