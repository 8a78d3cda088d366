package io.opsagent.core.agent;

import io.opsagent.core.tools.Citation;
import java.util.List;

/**
 * What the engine reports while a run goes on, in order: {@link RunStarted}; then per model turn any number of
 * {@link TextDelta}s and, for each tool call, {@link ToolStarted} followed by {@link ToolFinished}; on failure an
 * {@link Error}; finally exactly one {@link RunFinished}. Every event carries the run id (the correlation id).
 * All text is redacted.
 */
public sealed interface AgentEvent {

    String runId();

    /** The run began. */
    record RunStarted(String runId, String sessionId, String workload, String model) implements AgentEvent {
    }

    /** A piece of the answer (whole lines: the engine redacts line by line before streaming). */
    record TextDelta(String runId, String text) implements AgentEvent {
    }

    /**
     * A tool call begins.
     *
     * @param step      the step number the call is stored under
     * @param arguments the arguments as JSON text
     */
    record ToolStarted(String runId, int step, String callId, String tool, String arguments) implements AgentEvent {
    }

    /** A tool call ended: a one-line summary (or the error) and the evidence it cited. */
    record ToolFinished(String runId, int step, String callId, String tool, String summary, boolean error,
                        List<Citation> citations, long durationMs) implements AgentEvent {
        public ToolFinished {
            citations = List.copyOf(citations);
        }
    }

    /** The run failed; {@code message} says why in plain words. */
    record Error(String runId, String message) implements AgentEvent {
    }

    /**
     * The run ended.
     *
     * @param status completed, failed, cancelled or max_steps
     * @param text   the final answer (for max_steps: what was said, with a note), or null
     */
    record RunFinished(String runId, String status, String text, int steps, long inputTokens, long outputTokens,
                       double cost, long durationMs) implements AgentEvent {
    }
}
