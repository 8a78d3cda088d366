package io.opsagent.bench.coldstart;

/**
 * One cold start: {@code initMs} from process start to the end of init (first {@code GET /next}, or the readiness
 * check answering 200), {@code initCpuMs} the CPU time the JVM used by then (all its threads; -1 if unknown: less
 * sensitive than wall time to other load on the machine, and what a fractional Lambda vCPU turns into wall time),
 * {@code firstInvokeMs} from the event handed out to the response posted (or the HTTP
 * response fully read), {@code firstByteMs} for streamed responses (else -1), {@code snapshotMs} the part of init
 * before the SnapStart snapshot point (else -1), and {@code error} when it failed (else null).
 */
public record Sample(double initMs, double initCpuMs, double firstInvokeMs, double firstByteMs, double snapshotMs,
                     double totalMs, String error) {

    /** A failed cold start. */
    public static Sample failed(String error) {
        return new Sample(-1, -1, -1, -1, -1, -1, error);
    }

    /** Whether it completed. */
    public boolean ok() {
        return error == null;
    }

    /** The CPU time the process used so far, in ms, or -1 if the OS does not say. */
    static double cpuMs(Process p) {
        return p.info().totalCpuDuration().map(d -> d.toNanos() / 1_000_000.0).orElse(-1.0);
    }

    static double ms(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1_000_000.0;
    }
}
