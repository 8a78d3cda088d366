package io.opsagent.adapters.bedrock;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Full-jitter exponential backoff: the wait before retry {@code n} (1-based) is uniform in
 * {@code [0, min(cap, base * 2^(n-1))]}.
 *
 * @param base the first ceiling
 * @param cap  the largest ceiling
 */
public record Backoff(Duration base, Duration cap) {

    /** 250 ms doubling up to 8 s. */
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(8));

    public Backoff {
        if (base.isNegative() || base.isZero()) throw new IllegalArgumentException("backoff base must be positive");
        if (cap.compareTo(base) < 0) throw new IllegalArgumentException("backoff cap must be at least the base");
    }

    /** The ceiling of the wait before retry {@code n}. */
    public long ceilingMillis(int retry) {
        int shift = Math.min(Math.max(retry - 1, 0), 30);
        long ceiling = base.toMillis() << shift;
        return Math.min(cap.toMillis(), ceiling < 0 ? Long.MAX_VALUE : ceiling);
    }

    /** A random wait for retry {@code n}. */
    public long delayMillis(int retry) {
        return ThreadLocalRandom.current().nextLong(ceilingMillis(retry) + 1);
    }
}
