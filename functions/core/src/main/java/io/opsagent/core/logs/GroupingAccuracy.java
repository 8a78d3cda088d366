package io.opsagent.core.logs;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Grouping accuracy (GA) of a log parser: a line is correct when the set of lines the parser put in its group is
 * exactly the set of lines sharing its ground-truth label (no split, no merge); GA = correct lines / all lines.
 */
public final class GroupingAccuracy {
    private GroupingAccuracy() {
    }

    /** GA of {@code predicted} group ids against {@code truth} labels, line by line (same length lists). */
    public static double of(List<?> predicted, List<?> truth) {
        if (predicted.size() != truth.size()) {
            throw new IllegalArgumentException("predicted has " + predicted.size() + " lines but truth has "
                    + truth.size());
        }
        if (predicted.isEmpty()) {
            return 1.0;
        }
        Map<Object, Integer> truthSize = new HashMap<>();
        for (Object t : truth) {
            truthSize.merge(t, 1, Integer::sum);
        }
        // per predicted group: size, the one truth label it holds (or a marker when mixed)
        Map<Object, Integer> groupSize = new HashMap<>();
        Map<Object, Object> groupLabel = new HashMap<>();
        Object mixed = new Object();
        for (int i = 0; i < predicted.size(); i++) {
            Object p = predicted.get(i);
            Object t = truth.get(i);
            groupSize.merge(p, 1, Integer::sum);
            Object prev = groupLabel.putIfAbsent(p, t);
            if (prev != null && !Objects.equals(prev, t)) {
                groupLabel.put(p, mixed);
            }
        }
        long correct = 0;
        for (Map.Entry<Object, Integer> e : groupSize.entrySet()) {
            Object label = groupLabel.get(e.getKey());
            if (label != mixed && truthSize.get(label).equals(e.getValue())) {
                correct += e.getValue();
            }
        }
        return (double) correct / predicted.size();
    }
}
