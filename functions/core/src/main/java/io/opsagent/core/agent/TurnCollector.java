package io.opsagent.core.agent;

import io.opsagent.core.agent.model.ModelEvent;
import io.opsagent.core.agent.model.StopReason;
import io.opsagent.core.agent.model.ToolCall;
import io.opsagent.core.redact.LineRedactor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Collects one streamed model turn. Text is redacted line by line before it is passed on (a secret can only be
 * recognised in a whole line), so deltas reach the listener as complete lines; the rest is flushed at the end.
 */
final class TurnCollector implements Consumer<ModelEvent> {
    private final Consumer<String> out;
    private final LineRedactor redactor;
    private final StringBuilder pending = new StringBuilder();
    private final StringBuilder text = new StringBuilder();
    final List<ToolCall> calls = new ArrayList<>();
    long inputTokens;
    long outputTokens;
    StopReason stop;
    String error;
    private boolean closed;

    TurnCollector(LineRedactor redactor, Consumer<String> out) {
        this.redactor = redactor;
        this.out = out;
    }

    @Override
    public synchronized void accept(ModelEvent e) {
        if (stop != null || closed) return; // nothing counts after the stop or a timeout
        if (e instanceof ModelEvent.TextDelta d) {
            pending.append(d.text());
            int nl = pending.lastIndexOf("\n");
            if (nl >= 0) {
                String lines = pending.substring(0, nl + 1);
                pending.delete(0, nl + 1);
                emitLines(lines);
            }
        } else if (e instanceof ModelEvent.ToolUse u) {
            calls.add(u.call());
        } else if (e instanceof ModelEvent.Usage u) {
            inputTokens += u.inputTokens();
            outputTokens += u.outputTokens();
        } else if (e instanceof ModelEvent.Stop s) {
            flush();
            stop = s.reason();
            error = s.error();
        }
    }

    private void emitLines(String lines) {
        StringBuilder red = new StringBuilder();
        String[] parts = lines.split("\n", -1);
        for (int i = 0; i < parts.length - 1; i++) red.append(redactor.next(parts[i])).append('\n');
        text.append(red);
        out.accept(red.toString());
    }

    /** Emits what is left of a last line without newline. */
    synchronized void flush() {
        if (pending.length() > 0) {
            String red = redactor.next(pending.toString());
            pending.setLength(0);
            text.append(red);
            out.accept(red);
        }
    }

    /** Flushes and ignores whatever the model sends from now on (after a timeout). */
    synchronized void close() {
        flush();
        closed = true;
    }

    /** The redacted text of the turn, as streamed. */
    synchronized String text() {
        return text.toString();
    }
}
