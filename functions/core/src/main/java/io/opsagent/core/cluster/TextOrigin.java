package io.opsagent.core.cluster;

import java.util.HashMap;
import java.util.Map;

/**
 * An object reconstructed from plain-text command output. Parsers record the line on which each field was read;
 * a reference to a field resolves to the line of the longest recorded prefix of its path, else to the line where
 * the object starts.
 */
public final class TextOrigin implements Origin {
    private final String file;
    private final int line;
    private final Map<String, Integer> fieldLines = new HashMap<>();

    public TextOrigin(String file, int line) {
        this.file = file;
        this.line = line;
    }

    /** Records that {@code fieldPath} was read on {@code lineNumber} (1-based). Returns this. */
    public TextOrigin field(String fieldPath, int lineNumber) {
        fieldLines.put(fieldPath, lineNumber);
        return this;
    }

    @Override
    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    /** The line on which {@code fieldPath} (or its longest recorded prefix) was read. */
    public int lineOf(String fieldPath) {
        String p = fieldPath == null ? "" : fieldPath;
        while (!p.isEmpty()) {
            Integer l = fieldLines.get(p);
            if (l != null) {
                return l;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut <= 0 ? "" : p.substring(0, cut);
        }
        return line;
    }

    @Override
    public String ref(String fieldPath) {
        return file + ":" + lineOf(fieldPath);
    }

    @Override
    public String toString() {
        return file + ":" + line;
    }
}
