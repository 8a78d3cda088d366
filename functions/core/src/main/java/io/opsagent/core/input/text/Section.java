package io.opsagent.core.input.text;

import java.util.List;
import java.util.Map;

/**
 * One command's output inside an evidence file, with what the surrounding header or command line says about it.
 *
 * @param file    the file, relative to the evidence folder
 * @param lines   the output lines (numbers are line numbers in the file)
 * @param command the kubectl command that produced it ({@link KubectlCommand#NONE} if unknown)
 * @param params  parameters from a JSON tool header (pod_name, namespace, container, kind, name…), may be empty
 * @param noData  why this output holds no data (an error result, "No resources found"…), or null
 */
record Section(String file, List<Line> lines, KubectlCommand command, Map<String, String> params, String noData) {

    int firstLine() {
        return lines.isEmpty() ? 1 : lines.get(0).number();
    }

    /** The namespace named by the command or header, or null. */
    String namespaceHint() {
        if (command.namespace() != null) return command.namespace();
        return params.get("namespace");
    }

    /** The tool name of a JSON header (e.g. fetch_pod_logs, kubectl_describe), or null. */
    String tool() {
        return params.get("tool_name");
    }
}
