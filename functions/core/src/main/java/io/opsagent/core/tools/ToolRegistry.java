package io.opsagent.core.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsagent.core.agent.model.ToolCall;
import io.opsagent.core.agent.model.ToolDefinition;
import io.opsagent.core.redact.Redactor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tools an agent may call, by name. {@link #execute} is the only way tools run: it validates the arguments
 * against the declared schema, runs the tool on an executor with the tool's timeout, turns every failure into a
 * tool error the model can read, redacts the result and caps its size.
 */
public final class ToolRegistry {
    private static final AtomicInteger THREADS = new AtomicInteger();
    private final Map<String, Tool> tools = new LinkedHashMap<>();
    private final ExecutorService executor;

    public ToolRegistry(List<? extends Tool> tools) {
        for (Tool t : tools) {
            if (this.tools.put(t.spec().name(), t) != null) {
                throw new IllegalArgumentException("tool '" + t.spec().name() + "' is registered twice");
            }
        }
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread th = new Thread(r, "opsagent-tool-" + THREADS.incrementAndGet());
            th.setDaemon(true);
            return th;
        });
    }

    /** The registered tools' names, in order. */
    public List<String> names() {
        return List.copyOf(tools.keySet());
    }

    public List<ToolSpec> specs() {
        return tools.values().stream().map(Tool::spec).toList();
    }

    /** The tools as a model is told about them. */
    public List<ToolDefinition> definitions() {
        return specs().stream().map(s -> new ToolDefinition(s.name(), s.description(), s.parameters())).toList();
    }

    public Optional<ToolSpec> spec(String name) {
        return Optional.ofNullable(tools.get(name)).map(Tool::spec);
    }

    /** Runs one call. Never throws: unknown tool, bad arguments, timeout and exceptions become tool errors. */
    public ToolResult execute(ToolCall call, ToolContext context, Redactor redactor) {
        Tool tool = tools.get(call.name());
        if (tool == null) {
            return ToolResult.error("unknown tool '" + call.name() + "'; available tools: "
                    + String.join(", ", tools.keySet()));
        }
        ToolSpec spec = tool.spec();
        String unparsed = call.invalidArgumentsProblem();
        if (unparsed != null) {
            return ToolResult.error("the arguments for " + spec.name() + " were " + unparsed
                    + ". Send the arguments as one JSON object matching: " + spec.parameters());
        }
        List<String> problems = SchemaValidator.validate(spec.parameters(), call.arguments());
        if (!problems.isEmpty()) {
            return ToolResult.error("invalid arguments for " + spec.name() + ": " + String.join("; ", problems)
                    + ". Parameters: " + spec.parameters());
        }
        ToolResult raw;
        Future<ToolResult> f = executor.submit(() -> tool.call(call.arguments().deepCopy(), context));
        try {
            raw = f.get(spec.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (raw == null) raw = ToolResult.error(spec.name() + " returned nothing");
        } catch (TimeoutException e) {
            f.cancel(true);
            raw = ToolResult.error(spec.name() + " timed out after " + spec.timeout().toMillis()
                    + " ms; try a narrower query (a pod, a time range, fewer keywords)");
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            raw = c instanceof ToolInputException ? ToolResult.error(c.getMessage()) : ToolResult.error(spec.name() + " failed: " + (c.getMessage() == null ? c.toString() : c.getMessage()));
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            raw = ToolResult.error(spec.name() + " was interrupted");
        }
        return finish(raw, spec.maxOutputChars(), redactor);
    }

    /** Redacts text, summary, data and citation labels, then caps the text. */
    static ToolResult finish(ToolResult r, int maxChars, Redactor redactor) {
        String text = cap(redactor.redact(r.text()), maxChars);
        JsonNode data = r.data() == null ? null : redactor.redact(r.data());
        List<Citation> cites = new ArrayList<>();
        for (Citation c : r.citations()) cites.add(new Citation(c.ref(), redactor.redact(c.label())));
        return new ToolResult(text, redactor.redact(r.summary()), data, cites, r.error());
    }

    /** Cuts {@code text} to {@code max} characters, ending with a marker that says how much was left out. */
    public static String cap(String text, int max) {
        if (text.length() <= max) return text;
        String marker = "\n… [output truncated: " + (text.length() - max) + " more characters; narrow the query]";
        int keep = Math.max(0, max - marker.length());
        return text.substring(0, keep) + marker;
    }
}
