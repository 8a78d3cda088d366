package io.opsagent.core.redact;

import java.util.EnumMap;
import java.util.Map;

/** Per-call counter of masked values per rule. */
final class Tally {
    private final int[] counts = new int[Rule.values().length];

    void add(Rule rule) {
        counts[rule.ordinal()]++;
    }

    boolean isEmpty() {
        for (int c : counts) {
            if (c != 0) {
                return false;
            }
        }
        return true;
    }

    Map<Rule, Integer> toMap() {
        Map<Rule, Integer> map = new EnumMap<>(Rule.class);
        for (Rule r : Rule.values()) {
            if (counts[r.ordinal()] != 0) {
                map.put(r, counts[r.ordinal()]);
            }
        }
        return map;
    }
}
