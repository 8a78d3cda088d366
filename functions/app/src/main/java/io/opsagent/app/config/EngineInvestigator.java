package io.opsagent.app.config;

import io.opsagent.core.agent.AgentEvent;
import io.opsagent.core.agent.ConversationEngine;
import io.opsagent.core.changes.ChangeInvestigator;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Investigations (of failed changes, of alerts) as agent runs of the conversation engine: the same engine,
 * tools, redaction and run records as a chat, on a thread of its own. {@link #open} returns once the run is stored;
 * {@link #drain} waits for open runs (a Lambda function must, before its invocation returns and it is frozen).
 */
public final class EngineInvestigator implements ChangeInvestigator, io.opsagent.core.alerts.AlertInvestigator {
    /** How long {@link #open} waits for the run to be stored before it gives up on linking it. */
    static final Duration START_WAIT = Duration.ofSeconds(30);
    private final ConversationEngine engine;
    // a thread per investigation: the run is stored (and its id returned) at once; the engine's own run slots bound how
    // many work at a time, the others wait their turn as runs (a fixed pool here would hold the caller instead)
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "change-investigation");
        t.setDaemon(true);
        return t;
    });
    private final Set<Future<?>> running = ConcurrentHashMap.newKeySet();
    private final String source;
    private volatile java.util.function.Consumer<io.opsagent.core.runs.Run> finished;

    /** What happens when an investigation ends (its findings delivered); returns this. */
    public EngineInvestigator onFinished(java.util.function.Consumer<io.opsagent.core.runs.Run> f) {
        this.finished = f;
        return this;
    }

    /** Investigations of failed changes (source {@code change}). */
    public EngineInvestigator(ConversationEngine engine) {
        this(engine, "change");
    }

    /** Investigations with runs of {@code source} ({@code change}, {@code alert}). */
    public EngineInvestigator(ConversationEngine engine, String source) {
        this.engine = engine;
        this.source = source;
    }

    @Override
    public boolean offers(String tool) {
        return engine.toolNames().contains(tool);
    }

    @Override
    public String open(String user, String workload, String question) {
        return open(user, workload, question, (java.util.function.Consumer<io.opsagent.core.runs.Run>) null);
    }

    @Override
    public String open(String user, String workload, String question, java.util.function.BiConsumer<String, String> ended) {
        return open(user, workload, question, (java.util.function.Consumer<io.opsagent.core.runs.Run>)
                run -> ended.accept(run.status().json(), run.finalAnswer()));
    }

    /** Opens the run; when it ends, {@code ended} (or, when null, {@link #onFinished}'s consumer) is told. */
    private String open(String user, String workload, String question, java.util.function.Consumer<io.opsagent.core.runs.Run> ended) {
        CompletableFuture<String> started = new CompletableFuture<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        Future<?> f = pool.submit(() -> {
            try {
                io.opsagent.core.runs.Run run = engine.askOnce(user, workload, question, source, e -> {
                    if (e instanceof AgentEvent.RunStarted s) started.complete(s.runId());
                });
                var then = ended != null ? ended : finished;
                if (then != null && run != null) {
                    try {
                        then.accept(run);
                    } catch (RuntimeException ex) {
                        java.util.logging.Logger.getLogger(EngineInvestigator.class.getName())
                                .warning("run " + run.id() + ": what follows its end failed: " + ex);
                    }
                }
            } catch (RuntimeException e) {
                started.completeExceptionally(e);
            } finally {
                started.completeExceptionally(new IllegalStateException("the investigation ended before it started"));
                done.complete(null);
            }
        });
        running.add(f);
        done.whenComplete((x, e) -> running.remove(f));
        try {
            return started.get(START_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the investigation run was not stored within " + START_WAIT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the investigation run started");
        }
    }

    /** Waits up to {@code max} for the investigations still running; true when none is left. */
    public boolean drain(Duration max) {
        long end = System.nanoTime() + max.toNanos();
        for (Future<?> f : Set.copyOf(running)) {
            long left = end - System.nanoTime();
            if (left <= 0) return running.isEmpty();
            try {
                f.get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return false;
            } catch (ExecutionException | java.util.concurrent.CancellationException e) {
                // the engine ends its own runs; nothing more to wait for
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return running.isEmpty();
    }
}
