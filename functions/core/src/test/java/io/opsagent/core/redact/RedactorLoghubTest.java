package io.opsagent.core.redact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * False-positive guard on real logs: the Loghub 2k samples (../shared/loghub) hold no secrets, so the redactor
 * must leave (almost) every line unchanged. The full report is printed by {@code bench/redaction/run}.
 */
class RedactorLoghubTest {
    private static final Path LOGHUB =
            Path.of(System.getProperty("opsagent.root", ".")).resolve("../shared/loghub");

    @Test
    void changesAtMostOneLineInTenThousandOfTheLoghubSamples() throws IOException {
        if (!Files.isDirectory(LOGHUB)) {
            fail("Loghub sample data missing: expected the directory " + LOGHUB.toAbsolutePath().normalize()
                    + " (../shared/loghub from the repository root)");
        }
        List<Path> logs;
        try (Stream<Path> s = Files.walk(LOGHUB)) {
            logs = s.filter(p -> p.getFileName().toString().endsWith("_2k.log")).sorted().toList();
        }
        assertThat(logs).as("*_2k.log files under " + LOGHUB).hasSizeGreaterThanOrEqualTo(8);

        Redactor redactor = Redactor.standard();
        int lines = 0;
        List<String> changed = new ArrayList<>();
        for (Path log : logs) {
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                lines++;
                String out = redactor.redactLine(line);
                if (!out.equals(line)) {
                    changed.add(log.getFileName() + ": " + out);
                }
            }
        }

        assertThat(lines).isGreaterThanOrEqualTo(16_000);
        assertThat(changed).as("lines changed (false positives) out of " + lines)
                .hasSizeLessThanOrEqualTo(lines / 10_000);
    }
}
