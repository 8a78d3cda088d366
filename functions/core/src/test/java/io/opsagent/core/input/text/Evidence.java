package io.opsagent.core.input.text;

import io.opsagent.core.cluster.ClusterSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Test helpers: the synthetic evidence folders under src/test/resources/evidence. */
final class Evidence {
    private Evidence() {
    }

    static Path dir(String name) {
        return Path.of(System.getProperty("opsagent.root", ".")).resolve("functions/core/src/test/resources/evidence").resolve(name);
    }

    static ClusterSnapshot read(String name) throws Exception {
        return new TextEvidenceReader().read(dir(name));
    }

    /** The text of the line a reference such as {@code file.txt:12} points to. */
    static String lineAt(String folder, String ref) throws Exception {
        String file = ref.substring(0, ref.lastIndexOf(':'));
        int line = Integer.parseInt(ref.substring(ref.lastIndexOf(':') + 1));
        List<String> lines = Files.readAllLines(dir(folder).resolve(file));
        return lines.get(line - 1);
    }
}
