package io.opsagent.adapters.bedrock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsagent.core.agent.model.ModelEvent;
import io.opsagent.core.agent.model.StopReason;
import io.opsagent.core.agent.model.ToolCall;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDeltaEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStartEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStopEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.MessageStopEvent;

/**
 * Turns ConverseStream events into {@link ModelEvent}s: text deltas as they arrive, one {@link ModelEvent.ToolUse}
 * per {@code toolUse} block when the block stops (input JSON assembled from its fragments), usage from the
 * metadata event. The stop reason is kept until the stream ends ({@link #stop()}), because Bedrock sends the
 * metadata after {@code messageStop}.
 *
 * <p>Tool input that is not a JSON object does not throw: the call is emitted with
 * {@link ToolCall#invalidArguments(String, String, String)} arguments, which the tool registry answers with a tool error
 * the model can correct.
 */
final class StreamAssembler {
    private final Consumer<ModelEvent> out;
    private final Map<Integer, PendingTool> tools = new HashMap<>();
    private String stopReason;
    private int emitted;

    StreamAssembler(Consumer<ModelEvent> out) {
        this.out = out;
    }

    private record PendingTool(String id, String name, StringBuilder input) {
    }

    /** How many events were passed on so far. */
    int emitted() {
        return emitted;
    }

    boolean sawMessageStop() {
        return stopReason != null;
    }

    void accept(ConverseStreamOutput event) {
        if (event instanceof ContentBlockStartEvent s) {
            if (s.start() != null && s.start().toolUse() != null) {
                tools.put(s.contentBlockIndex(), new PendingTool(s.start().toolUse().toolUseId(),
                        s.start().toolUse().name(), new StringBuilder()));
            }
        } else if (event instanceof ContentBlockDeltaEvent d) {
            if (d.delta() == null) return;
            if (d.delta().text() != null && !d.delta().text().isEmpty()) {
                emit(new ModelEvent.TextDelta(d.delta().text()));
            } else if (d.delta().toolUse() != null) {
                PendingTool p = tools.get(d.contentBlockIndex());
                if (p != null && d.delta().toolUse().input() != null) p.input().append(d.delta().toolUse().input());
            }
        } else if (event instanceof ContentBlockStopEvent s) {
            PendingTool p = tools.remove(s.contentBlockIndex());
            if (p != null) emit(new ModelEvent.ToolUse(toolCall(p)));
        } else if (event instanceof MessageStopEvent m) {
            stopReason = m.stopReasonAsString() == null ? "end_turn" : m.stopReasonAsString();
        } else if (event instanceof ConverseStreamMetadataEvent md) {
            if (md.usage() != null) {
                emit(new ModelEvent.Usage(nz(md.usage().inputTokens()), nz(md.usage().outputTokens())));
            }
        }
    }

    /** The stop event for the stream's end: the mapped stop reason, or an error if no messageStop came. */
    ModelEvent.Stop stop() {
        if (stopReason == null) {
            return new ModelEvent.Stop(StopReason.ERROR, "Bedrock stream ended without a messageStop event (connection closed early?); the answer is incomplete");
        }
        return switch (stopReason) {
            case "end_turn", "stop_sequence" -> new ModelEvent.Stop(StopReason.END_TURN, null);
            case "tool_use" -> new ModelEvent.Stop(StopReason.TOOL_USE, null);
            case "max_tokens", "model_context_window_exceeded" -> new ModelEvent.Stop(StopReason.MAX_TOKENS, null);
            case "guardrail_intervened", "content_filtered" -> new ModelEvent.Stop(StopReason.ERROR,
                    "Bedrock stopped the answer: " + stopReason);
            default -> new ModelEvent.Stop(StopReason.END_TURN, null);
        };
    }

    private static ToolCall toolCall(PendingTool p) {
        String raw = p.input().toString().strip();
        if (raw.isEmpty()) return new ToolCall(p.id(), p.name(), Documents.JSON.createObjectNode());
        try {
            JsonNode node = Documents.JSON.readTree(raw);
            if (node instanceof ObjectNode o) return new ToolCall(p.id(), p.name(), o);
            return ToolCall.invalidArguments(p.id(), p.name(), "not a JSON object (got "
                    + (node == null ? "nothing" : node.getNodeType().name().toLowerCase(Locale.ROOT)) + "): " + excerpt(raw));
        } catch (JsonProcessingException e) {
            // not an exception for the turn: the registry answers with a tool error the model can correct
            String why = e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage().lines().findFirst().orElse("");
            return ToolCall.invalidArguments(p.id(), p.name(), "not valid JSON (" + why + "): " + excerpt(raw));
        }
    }

    private static String excerpt(String raw) {
        return raw.length() <= 300 ? raw : raw.substring(0, 300) + "… (" + raw.length() + " characters)";
    }

    private void emit(ModelEvent e) {
        emitted++;
        out.accept(e);
    }

    private static long nz(Integer i) {
        return i == null ? 0 : i;
    }
}
