package io.opsagent.lambda;

import io.opsagent.core.agent.model.ChatModel;
import io.opsagent.core.agent.model.ChatRequest;
import io.opsagent.core.agent.model.ModelEvent;
import io.opsagent.core.agent.model.StopReason;
import java.util.List;
import java.util.function.Consumer;

/**
 * A model that answers in a few text deltas with a pause before each, as a real model streams: a test can tell a
 * streamed answer (deltas arrive apart in time) from a buffered one (all at the end). Stateless, thread-safe.
 */
final class ChatSlowModel implements ChatModel {
    /** Whole lines: the engine redacts line by line and passes text on a line at a time. */
    static final List<String> DELTAS = List.of("**cart** is crash-looping.\n", "Its container is OOMKilled (exit 137).\n",
            "The memory limit is 128Mi.\n", "Raise the limit or fix the leak.\n", "Evidence: shop/cart pods, last state.\n");
    private final long pauseMillis;

    ChatSlowModel(long pauseMillis) {
        this.pauseMillis = pauseMillis;
    }

    @Override
    public String id() {
        return "slow-scripted";
    }

    @Override
    public void stream(ChatRequest request, Consumer<ModelEvent> listener) {
        for (String d : DELTAS) {
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                listener.accept(new ModelEvent.Stop(StopReason.ERROR, "interrupted"));
                return;
            }
            listener.accept(new ModelEvent.TextDelta(d));
        }
        listener.accept(new ModelEvent.Usage(120, 30));
        listener.accept(new ModelEvent.Stop(StopReason.END_TURN, null));
    }
}
