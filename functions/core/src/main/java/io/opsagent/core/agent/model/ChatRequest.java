package io.opsagent.core.agent.model;

import java.util.List;
import java.util.Objects;

/**
 * One call to a chat model.
 *
 * @param system      the system prompt (workload context included)
 * @param messages    the conversation so far, oldest first, ending with a user message or tool results
 * @param tools       the tools the model may call
 * @param maxTokens   the most output tokens for this turn
 * @param temperature sampling temperature (0 for deterministic answers)
 * @param runId       correlation id, for the adapter's own logs and request metadata
 */
public record ChatRequest(String system, List<ChatMessage> messages, List<ToolDefinition> tools, int maxTokens,
                          double temperature, String runId) {
    public ChatRequest {
        Objects.requireNonNull(system, "system");
        messages = List.copyOf(messages);
        tools = tools == null ? List.of() : List.copyOf(tools);
        if (maxTokens < 1) throw new IllegalArgumentException("maxTokens must be positive, was " + maxTokens);
    }

    /** The last user message's text, or "" if there is none. */
    public String lastUserText() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role() == ChatMessage.Role.USER) return messages.get(i).text();
        }
        return "";
    }
}
