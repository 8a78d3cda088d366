package io.opsagent.core.agent.model;

/**
 * What a streaming chat model emits during one turn, in order: text deltas and tool calls (any number,
 * interleaved), at most one usage report, then exactly one stop.
 */
public sealed interface ModelEvent {

    /** A piece of the answer text. */
    record TextDelta(String text) implements ModelEvent {
    }

    /** A complete tool call (assembled by the adapter from its deltas). */
    record ToolUse(ToolCall call) implements ModelEvent {
    }

    /** Token counts of the turn. */
    record Usage(long inputTokens, long outputTokens) implements ModelEvent {
    }

    /**
     * End of the turn.
     *
     * @param error a clear message when {@code reason} is {@link StopReason#ERROR}, else null
     */
    record Stop(StopReason reason, String error) implements ModelEvent {
    }
}
