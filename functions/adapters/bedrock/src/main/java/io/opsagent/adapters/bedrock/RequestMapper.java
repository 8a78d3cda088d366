package io.opsagent.adapters.bedrock;

import io.opsagent.core.agent.model.ChatMessage;
import io.opsagent.core.agent.model.ChatRequest;
import io.opsagent.core.agent.model.ToolCall;
import io.opsagent.core.agent.model.ToolDefinition;
import io.opsagent.core.agent.model.ToolResultBlock;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultStatus;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

/**
 * Maps a core {@link ChatRequest} to a Bedrock {@link ConverseStreamRequest}: system prompt, messages (tool
 * results go back as user {@code toolResult} blocks, status error when the tool failed), tool configuration from
 * the tools' JSON Schemas, and inference configuration. Consecutive messages of the same Bedrock role are merged,
 * since Converse requires user and assistant turns to alternate.
 */
final class RequestMapper {
    private RequestMapper() {
    }

    static ConverseStreamRequest map(ChatRequest request, BedrockConfig config) {
        int maxTokens = config.maxTokens() != null ? config.maxTokens() : request.maxTokens();
        double temperature = config.temperature() != null ? config.temperature() : request.temperature();
        ConverseStreamRequest.Builder b = ConverseStreamRequest.builder()
                .modelId(config.modelId())
                .messages(messages(request.messages()))
                .inferenceConfig(InferenceConfiguration.builder()
                        .maxTokens(maxTokens).temperature((float) temperature).build());
        if (request.runId() != null && !request.runId().isBlank()) {
            // request metadata shows up in Bedrock invocation logs; Bedrock allows [a-zA-Z0-9\s:_@$#=/+,.-], ≤ 256
            String id = request.runId().replaceAll("[^a-zA-Z0-9 :_@$#=/+,.-]", "_");
            b.requestMetadata(java.util.Map.of("opsagent-run-id", id.length() > 256 ? id.substring(0, 256) : id));
        }
        if (!request.system().isBlank()) b.system(SystemContentBlock.fromText(request.system()));
        if (!request.tools().isEmpty()) {
            b.toolConfig(ToolConfiguration.builder().tools(request.tools().stream().map(RequestMapper::tool).toList())
                    .build());
        }
        return b.build();
    }

    static Tool tool(ToolDefinition d) {
        return Tool.fromToolSpec(ToolSpecification.builder()
                .name(d.name())
                .description(d.description() == null || d.description().isBlank() ? d.name() : d.description())
                .inputSchema(ToolInputSchema.fromJson(Documents.toDocument(d.parameters() == null
                        ? Documents.JSON.createObjectNode().put("type", "object") : d.parameters())))
                .build());
    }

    static List<Message> messages(List<ChatMessage> messages) {
        List<Message> out = new ArrayList<>();
        ConversationRole role = null;
        List<ContentBlock> blocks = new ArrayList<>();
        for (ChatMessage m : messages) {
            ConversationRole r = m.role() == ChatMessage.Role.ASSISTANT ? ConversationRole.ASSISTANT : ConversationRole.USER;
            List<ContentBlock> content = content(m);
            if (content.isEmpty()) continue;
            if (role != null && r != role) {
                out.add(Message.builder().role(role).content(blocks).build());
                blocks = new ArrayList<>();
            }
            role = r;
            blocks.addAll(content);
        }
        if (role != null) out.add(Message.builder().role(role).content(blocks).build());
        return out;
    }

    private static List<ContentBlock> content(ChatMessage m) {
        List<ContentBlock> blocks = new ArrayList<>();
        for (ToolResultBlock r : m.toolResults()) {
            String text = r.text() == null || r.text().isEmpty() ? "(no output)" : r.text();
            blocks.add(ContentBlock.fromToolResult(b -> b.toolUseId(r.toolCallId())
                    .content(ToolResultContentBlock.fromText(text))
                    .status(r.error() ? ToolResultStatus.ERROR : ToolResultStatus.SUCCESS)));
        }
        // Bedrock rejects blank text blocks
        if (!m.text().isBlank()) blocks.add(ContentBlock.fromText(m.text()));
        for (ToolCall c : m.toolCalls()) {
            blocks.add(ContentBlock.fromToolUse(ToolUseBlock.builder().toolUseId(c.id()).name(c.name())
                    .input(Documents.toDocument(c.arguments())).build()));
        }
        return blocks;
    }
}
