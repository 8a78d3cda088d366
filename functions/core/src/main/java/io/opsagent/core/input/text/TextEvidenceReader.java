package io.opsagent.core.input.text;

import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.input.InputException;
import java.nio.file.Path;

/** Reads a folder of pasted kubectl output into a snapshot (stub: filled in by the text-evidence work). */
public final class TextEvidenceReader {
    public ClusterSnapshot read(Path dir) throws InputException {
        throw new InputException(dir.toString(), "text evidence is not supported yet");
    }
}
