package io.opsagent.core.logs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Streaming log template miner (stub: one pattern per distinct message; replaced by the real miner).
 * One configuration for all logs. Not thread-safe.
 */
public final class PatternMiner {
    private final Map<String, Integer> ids = new LinkedHashMap<>();
    private final List<long[]> stats = new ArrayList<>();
    private final List<String> examples = new ArrayList<>();

    /** Adds a message (the part of the line after any header) and returns the id of its pattern. */
    public int add(String message) {
        return add(message, stats.size() + 1L, null);
    }

    /** Adds a message read on {@code lineNumber}, with the line's timestamp text if known (else null). */
    public int add(String message, long lineNumber, String timestamp) {
        Integer id = ids.get(message);
        if (id == null) {
            id = ids.size() + 1;
            ids.put(message, id);
            stats.add(new long[] {0, lineNumber, lineNumber});
            examples.add(message);
        }
        long[] s = stats.get(id - 1);
        s[0]++;
        s[2] = lineNumber;
        return id;
    }

    /** The pattern id a line added earlier belongs to now (groups can merge as more lines arrive). */
    public int currentId(int id) {
        return id;
    }

    /** All patterns so far, in id order. */
    public List<LogPattern> patterns() {
        List<LogPattern> out = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, Integer> e : ids.entrySet()) {
            long[] s = stats.get(i);
            out.add(new LogPattern(e.getValue(), e.getKey(), s[0], s[1], s[2], null, null,
                    LogLevel.detect(examples.get(i)), examples.get(i), List.of(s[1])));
            i++;
        }
        return out;
    }
}
