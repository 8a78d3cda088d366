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

    /**
     * Reserved argument key marking a call whose arguments the model sent as text that is not a JSON object.
     * The value is a sentence describing the problem (with an excerpt of what was sent); {@code ToolRegistry}
     * answers such a call with a tool error the model can correct instead of running the tool.
     */
    public static final String INVALID_ARGUMENTS = "__opsagent_invalid_arguments";

    /**
     * A call whose arguments could not be parsed: streaming adapters emit this rather than failing the turn.
     *
     * @param problem what was wrong, e.g. "not valid JSON (Unexpected end-of-input) in: {\"pod\": \"ap"
     */
    public static ToolCall invalidArguments(String id, String name, String problem) {
        ObjectNode args = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        args.put(INVALID_ARGUMENTS, problem);
        return new ToolCall(id, name, args);
    }

    /** The problem recorded by {@link #invalidArguments}, or null when the arguments were parsed. */
    public String invalidArgumentsProblem() {
        return arguments.hasNonNull(INVALID_ARGUMENTS) ? arguments.get(INVALID_ARGUMENTS).asText() : null;
    }
}
