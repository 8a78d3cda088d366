package io.opsagent.core.agent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock tests move by hand (shared with other modules' tests through core's test jar). */
public final class MovableClock extends Clock {
    private final AtomicReference<Instant> now;

    /** Starting at 2026-12-06T10:00:00Z. */
    public MovableClock() {
        this(Instant.parse("2026-12-06T10:00:00Z"));
    }

    public MovableClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    public void advance(Duration d) {
        now.updateAndGet(i -> i.plus(d));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now.get();
    }
}
