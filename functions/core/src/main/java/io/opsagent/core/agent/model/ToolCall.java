package io.opsagent.core.agent.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A whole tool call requested by the model. Streaming adapters (Bedrock {@code toolUse} blocks, OpenAI
 * {@code tool_calls} deltas) assemble the id, the name and the argument JSON fragments before emitting it.
 *
 * @param id        the model's id for the call; the matching {@link ToolResultBlock} carries it back
 * @param name      the tool name, as declared in a {@link io.opsagent.core.tools.ToolSpec}
 * @param arguments the parsed argument object (an empty object when the model sent none)
 */
public record ToolCall(String id, String name, ObjectNode arguments) {
    public ToolCall {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(arguments, "arguments");
    }
}
