package io.opsagent.adapters.openai;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The lines of an HTTP response body, read with a bound on silence: subscribes to the JDK client's body
 * publisher and hands out one line at a time; {@link #next} waits at most the given duration for more bytes, so a
 * server that goes quiet never hangs the caller. Lines end at {@code \n}; a trailing {@code \r} is dropped.
 */
final class SseLines implements Flow.Subscriber<List<ByteBuffer>>, AutoCloseable {
    private static final Object END = new Object();

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Deque<String> lines = new ArrayDeque<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private volatile Flow.Subscription subscription;
    private boolean ended;
    private long bytes;

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        queue.add(item);
    }

    @Override
    public void onError(Throwable t) {
        queue.add(t);
    }

    @Override
    public void onComplete() {
        queue.add(END);
    }

    /**
     * The next line, or null at the end of the body.
     *
     * @throws TimeoutException when no byte arrived for {@code silence}
     * @throws IOException      when the connection failed
     */
    String next(Duration silence) throws IOException, TimeoutException, InterruptedException {
        while (lines.isEmpty()) {
            if (ended) {
                if (partial.size() == 0) return null;
                String last = decode(partial.toByteArray(), partial.size());
                partial.reset();
                return last;
            }
            Object o = queue.poll(silence.toMillis(), TimeUnit.MILLISECONDS);
            if (o == null) throw new TimeoutException("no data for " + silence.toMillis() + " ms");
            if (o == END) {
                ended = true;
            } else if (o instanceof Throwable t) {
                ended = true;
                throw t instanceof IOException io ? io : new IOException(t.getMessage() == null ? t.toString() : t.getMessage(), t);
            } else {
                @SuppressWarnings("unchecked") List<ByteBuffer> buffers = (List<ByteBuffer>) o;
                for (ByteBuffer b : buffers) append(b);
                Flow.Subscription s = subscription;
                if (s != null) s.request(1);
            }
        }
        return lines.poll();
    }

    /** The rest of the body as text, at most {@code maxChars} characters (the rest is read and dropped). */
    String rest(Duration silence, int maxChars) throws IOException, TimeoutException, InterruptedException {
        StringBuilder sb = new StringBuilder();
        for (String line = next(silence); line != null; line = next(silence)) {
            if (sb.length() < maxChars) sb.append(line).append('\n');
        }
        return sb.length() > maxChars ? sb.substring(0, maxChars) : sb.toString().strip();
    }

    /** Bytes received so far. */
    long bytes() {
        return bytes;
    }

    @Override
    public void close() {
        Flow.Subscription s = subscription;
        if (s != null) s.cancel();
    }

    private void append(ByteBuffer b) {
        while (b.hasRemaining()) {
            byte x = b.get();
            bytes++;
            if (x == '\n') {
                byte[] a = partial.toByteArray();
                int n = a.length > 0 && a[a.length - 1] == '\r' ? a.length - 1 : a.length;
                lines.add(decode(a, n));
                partial.reset();
            } else {
                partial.write(x);
            }
        }
    }

    private static String decode(byte[] a, int n) {
        return new String(a, 0, n, StandardCharsets.UTF_8);
    }
}
