package io.opsagent.core.util;

import java.nio.file.Path;

/** Where the local product keeps its data (DynamoDB Local's tables, the local cluster's state): one rule for both. */
public final class DataDirs {
    private DataDirs() {
    }

    /** System property overriding {@link #defaultDataDir()}. */
    public static final String PROPERTY = "opsagent.data.dir";
    /** Environment variable overriding {@link #defaultDataDir()} (the system property wins). */
    public static final String ENV = "OPSAGENT_DATA_DIR";

    /** System property {@value #PROPERTY}, else environment variable {@value #ENV}, else {@code ~/.opsagent/data}. */
    public static Path defaultDataDir() {
        String prop = System.getProperty(PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".opsagent", "data");
    }
}
