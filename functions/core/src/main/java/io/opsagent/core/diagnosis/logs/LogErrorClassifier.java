package io.opsagent.core.diagnosis.logs;

import io.opsagent.core.cluster.ContainerLog;
import java.util.List;

/** Finds the decisive lines of a container log (stub: filled in by the log-classifier work). */
public final class LogErrorClassifier {

    /** Decisive lines, most decisive first; empty when the log shows no application failure. */
    public List<LogSignal> classify(ContainerLog log) {
        return List.of();
    }
}
