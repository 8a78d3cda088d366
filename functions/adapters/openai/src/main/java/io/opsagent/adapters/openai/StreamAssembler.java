package io.opsagent.adapters.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsagent.core.agent.model.ModelEvent;
import io.opsagent.core.agent.model.StopReason;
import io.opsagent.core.agent.model.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns the JSON chunks of one streamed chat completion into {@link ModelEvent}s: text deltas as they arrive;
 * tool-call fragments collected per {@code index} (id and name first, {@code arguments} pieces concatenated) and
 * emitted as whole calls at the end; usage; and the stop reason from {@code finish_reason}. Also accepts a
 * whole call in one chunk (older Ollama), calls without {@code index}, arguments sent as an object, and
 * {@code finish_reason: stop} with tool calls (treated as a tool-use turn).
 */
final class StreamAssembler {
    private static final int EXCERPT = 200;

    private final ObjectMapper json;
    private final Consumer<ModelEvent> out;
    private final List<PendingCall> calls = new ArrayList<>();
    private String finishReason;
    private ModelEvent.Usage usage;
    private boolean emitted;

    StreamAssembler(ObjectMapper json, Consumer<ModelEvent> out) {
        this.json = json;
        this.out = out;
    }

    /** One tool call being assembled. */
    private static final class PendingCall {
        final int index;
        String id;
        String name;
        final StringBuilder arguments = new StringBuilder();
        JsonNode argumentsObject;

        PendingCall(int index) {
            this.index = index;
        }
    }

    /**
     * Applies one chunk ({@code choices[0].delta} or, for a non-streamed answer, {@code choices[0].message}).
     *
     * @return an error message when the chunk reports an error, else null
     */
    String accept(JsonNode chunk) {
        JsonNode error = chunk.get("error");
        if (error != null && !error.isNull()) {
            return error.isTextual() ? error.asText() : error.path("message").asText(error.toString());
        }
        JsonNode u = chunk.get("usage");
        if (u != null && u.isObject()) {
            usage = new ModelEvent.Usage(u.path("prompt_tokens").asLong(0), u.path("completion_tokens").asLong(0));
        }
        JsonNode choice = chunk.path("choices").path(0);
        if (choice.isMissingNode()) return null;
        JsonNode delta = choice.has("delta") ? choice.get("delta") : choice.path("message");
        JsonNode content = delta.get("content");
        if (content != null && content.isTextual() && !content.asText().isEmpty()) {
            emitted = true;
            out.accept(new ModelEvent.TextDelta(content.asText()));
        }
        JsonNode toolCalls = delta.get("tool_calls");
        if (toolCalls != null && toolCalls.isArray()) {
            for (int i = 0; i < toolCalls.size(); i++) fragment(toolCalls.get(i), i);
        }
        JsonNode fr = choice.get("finish_reason");
        if (fr != null && fr.isTextual() && !fr.asText().isEmpty()) finishReason = fr.asText();
        return null;
    }

    private void fragment(JsonNode tc, int position) {
        String id = text(tc.get("id"));
        PendingCall call;
        if (tc.has("index") && tc.get("index").canConvertToInt()) {
            call = byIndex(tc.get("index").asInt());
        } else if (id != null) {
            call = calls.stream().filter(c -> id.equals(c.id)).findFirst().orElseGet(() -> byIndex(nextIndex()));
        } else {
            call = calls.isEmpty() ? byIndex(position) : calls.get(calls.size() - 1);
        }
        if (id != null) call.id = id;
        JsonNode fn = tc.path("function");
        String name = text(fn.get("name"));
        if (name != null) call.name = call.name == null || call.name.equals(name) ? name : call.name + name;
        JsonNode args = fn.get("arguments");
        if (args != null && args.isTextual()) call.arguments.append(args.asText());
        else if (args != null && args.isObject()) call.argumentsObject = args;
    }

    private PendingCall byIndex(int index) {
        for (PendingCall c : calls) if (c.index == index) return c;
        PendingCall c = new PendingCall(index);
        calls.add(c);
        calls.sort((a, b) -> Integer.compare(a.index, b.index));
        return c;
    }

    private int nextIndex() {
        return calls.stream().mapToInt(c -> c.index + 1).max().orElse(0);
    }

    /** True once a finish_reason arrived (the answer is complete even if the server omits [DONE]). */
    boolean finished() {
        return finishReason != null;
    }

    /** True once a text delta was delivered (a retry would repeat it). */
    boolean emittedAny() {
        return emitted;
    }

    /** Emits the assembled tool calls, the usage and the stop event. */
    void complete() {
        for (PendingCall c : calls) out.accept(new ModelEvent.ToolUse(toCall(c)));
        if (usage != null) out.accept(usage);
        out.accept(new ModelEvent.Stop(stopReason(), stopError()));
    }

    /** Emits the usage seen so far (if any) and an error stop. */
    void fail(String message) {
        if (usage != null) out.accept(usage);
        out.accept(new ModelEvent.Stop(StopReason.ERROR, message));
    }

    private StopReason stopReason() {
        if (finishReason == null) return calls.isEmpty() ? StopReason.END_TURN : StopReason.TOOL_USE;
        return switch (finishReason) {
            case "length" -> StopReason.MAX_TOKENS;
            case "content_filter" -> StopReason.ERROR;
            case "tool_calls", "function_call" -> StopReason.TOOL_USE;
            default -> calls.isEmpty() ? StopReason.END_TURN : StopReason.TOOL_USE;
        };
    }

    private String stopError() {
        return "content_filter".equals(finishReason)
                ? "the endpoint's content filter stopped the answer (finish_reason content_filter)" : null;
    }

    private ToolCall toCall(PendingCall c) {
        String id = c.id != null ? c.id : "call_" + c.index;
        String name = c.name == null ? "" : c.name;
        if (c.argumentsObject != null) return new ToolCall(id, name, (ObjectNode) c.argumentsObject);
        String raw = c.arguments.toString().strip();
        if (raw.isEmpty()) return new ToolCall(id, name, json.createObjectNode());
        try {
            JsonNode parsed = json.readTree(raw);
            if (parsed != null && parsed.isObject()) return new ToolCall(id, name, (ObjectNode) parsed);
            return ToolCall.invalidArguments(id, name, "not a JSON object (got " + (parsed == null ? "nothing"
                    : parsed.getNodeType().name().toLowerCase()) + "): " + excerpt(raw));
        } catch (Exception e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            return ToolCall.invalidArguments(id, name, "not valid JSON (" + why + "): " + excerpt(raw));
        }
    }

    private static String excerpt(String s) {
        return s.length() <= EXCERPT ? s : s.substring(0, EXCERPT) + "…";
    }

    private static String text(JsonNode n) {
        return n != null && n.isTextual() && !n.asText().isEmpty() ? n.asText() : null;
    }
}
