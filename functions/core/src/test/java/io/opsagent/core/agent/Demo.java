package io.opsagent.core.agent;

import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.input.ClusterDumpReader;
import java.nio.file.Files;
import java.nio.file.Path;

/** The demo cluster dump, read once per test JVM. */
public final class Demo {
    private static ClusterSnapshot snapshot;

    private Demo() {
    }

    public static synchronized ClusterSnapshot snapshot() {
        if (snapshot == null) {
            Path root = Path.of(System.getProperty("opsagent.root", "../..")).toAbsolutePath().normalize();
            Path p = root.resolve("events/clusters/demo");
            if (!Files.isDirectory(p)) throw new IllegalStateException("demo cluster missing at " + p);
            try {
                snapshot = new ClusterDumpReader().read(p);
            } catch (Exception e) {
                throw new IllegalStateException("cannot read demo cluster at " + p + ": " + e.getMessage(), e);
            }
        }
        return snapshot;
    }
}
