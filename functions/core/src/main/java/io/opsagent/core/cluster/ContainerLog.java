package io.opsagent.core.cluster;

import java.util.List;

/**
 * The log of one container of one pod.
 *
 * @param previous true for the log of the previous (terminated) instance, as {@code kubectl logs --previous}
 * @param file     the file (relative to the input root) the lines were read from; {@code file:line} cites a line
 */
public record ContainerLog(String namespace, String pod, String container, boolean previous, String file,
                           List<LogLine> lines) {
    public ContainerLog {
        lines = List.copyOf(lines);
    }

    public String ref(LogLine line) {
        return file + ":" + line.number();
    }
}
