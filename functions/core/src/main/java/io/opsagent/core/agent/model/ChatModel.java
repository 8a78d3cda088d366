package io.opsagent.core.agent.model;

import java.util.function.Consumer;

/**
 * Port: a chat model that streams one turn. Implementations call {@code listener} on the calling thread or on
 * their own, but never concurrently, and return only after the {@link ModelEvent.Stop} event was delivered.
 * Failures are reported as a stop with {@link StopReason#ERROR} and a clear message; an exception thrown from
 * {@code stream} is treated the same way by the engine.
 *
 * <p>Mapping: Bedrock ConverseStream {@code contentBlockDelta.text} → {@link ModelEvent.TextDelta};
 * {@code contentBlockStart.toolUse} + {@code toolUse.input} deltas + {@code contentBlockStop} → one
 * {@link ModelEvent.ToolUse}; {@code metadata.usage} → {@link ModelEvent.Usage}; {@code messageStop.stopReason}
 * → {@link ModelEvent.Stop}. OpenAI chat completions: {@code delta.content} → text, {@code delta.tool_calls[i]}
 * accumulated per index → tool use, {@code usage} (with {@code stream_options.include_usage}) → usage,
 * {@code finish_reason} stop/tool_calls/length → end_turn/tool_use/max_tokens.
 */
public interface ChatModel {

    /** Model id recorded on runs, e.g. {@code offline-analyst}, {@code anthropic.claude-...}. */
    String id();

    void stream(ChatRequest request, Consumer<ModelEvent> listener);
}
