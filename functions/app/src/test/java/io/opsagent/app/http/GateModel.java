package io.opsagent.app.http;

import io.opsagent.core.agent.model.ChatMessage;
import io.opsagent.core.agent.model.ChatModel;
import io.opsagent.core.agent.model.ChatRequest;
import io.opsagent.core.agent.model.ModelEvent;
import io.opsagent.core.agent.model.ScriptedChatModel;
import io.opsagent.core.agent.model.StopReason;
import io.opsagent.core.agent.model.ToolCall;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A test model whose first turn (text, then a workload_summary call) waits at a gate the test opens, so a test can
 * act while a run is in the middle of a model turn; after the tool result it answers. A question containing
 * "please fail" makes the turn fail with a model error. Thread-safe.
 */
final class GateModel implements ChatModel {
    static final String ANSWER = "All checked: the workload summary is in.";
    private final Semaphore gate = new Semaphore(0);
    private volatile CountDownLatch entered = new CountDownLatch(1);

    @Override
    public String id() {
        return "gate-model";
    }

    /** Arms the next wait: call before starting a run. */
    void reset() {
        gate.drainPermits();
        entered = new CountDownLatch(1);
    }

    /** Waits until a run is inside its first turn (holding the gate). */
    void awaitEntered() throws InterruptedException {
        if (!entered.await(20, TimeUnit.SECONDS)) throw new AssertionError("the run never reached the model");
    }

    void open() {
        gate.release(1000);
    }

    @Override
    public void stream(ChatRequest request, Consumer<ModelEvent> listener) {
        List<ChatMessage> m = request.messages();
        if (m.get(m.size() - 1).text().contains("please fail")) {
            listener.accept(new ModelEvent.TextDelta("Starting.\n"));
            listener.accept(new ModelEvent.Stop(StopReason.ERROR, "the model service is unavailable (test)"));
            return;
        }
        if (m.get(m.size() - 1).role() == ChatMessage.Role.TOOL) {
            listener.accept(new ModelEvent.TextDelta(ANSWER + "\n"));
            listener.accept(new ModelEvent.Usage(50, 10));
            listener.accept(new ModelEvent.Stop(StopReason.END_TURN, null));
            return;
        }
        listener.accept(new ModelEvent.TextDelta("Let me look.\n"));
        entered.countDown();
        try {
            if (!gate.tryAcquire(30, TimeUnit.SECONDS)) throw new IllegalStateException("gate never opened");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
        listener.accept(new ModelEvent.ToolUse(new ToolCall("c1", "workload_summary", ScriptedChatModel.parse("{}"))));
        listener.accept(new ModelEvent.Usage(40, 8));
        listener.accept(new ModelEvent.Stop(StopReason.TOOL_USE, null));
    }
}
