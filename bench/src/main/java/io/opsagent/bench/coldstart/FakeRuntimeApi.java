package io.opsagent.bench.coldstart;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A local fake of the AWS Lambda Runtime API (version 2018-06-01) for one execution environment and one
 * invocation, recording when each step happens ({@link System#nanoTime()}):
 * <ul>
 *   <li>{@code GET /2018-06-01/runtime/invocation/next}: the first call marks the end of init and is answered
 *       at once with the event (headers {@code Lambda-Runtime-Aws-Request-Id}, {@code -Deadline-Ms},
 *       {@code -Invoked-Function-Arn}, {@code -Trace-Id}); later calls wait until {@link #close()};</li>
 *   <li>{@code POST .../invocation/{id}/response} and {@code .../{id}/error}: the end of the invocation;</li>
 *   <li>{@code POST /2018-06-01/runtime/init/error}: init failed;</li>
 *   <li>{@code GET /2018-06-01/runtime/restore/next} (SnapStart: called after the {@code beforeCheckpoint}
 *       hooks, where Lambda takes the snapshot; answered at once, or, after {@link #holdAtSnapshot()}, held until
 *       {@link #releaseRestore()}, as Lambda answers it only after a restore) and {@code POST .../restore/error}.</li>
 * </ul>
 */
public final class FakeRuntimeApi implements AutoCloseable {
    private static final String PREFIX = "/2018-06-01/runtime/";
    /** The request id handed out with the event. */
    public static final String REQUEST_ID = "8476a536-e9f4-11e8-9739-2dfe598c3fcd";

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-runtime-api");
        t.setDaemon(true);
        return t;
    });
    private final byte[] event;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private final List<String> unexpected = new ArrayList<>();
    private volatile long firstNextNanos;
    private volatile long handedOutNanos;
    private volatile long restoreNextNanos;
    private volatile long finishedNanos;
    private volatile String outcome; // "response", "error", "init-error", "restore-error"
    private volatile byte[] body = new byte[0];
    private int nextCalls;
    private volatile Runnable onInitEnd = () -> { };
    private volatile CountDownLatch restoreGate; // null: restore/next is answered at once
    private final CountDownLatch atSnapshot = new CountDownLatch(1);

    /** Starts the fake on a free loopback port; {@code event} is what the one invocation receives. */
    public FakeRuntimeApi(byte[] event) throws IOException {
        this.event = event.clone();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(pool);
        server.createContext(PREFIX, this::handle);
        server.start();
    }

    /** {@code 127.0.0.1:PORT}, the value of {@code AWS_LAMBDA_RUNTIME_API}. */
    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        long now = System.nanoTime();
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
        byte[] request;
        try (InputStream in = exchange.getRequestBody()) {
            request = in.readAllBytes();
        }
        if (method.equals("GET") && path.equals("invocation/next")) {
            next(exchange, now);
        } else if (method.equals("GET") && path.equals("restore/next")) {
            restoreNextNanos = now;
            atSnapshot.countDown();
            CountDownLatch gate = restoreGate;
            if (gate != null) {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    exchange.close();
                    return;
                }
            }
            reply(exchange, 200, new byte[0]);
        } else if (method.equals("POST") && path.equals("invocation/" + REQUEST_ID + "/response")) {
            finishedNanos = System.nanoTime();
            finish(exchange, "response", request);
        } else if (method.equals("POST") && path.equals("invocation/" + REQUEST_ID + "/error")) {
            finish(exchange, "error", request);
        } else if (method.equals("POST") && path.equals("init/error")) {
            finish(exchange, "init-error", request);
        } else if (method.equals("POST") && path.equals("restore/error")) {
            finish(exchange, "restore-error", request);
        } else {
            synchronized (this) {
                unexpected.add(method + " " + exchange.getRequestURI());
            }
            reply(exchange, 404, "{\"errorMessage\":\"unknown runtime API path\"}".getBytes(StandardCharsets.UTF_8));
        }
    }

    private void next(HttpExchange exchange, long now) throws IOException {
        int call;
        synchronized (this) {
            call = ++nextCalls;
        }
        if (call > 1) { // the environment stays frozen until the bench is done with it
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        firstNextNanos = now;
        onInitEnd.run();
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/json");
        headers.set("Lambda-Runtime-Aws-Request-Id", REQUEST_ID);
        headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + 900_000));
        headers.set("Lambda-Runtime-Invoked-Function-Arn",
                "arn:aws:lambda:us-east-1:123456789012:function:coldstart-bench");
        headers.set("Lambda-Runtime-Trace-Id",
                "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=0");
        handedOutNanos = System.nanoTime();
        reply(exchange, 200, event);
    }

    private void finish(HttpExchange exchange, String what, byte[] request) throws IOException {
        if (finishedNanos == 0) {
            finishedNanos = System.nanoTime();
        }
        body = request;
        outcome = what;
        reply(exchange, 202, "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8));
        finished.countDown();
    }

    private static void reply(HttpExchange exchange, int status, byte[] bytes) throws IOException {
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Runs {@code action} when init ends (the first {@code GET /next}), before the event is handed out. */
    public void onInitEnd(Runnable action) {
        onInitEnd = action;
    }

    /**
     * Holds the answer to {@code GET .../restore/next} until {@link #releaseRestore()}: the caller snapshots the
     * process meanwhile (it is blocked on that request, as at Lambda's snapshot point) and restores it.
     */
    public void holdAtSnapshot() {
        restoreGate = new CountDownLatch(1);
    }

    /** Waits until {@code GET .../restore/next} arrived; false on timeout. */
    public boolean awaitSnapshotPoint(long timeout, TimeUnit unit) throws InterruptedException {
        return atSnapshot.await(timeout, unit);
    }

    /** Answers the held {@code GET .../restore/next} (the restored runtime then runs its afterRestore hooks). */
    public void releaseRestore() {
        CountDownLatch gate = restoreGate;
        if (gate != null) {
            gate.countDown();
        }
    }

    /** Waits until the invocation (or init) ended; false on timeout. */
    public boolean awaitEnd(long timeout, TimeUnit unit) throws InterruptedException {
        return finished.await(timeout, unit);
    }

    /** When the first {@code GET .../invocation/next} arrived (0 if never): the end of init. */
    public long firstNextNanos() {
        return firstNextNanos;
    }

    /** When the event was handed out (0 if never): the start of the first invocation. */
    public long handedOutNanos() {
        return handedOutNanos;
    }

    /** When {@code GET .../restore/next} arrived (0 if never): the snapshot point of a SnapStart init. */
    public long restoreNextNanos() {
        return restoreNextNanos;
    }

    /** When the response (or error) was posted. */
    public long finishedNanos() {
        return finishedNanos;
    }

    /** "response", "error", "init-error", "restore-error", or null while nothing ended. */
    public String outcome() {
        return outcome;
    }

    /** The body of the posted response or error. */
    public String body() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Requests this fake did not know (a sign the client speaks another version of the API). */
    public synchronized List<String> unexpected() {
        return List.copyOf(unexpected);
    }

    @Override
    public void close() {
        closed.countDown();
        releaseRestore();
        server.stop(0);
        pool.shutdownNow();
    }
}
