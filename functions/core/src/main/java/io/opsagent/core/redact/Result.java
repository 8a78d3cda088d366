package io.opsagent.core.redact;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The outcome of redacting a text.
 *
 * @param text   the redacted text
 * @param counts how many values each rule masked (rules that masked nothing are absent)
 */
public record Result(String text, Map<Rule, Integer> counts) {

    public Result {
        counts = Collections.unmodifiableMap(counts.isEmpty() ? Map.of() : new EnumMap<>(counts));
    }

    /** True when at least one value was masked. */
    public boolean changed() {
        return !counts.isEmpty();
    }

    /** Total number of values masked by all rules. */
    public int total() {
        int sum = 0;
        for (int c : counts.values()) {
            sum += c;
        }
        return sum;
    }
}
