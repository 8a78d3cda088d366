package io.opsagent.core.agent.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A chat model that plays a script: each call to {@link #stream} plays the next turn. Records every request so
 * tests can assert what the model was sent. For tests and zero-latency benchmarks; not thread-safe across
 * concurrent runs unless each run has its own instance.
 */
public final class ScriptedChatModel implements ChatModel {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One scripted turn: produces the events for a request (may inspect it). */
    @FunctionalInterface
    public interface Turn extends Function<ChatRequest, List<ModelEvent>> {
    }

    private final List<Turn> turns;
    private final List<ChatRequest> requests = Collections.synchronizedList(new ArrayList<>());
    private int next;

    public ScriptedChatModel(List<Turn> turns) {
        this.turns = List.copyOf(turns);
    }

    public static ScriptedChatModel of(Turn... turns) {
        return new ScriptedChatModel(List.of(turns));
    }

    @Override
    public String id() {
        return "scripted";
    }

    @Override
    public synchronized void stream(ChatRequest request, Consumer<ModelEvent> listener) {
        requests.add(request);
        if (next >= turns.size()) {
            listener.accept(new ModelEvent.Stop(StopReason.ERROR, "script exhausted after " + turns.size() + " turns"));
            return;
        }
        for (ModelEvent e : turns.get(next++).apply(request)) listener.accept(e);
    }

    /** The requests received so far, in order. */
    public List<ChatRequest> requests() {
        return List.copyOf(requests);
    }

    // ------------------------------------------------------------ turn builders

    /** A turn that answers {@code text} in chunks of about {@code chunk} characters and ends the turn. */
    public static Turn answer(String text) {
        return r -> {
            List<ModelEvent> ev = new ArrayList<>();
            for (int i = 0; i < text.length(); i += 7) {
                ev.add(new ModelEvent.TextDelta(text.substring(i, Math.min(text.length(), i + 7))));
            }
            ev.add(new ModelEvent.Usage(100, text.length() / 4 + 1));
            ev.add(new ModelEvent.Stop(StopReason.END_TURN, null));
            return ev;
        };
    }

    /** A turn that calls one tool with JSON arguments. */
    public static Turn call(String id, String tool, String argsJson) {
        return r -> List.of(new ModelEvent.ToolUse(new ToolCall(id, tool, parse(argsJson))),
                new ModelEvent.Usage(100, 20), new ModelEvent.Stop(StopReason.TOOL_USE, null));
    }

    /** A turn that fails with {@code message}. */
    public static Turn error(String message) {
        return r -> List.of(new ModelEvent.Stop(StopReason.ERROR, message));
    }

    /** A turn that throws (a transport failure). */
    public static Turn throwing(RuntimeException e) {
        return r -> {
            throw e;
        };
    }

    public static ObjectNode parse(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException("bad JSON in script: " + json, e);
        }
    }
}
