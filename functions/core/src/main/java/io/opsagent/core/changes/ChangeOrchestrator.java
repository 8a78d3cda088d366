package io.opsagent.core.changes;

import java.time.Instant;
import java.util.List;

/**
 * The port to the engine that runs a change chain ({@code statemachines/change.asl.json}): AWS Step Functions in AWS,
 * LocalStack's Step Functions interpreter on a laptop. Execution names are change ids, so starting the same change
 * twice is one execution.
 */
public interface ChangeOrchestrator {

    /** Starts the chain for {@code changeId} with {@code input} (JSON); a second start of the same change is a no-op. */
    String start(String changeId, String input);

    /** Answers a step: done, with {@code output} (JSON) as its result. */
    void succeed(String token, String output);

    /** Answers a step: failed with {@code error} (e.g. {@code Change.Stale}), which the chain's Retry and Catch see. */
    void fail(String token, String error, String cause);

    /** Tells the engine the step is still being worked on (steps with HeartbeatSeconds). */
    void heartbeat(String token);

    /** Stops the execution of {@code changeId} (a cancelled change), with why; nothing when it already ended. */
    void stop(String changeId, String cause);

    /** The execution of {@code changeId} as the console shows it, or null when there is none. */
    Execution describe(String changeId);

    /** An execution: its status, the state it is in, and every state it went through. */
    record Execution(String arn, String status, String currentState, Instant startedAt, Instant stoppedAt,
                     List<StateRun> states, String error, String cause) {
        public Execution {
            states = states == null ? List.of() : List.copyOf(states);
        }
    }

    /** One visit of a state: when, with what input and output (small: ids), and the error it ended with. */
    record StateRun(String name, String type, Instant enteredAt, Instant exitedAt, String input, String output,
                    String error, String cause, int attempts) {
    }

    /** The token does not answer anything any more (already answered, timed out, or the execution ended). */
    final class TokenGone extends RuntimeException {
        public TokenGone(String message) {
            super(message);
        }
    }
}
