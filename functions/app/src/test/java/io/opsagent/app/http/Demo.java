package io.opsagent.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.input.ClusterDumpReader;
import java.nio.file.Path;

/** The demo cluster dump of the repository, read once for all HTTP tests. */
final class Demo {
    static final Path ROOT = Path.of(System.getProperty("opsagent.root", ".")).toAbsolutePath().normalize();
    static final Path DIR = ROOT.resolve("events/clusters/demo");
    private static ClusterSnapshot snapshot;
    /** Held so the level set here is not lost to garbage collection. */
    private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("io.opsagent");

    static {
        QUIET.setLevel(java.util.logging.Level.WARNING); // the tests' output stays readable
    }

    private Demo() {
    }

    static synchronized ClusterSnapshot snapshot() {
        if (snapshot == null) {
            assertThat(DIR).as("demo cluster dump (run the tests from the repository)").isDirectory();
            try {
                snapshot = new ClusterDumpReader().read(DIR);
            } catch (Exception e) {
                throw new AssertionError("cannot read the demo dump " + DIR + ": " + e, e);
            }
        }
        return snapshot;
    }
}
