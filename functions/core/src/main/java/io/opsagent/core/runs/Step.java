package io.opsagent.core.runs;

import java.time.Instant;
import java.util.Objects;

/**
 * One step of a run.
 *
 * @param number     1-based, in order
 * @param toolName   for tool_call steps, else null
 * @param args       tool arguments as JSON text (redacted), else null
 * @param result     tool result (redacted, size-capped), else null
 * @param text       model text / thinking / response text (redacted), else null
 * @param error      a clear message if the step failed, else null
 */
public record Step(String runId, int number, StepType type, String toolName, String args, String result,
                   String text, String error, Instant started, long durationMs, long inputTokens,
                   long outputTokens) {
    public Step {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(started, "started");
    }
}
