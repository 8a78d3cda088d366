package io.opsagent.adapters.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsagent.core.agent.model.ChatMessage;
import io.opsagent.core.agent.model.ChatRequest;
import io.opsagent.core.agent.model.ToolCall;
import io.opsagent.core.agent.model.ToolDefinition;
import io.opsagent.core.agent.model.ToolResultBlock;

/**
 * Builds the JSON body of {@code POST /chat/completions} from a {@link ChatRequest}: system message, user
 * messages, assistant messages with {@code tool_calls} (arguments as a JSON string), one {@code tool} message
 * per tool result, the tools as {@code function} definitions, streaming with usage.
 */
final class ChatCompletionsBody {

    private final ObjectMapper json;

    ChatCompletionsBody(ObjectMapper json) {
        this.json = json;
    }

    ObjectNode build(ChatRequest request, OpenAiConfig config) {
        ObjectNode body = json.createObjectNode();
        body.put("model", config.model());
        ArrayNode messages = body.putArray("messages");
        if (!request.system().isBlank()) {
            messages.addObject().put("role", "system").put("content", request.system());
        }
        for (ChatMessage m : request.messages()) addMessage(messages, m);
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (ToolDefinition t : request.tools()) {
                ObjectNode fn = tools.addObject().put("type", "function").putObject("function");
                fn.put("name", t.name());
                fn.put("description", t.description() == null ? "" : t.description());
                fn.set("parameters", t.parameters() == null ? emptySchema() : t.parameters());
            }
        }
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        int maxTokens = config.maxTokens() == null ? request.maxTokens() : Math.min(config.maxTokens(), request.maxTokens());
        body.put("max_tokens", maxTokens);
        body.put("temperature", config.temperature() == null ? request.temperature() : config.temperature());
        return body;
    }

    private void addMessage(ArrayNode messages, ChatMessage m) {
        switch (m.role()) {
            case USER -> messages.addObject().put("role", "user").put("content", m.text());
            case ASSISTANT -> {
                ObjectNode a = messages.addObject().put("role", "assistant");
                if (m.toolCalls().isEmpty() || !m.text().isEmpty()) a.put("content", m.text());
                else a.putNull("content");
                if (!m.toolCalls().isEmpty()) {
                    ArrayNode calls = a.putArray("tool_calls");
                    for (ToolCall c : m.toolCalls()) {
                        ObjectNode call = calls.addObject().put("id", c.id()).put("type", "function");
                        call.putObject("function").put("name", c.name()).put("arguments", argumentsJson(c));
                    }
                }
            }
            case TOOL -> {
                for (ToolResultBlock r : m.toolResults()) {
                    messages.addObject().put("role", "tool").put("tool_call_id", r.toolCallId())
                            .put("content", r.error() ? "ERROR: " + r.text() : r.text());
                }
            }
        }
    }

    /** The call's arguments as a JSON string; "{}" for a call whose arguments the model sent unparseable. */
    private String argumentsJson(ToolCall c) {
        if (c.invalidArgumentsProblem() != null) return "{}";
        try {
            return json.writeValueAsString(c.arguments());
        } catch (Exception e) {
            return "{}";
        }
    }

    private ObjectNode emptySchema() {
        ObjectNode s = json.createObjectNode().put("type", "object");
        s.putObject("properties");
        return s;
    }
}
