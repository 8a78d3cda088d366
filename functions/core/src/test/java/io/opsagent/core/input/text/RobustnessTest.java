package io.opsagent.core.input.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsagent.core.input.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Damaged evidence (lines dropped, files cut short) yields a snapshot or an InputException, never a crash. */
class RobustnessTest {

    @Test
    void damagedEvidenceNeverCrashesTheReader() throws Exception {
        List<Path> files = new ArrayList<>();
        for (Path root : List.of(Evidence.dir(""), Path.of(System.getProperty("opsagent.root", ".")).resolve("../shared/evidence-samples"))) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".txt") || p.toString().endsWith(".yaml"))
                        .filter(p -> !p.toString().contains("badutf8")).forEach(files::add);
            }
        }
        assertThat(files).hasSizeGreaterThan(20);
        Random random = new Random(42);
        int snapshots = 0;
        for (int round = 0; round < 400; round++) {
            Path f = files.get(random.nextInt(files.size()));
            List<String> lines = new ArrayList<>(Files.readAllLines(f));
            int damage = random.nextInt(3);
            if (damage == 0 && !lines.isEmpty()) lines = lines.subList(0, random.nextInt(lines.size()));
            else if (damage == 1) for (int i = 0; i < 5 && !lines.isEmpty(); i++) lines.remove(random.nextInt(lines.size()));
            else if (!lines.isEmpty()) {
                int i = random.nextInt(lines.size());
                String l = lines.get(i);
                lines.set(i, l.substring(0, random.nextInt(l.length() + 1)));
            }
            try {
                new TextEvidenceReader().readText(f.getFileName().toString(), String.join("\n", lines));
                snapshots++;
            } catch (InputException expected) {
                assertThat(expected.file()).isEqualTo(f.getFileName().toString());
            }
        }
        assertThat(snapshots).isGreaterThan(100);
    }
}
