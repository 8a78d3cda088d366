package io.opsagent.local.http;

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
    private volatile boolean connected = true;
    private volatile long lastWrite = System.nanoTime();
    private int events;

    SseStream(OutputStream out, ScheduledExecutorService timer, Duration every, String correlation) {
        this.out = out;
        this.correlation = correlation;
        this.heartbeatNanos = every.toNanos();
        long period = Math.max(10, every.toMillis() / 2);
        this.heartbeat = timer.scheduleAtFixedRate(this::beat, period, period, TimeUnit.MILLISECONDS);
    }

    /** Writes one event; a no-op once the client is gone. */
    synchronized void send(String event, JsonNode data) {
        if (!connected) return;
        String json;
        try {
            json = Json.MAPPER.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        events++;
        write("event: " + event + "\ndata: " + json + "\n\n");
    }

    boolean connected() {
        return connected;
    }

    int events() {
        return events;
    }

    private synchronized void beat() {
        if (connected && System.nanoTime() - lastWrite >= heartbeatNanos) {
            write(": keep-alive\n\n");
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
    public synchronized void close() {
        heartbeat.cancel(false);
        try {
            out.close();
        } catch (IOException e) {
            connected = false;
        }
    }
}
