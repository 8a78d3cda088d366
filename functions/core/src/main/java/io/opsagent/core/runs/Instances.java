package io.opsagent.core.runs;

import java.util.UUID;

/**
 * The id of this process instance, recorded as the owner of every run it starts: a run whose owner is gone (the
 * process crashed, was killed, or its Lambda invocation timed out) is ended by a {@link RunReaper}.
 */
public final class Instances {
    private static final String CURRENT = next();

    private Instances() {
    }

    /** {@code pid<N>-<8 hex>}: unique per process start (a restarted process gets a new one). */
    public static String current() {
        return CURRENT;
    }

    /** A new id for one server started in this process ({@code pid<N>-<8 hex>}), e.g. a restarted local server. */
    public static String next() {
        return "pid" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
