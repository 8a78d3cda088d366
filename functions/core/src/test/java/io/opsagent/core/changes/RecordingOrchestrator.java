package io.opsagent.core.changes;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A change orchestrator for core tests that runs no state machine: it records what the service tells it (answers,
 * stops) so a test can read them. The chain itself runs on LocalStack in the adapters' and app's tests.
 */
public final class RecordingOrchestrator implements ChangeOrchestrator {
    /** Every call, as text: {@code ok TOKEN OUTPUT}, {@code fail TOKEN ERROR: CAUSE}, {@code stop ID: CAUSE}. */
    public final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public String start(String changeId, String input) {
        return changeId;
    }

    @Override
    public void succeed(String token, String output) {
        calls.add("ok " + token + " " + output);
    }

    @Override
    public void fail(String token, String error, String cause) {
        calls.add("fail " + token + " " + error + ": " + cause);
    }

    @Override
    public void heartbeat(String token) {
    }

    @Override
    public void stop(String changeId, String cause) {
        calls.add("stop " + changeId + ": " + cause);
    }

    @Override
    public Execution describe(String changeId) {
        return null;
    }
}
