package io.opsagent.core.scenarios;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locations of the repository's demo data and of the shared evaluation data. */
final class Paths {
    private Paths() {
    }

    static Path root() {
        return Path.of(System.getProperty("opsagent.root", "../..")).toAbsolutePath().normalize();
    }

    static Path demo() {
        Path p = root().resolve("events/clusters/demo");
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("demo cluster missing at " + p);
        }
        return p;
    }

    static Path evidenceSamples() {
        Path p = root().resolve("../shared/evidence-samples").normalize();
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("shared evidence samples missing at " + p
                    + " (CI and developers keep ../shared beside the checkout)");
        }
        return p;
    }
}
