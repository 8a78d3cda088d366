package io.opsagent.core.agent.model;

import java.util.List;
import java.util.Objects;

/**
 * One message of the conversation sent to a model: a user message, an assistant message (text and/or tool
 * calls), or the tool results that answer an assistant message's calls (sent with the user role by Bedrock, as
 * {@code tool} messages by OpenAI).
 */
public record ChatMessage(Role role, String text, List<ToolCall> toolCalls, List<ToolResultBlock> toolResults) {

    /** Who speaks. */
    public enum Role { USER, ASSISTANT, TOOL }

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        text = text == null ? "" : text;
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        toolResults = toolResults == null ? List.of() : List.copyOf(toolResults);
    }

    public static ChatMessage user(String text) {
        return new ChatMessage(Role.USER, text, List.of(), List.of());
    }

    public static ChatMessage assistant(String text, List<ToolCall> calls) {
        return new ChatMessage(Role.ASSISTANT, text, calls, List.of());
    }

    public static ChatMessage toolResults(List<ToolResultBlock> results) {
        return new ChatMessage(Role.TOOL, "", List.of(), results);
    }
}
