package io.opsagent.adapters.dynamodb;

import java.util.List;

/** Nearest-rank percentiles. */
final class Percentiles {
    private Percentiles() {
    }

    /** The p-th percentile (nearest rank) of ascending values, or null when there are none. */
    static Long nearestRank(List<Long> ascending, int p) {
        if (ascending.isEmpty()) {
            return null;
        }
        int rank = (int) Math.ceil(p / 100.0 * ascending.size());
        return ascending.get(Math.max(rank, 1) - 1);
    }
}
