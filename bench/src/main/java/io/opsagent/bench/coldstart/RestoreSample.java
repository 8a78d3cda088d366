package io.opsagent.bench.coldstart;

/**
 * One cold start from a snapshot (the CRIU stand-in for SnapStart, {@link Criu}): {@code snapshotMs} from process
 * start to the snapshot point (init plus the {@code beforeCheckpoint} hooks, paid once when a version is published),
 * {@code dumpMs} and {@code imageMb} for the dump, {@code restoreMs} from the start of the restore to the end of the
 * {@code afterRestore} hooks (the runtime's first {@code GET /invocation/next}, or the web adapter's after-restore hook
 * answered: what Lambda reports as Restore Duration), {@code firstInvokeMs} (and {@code firstByteMs} for streamed
 * responses, else -1) as for an on-demand start, {@code totalMs} from the start of the restore to the response, and
 * {@code error} when it failed (else null).
 */
public record RestoreSample(double snapshotMs, double dumpMs, double imageMb, double restoreMs, double firstInvokeMs,
                            double firstByteMs, double totalMs, String error) {

    /** A failed restore. */
    public static RestoreSample failed(String error) {
        return new RestoreSample(-1, -1, -1, -1, -1, -1, -1, error);
    }

    /** Whether it completed. */
    public boolean ok() {
        return error == null;
    }
}
