package io.opsagent.core.agent.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsagent.core.tools.Citation;
import java.util.List;

/**
 * The result of one tool call as it goes back to the model. LLM adapters send {@link #text()} and {@link #error()}
 * (Bedrock {@code toolResult} with status error, OpenAI {@code tool} message); {@link #data()} and
 * {@link #citations()} are the structured part, used by the offline analyst and the UI.
 *
 * @param toolCallId the id of the {@link ToolCall} answered
 * @param text       what the tool returned (redacted, size-capped), or the error message
 * @param error      true when the tool failed (bad arguments, timeout, exception): the model may correct itself
 * @param data       structured result (redacted), or null
 */
public record ToolResultBlock(String toolCallId, String toolName, String text, boolean error, JsonNode data,
                              List<Citation> citations) {
    public ToolResultBlock {
        citations = citations == null ? List.of() : List.copyOf(citations);
    }
}
