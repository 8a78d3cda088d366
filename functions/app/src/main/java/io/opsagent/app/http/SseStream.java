package io.opsagent.app.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A Server-Sent Events stream over a chunked response: each event is written and flushed at once
 * ({@code event: NAME\ndata: JSON\n\n}); a comment line keeps an idle stream alive. When the client goes away,
 * writes stop quietly ({@link #connected()} turns false) so the producer (the run) carries on.
 */
final class SseStream implements AutoCloseable {
    private final OutputStream out;
    private final String correlation;
    private final ScheduledFuture<?> heartbeat;
    private final long heartbeatNanos;
    /** Guards the output; the heartbeat only tries it, so one slow client never holds up the shared timer. */
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean connected = true;
    /** Closed (the response is complete): later events are dropped. */
    private volatile boolean closed;
    private volatile long lastWrite = System.nanoTime();
    private volatile int events;

    SseStream(OutputStream out, ScheduledExecutorService timer, Duration every, String correlation) {
        this.out = out;
        this.correlation = correlation;
        this.heartbeatNanos = every.toNanos();
        long period = Math.max(10, every.toMillis() / 2);
        this.heartbeat = timer.scheduleAtFixedRate(this::beat, period, period, TimeUnit.MILLISECONDS);
    }

    /** Writes one event; a no-op once the client is gone. */
    void send(String event, JsonNode data) {
        if (!connected || closed) return;
        String json;
        try {
            json = Json.MAPPER.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        lock.lock();
        try {
            if (closed) return;
            events++;
            write("event: " + event + "\ndata: " + json + "\n\n");
        } finally {
            lock.unlock();
        }
    }

    /** Writes a comment line ({@code : text}), which clients ignore: e.g. to say at once that the stream is open. */
    void comment(String text) {
        if (!connected || closed) return;
        lock.lock();
        try {
            if (!closed) write(": " + text + "\n\n");
        } finally {
            lock.unlock();
        }
    }

    boolean connected() {
        return connected;
    }

    int events() {
        return events;
    }

    private void beat() {
        if (!lock.tryLock()) return; // an event is being written: the stream is not idle
        try {
            if (connected && !closed && System.nanoTime() - lastWrite >= heartbeatNanos) {
                write(": keep-alive\n\n");
            }
        } finally {
            lock.unlock();
        }
    }

    private void write(String text) {
        try {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
            lastWrite = System.nanoTime();
        } catch (IOException e) {
            connected = false;
            HttpLog.warn(correlation, "client disconnected from the stream (" + e.getMessage() + "); the run goes on");
        }
    }

    @Override
    public void close() {
        heartbeat.cancel(false);
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            out.close();
        } catch (IOException e) {
            connected = false;
        } finally {
            lock.unlock();
        }
    }
}
