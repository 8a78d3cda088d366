package io.opsagent.adapters.stepfunctions;

import io.opsagent.core.changes.ChangeTask;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The change-task queue, read by long polling (on a laptop; in AWS the queue is the worker Lambda's event source).
 * Each message is one step of a chain; the handler does it and answers its token. A message is deleted once the
 * handler has taken it: Step Functions, not the queue, retries a step (its Retry and timeouts), so a handler that
 * fails answers with a failure rather than leaving the message to reappear. A message that is not a change step is
 * deleted and logged (it can never succeed).
 */
public final class TaskQueue implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TaskQueue.class.getName());
    private final SqsClient sqs;
    private final String queueUrl;
    private final Consumer<ChangeTask> handler;
    private final ExecutorService poller = Executors.newSingleThreadExecutor(r -> daemon(r, "change-task-poller"));
    private final ExecutorService workers;
    private final int waitSeconds;
    private volatile boolean running;

    /**
     * @param waitSeconds the long poll (1–20 s); shorter means a quicker stop
     * @param workers     steps handled at once (a monitor step holds one for its analysis window)
     */
    public TaskQueue(SqsClient sqs, String queueUrl, Consumer<ChangeTask> handler, int waitSeconds, int workers) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.handler = handler;
        this.waitSeconds = Math.max(1, Math.min(20, waitSeconds));
        this.workers = Executors.newFixedThreadPool(Math.max(1, workers), r -> daemon(r, "change-task-worker"));
    }

    public TaskQueue start() {
        running = true;
        poller.execute(this::loop);
        return this;
    }

    private void loop() {
        while (running) {
            try {
                for (Message m : sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
                        .waitTimeSeconds(waitSeconds)).messages()) {
                    ChangeTask task;
                    try {
                        task = ChangeTask.parse(m.body());
                    } catch (IllegalArgumentException e) {
                        LOG.warning("change-task queue: dropped a message that is not a change step: " + e.getMessage());
                        delete(m);
                        continue;
                    }
                    delete(m);
                    workers.execute(() -> {
                        try {
                            handler.accept(task);
                        } catch (RuntimeException e) {
                            LOG.log(Level.WARNING, "change-task " + task + " failed in its handler", e);
                        }
                    });
                }
            } catch (RuntimeException e) {
                if (!running) return;
                LOG.log(Level.WARNING, "change-task queue: receive failed; retrying in 1 s", e);
                sleep(1000);
            }
        }
    }

    private void delete(Message m) {
        sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
    }

    @Override
    public void close() {
        running = false;
        poller.shutdownNow();
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
