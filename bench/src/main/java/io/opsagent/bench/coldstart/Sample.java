package io.opsagent.bench.coldstart;

/**
 * One cold start: {@code initMs} from process start to the end of init (first {@code GET /next}, or the readiness
 * check answering 200), {@code firstInvokeMs} from the event handed out to the response posted (or the HTTP
 * response fully read), {@code firstByteMs} for streamed responses (else -1), {@code snapshotMs} the part of init
 * before the SnapStart snapshot point (else -1), and {@code error} when it failed (else null).
 */
public record Sample(double initMs, double firstInvokeMs, double firstByteMs, double snapshotMs, double totalMs,
                     String error) {

    /** A failed cold start. */
    public static Sample failed(String error) {
        return new Sample(-1, -1, -1, -1, -1, error);
    }

    /** Whether it completed. */
    public boolean ok() {
        return error == null;
    }

    static double ms(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1_000_000.0;
    }
}
