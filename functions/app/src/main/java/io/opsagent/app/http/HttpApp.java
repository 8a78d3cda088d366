package io.opsagent.app.http;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.fasterxml.jackson.databind.JsonNode;
import io.opsagent.core.agent.AgentListener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * The OpsAgent HTTP application on the JDK's {@link HttpServer} (no framework, small cold start, the same program
 * locally and in Lambda behind the Lambda Web Adapter): the web UI's files, the JSON API and the chat stream
 * (Server-Sent Events). Routes and shapes are documented in docs/api.md.
 *
 * <p>Threads: requests run on a bounded pool ({@value #MAX_THREADS} threads, idle ones expire); a chat request
 * runs its agent run on its own request thread, so a long stream holds one thread and other requests (e.g. a
 * cancel) go on in parallel.
 */
public final class HttpApp implements AutoCloseable {
    /** Most request threads; more concurrent requests wait in the queue. */
    public static final int MAX_THREADS = 256;

    static {
        // The JDK server leaves Nagle's algorithm on: a response written as headers + body then waits for the
        // client's delayed ACK (~40 ms on Linux) — for every static file, API call and the first SSE event.
        // Read once, when the first server is created; an explicit -D setting wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        // Time limits (seconds): a client that takes longer than this to send its request (e.g. one header line
        // every 10 s) is disconnected, so slow clients cannot pin request threads; a response (a chat stream
        // included) may last at most an hour. Read once, when the first server is created; -D settings win.
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", String.valueOf(HttpApp.MAX_REQUEST_SECONDS));
        }
        if (System.getProperty("sun.net.httpserver.maxRspTime") == null) {
            System.setProperty("sun.net.httpserver.maxRspTime", String.valueOf(HttpApp.MAX_RESPONSE_SECONDS));
        }
    }

    /** The longest a client may take to send a request's line, headers and body. */
    public static final int MAX_REQUEST_SECONDS = 15;
    /** The longest a response may take (a chat stream is bounded by its run's own limits well before). */
    public static final int MAX_RESPONSE_SECONDS = 3600;
    /** Requests handled at once; more get 503 at once instead of waiting (chat streams hold one each). */
    public static final int DEFAULT_MAX_ACTIVE = 240;
    /** A request that waited longer than this for a thread gets 503: the server is saturated. */
    static final long MAX_QUEUE_WAIT_MS = 10_000;
    private static final ThreadLocal<Long> QUEUED_AT = new ThreadLocal<>();

    private final HttpServer server;
    private final ThreadPoolExecutor pool;
    private final ScheduledExecutorService timer;
    private final Router router = new Router();

    /** Every route this app serves ({@code METHOD /path/{param}}). */
    List<String> routes() {
        return router.routes();
    }
    private final StaticFiles files;
    private final AtomicLong requests = new AtomicLong();
    private final Authenticator auth;
    private final SessionRoutes sessions;
    private final io.opsagent.core.runs.RunReaper reaper;
    private final HttpPolicy policy;
    /** Permits for requests being handled ({@code opsagent.http.maxActive}, default {@value #DEFAULT_MAX_ACTIVE}). */
    private final int maxActive = Integer.getInteger("opsagent.http.maxActive", DEFAULT_MAX_ACTIVE);
    private final java.util.concurrent.Semaphore active = new java.util.concurrent.Semaphore(maxActive);
    /** How often the runs no live server owns are looked for. */
    static final java.time.Duration SWEEP_EVERY = java.time.Duration.ofSeconds(60);

    private HttpApp(HttpServer server, AppContext app) {
        this(server, app, UnaryOperator.identity(), List.of());
    }

    private HttpApp(HttpServer server, AppContext app, UnaryOperator<AgentListener> runListeners, List<Filter> filters) {
        this.server = server;
        this.auth = app.auth();
        this.pool = new ThreadPoolExecutor(MAX_THREADS, MAX_THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                daemonThreads("opsagent-http-"));
        this.pool.allowCoreThreadTimeOut(true);
        this.timer = Executors.newSingleThreadScheduledExecutor(daemonThreads("opsagent-sse-heartbeat-"));
        this.files = new StaticFiles(app.webDir());
        WorkloadRoutes workloads = new WorkloadRoutes(app);
        router.add("GET", "/healthz", r -> r.json(200, Json.object().put("status", "ok")
                .put("model", app.engine().modelId())));
        workloads.register(router);
        this.sessions = new SessionRoutes(app, timer, runListeners);
        sessions.register(router);
        new RunRoutes(app).register(router);
        new ActionRoutes(app).register(router);
        new ChangeRoutes(app).register(router);
        new AlertRoutes(app).register(router);
        new BudgetRoutes(app).register(router);
        new AccessRoutes(app).register(router);
        this.reaper = app.reaper();
        this.policy = app.policy();
        // the periodic sweep: runs whose owner is gone (a crash, a kill, a Lambda timeout) are ended as failed
        timer.scheduleWithFixedDelay(this::sweep, SWEEP_EVERY.toSeconds(), SWEEP_EVERY.toSeconds(), TimeUnit.SECONDS);
        pool.execute(workloads::warmUp); // diagnose every workload in the background; the first list waits for it
        if (server != null) {
            // each exchange is stamped when it is queued, so one that waited too long for a thread gets a 503
            server.setExecutor(task -> {
                long queued = System.nanoTime();
                pool.execute(() -> {
                    QUEUED_AT.set(queued);
                    try {
                        task.run();
                    } finally {
                        QUEUED_AT.remove();
                    }
                });
            });
            server.createContext("/", this::handle).getFilters().addAll(filters);
        }
    }

    /**
     * The application without a server socket: each request is handed to {@link #dispatch} as an
     * {@link HttpExchange} built by the caller (the Lambda API function adapts API Gateway events this way), so
     * the same routes answer. {@link #port()} and {@link #uri()} are not available.
     */
    public static HttpApp embedded(AppContext app) {
        return new HttpApp(null, app);
    }

    /**
     * Answers one exchange on the calling thread, exactly as the server would (routing, errors as JSON, the log
     * line), then closes it. The response is complete when this returns, except for a streamed body the handler
     * still writes (the chat).
     *
     * @param correlation the correlation id of the request's log lines, e.g. {@code req=<API Gateway request id>}
     */
    public void dispatch(HttpExchange exchange, String correlation) {
        handle(exchange, correlation);
    }

    /**
     * Binds {@code address} (port 0 picks a free one) and starts serving.
     *
     * @throws java.net.BindException if the port is in use
     */
    public static HttpApp start(AppContext app, InetSocketAddress address) throws IOException {
        return start(app, address, UnaryOperator.identity());
    }

    /**
     * As {@link #start(AppContext, InetSocketAddress)}, with every chat run's listener passed through
     * {@code runListeners} (one call per run; it returns a listener that sees every event and passes each on), e.g.
     * to record the run's metrics in Lambda.
     */
    public static HttpApp start(AppContext app, InetSocketAddress address, UnaryOperator<AgentListener> runListeners)
            throws IOException {
        return start(app, address, runListeners, List.of());
    }

    /**
     * As {@link #start(AppContext, InetSocketAddress, UnaryOperator)} with filters in front of every request, in
     * order (e.g. the Lambda chat function's token check, CORS and SnapStart hooks); a filter may answer a request
     * itself.
     */
    public static HttpApp start(AppContext app, InetSocketAddress address, UnaryOperator<AgentListener> runListeners,
                                List<Filter> filters) throws IOException {
        HttpServer server = HttpServer.create(address, 128);
        HttpApp a;
        try {
            a = new HttpApp(server, app, runListeners, List.copyOf(filters));
        } catch (RuntimeException e) {
            server.stop(0);
            throw e;
        }
        server.start();
        return a;
    }

    public int port() {
        if (server == null) throw new IllegalStateException("an embedded HttpApp has no port");
        return server.getAddress().getPort();
    }

    /** {@code http://host:port/}. */
    public URI uri() {
        int port = port();
        String host = server.getAddress().getAddress().getHostAddress();
        if (host.contains(":")) host = "[" + host + "]";
        return URI.create("http://" + host + ":" + port + "/");
    }

    private void handle(HttpExchange ex) {
        handle(ex, null);
    }

    private void handle(HttpExchange ex, String correlation) {
        long t0 = System.nanoTime();
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath();
        Request r = null;
        HttpPolicy.secure(ex.getResponseHeaders());
        boolean acquired = false;
        try {
            Router.Match m = router.match(method, path);
            long n = requests.incrementAndGet();
            String corr = correlation != null ? correlation : "req=" + n;
            r = new Request(ex, m.handler() != null ? m.params() : List.of(), corr, auth);
            try {
                policy.checkSource(ex.getRequestHeaders());
                if (m.handler() != null) policy.checkContentType(method, ex.getRequestHeaders());
            } catch (ApiError refused) {
                HttpLog.warn(corr, method + " " + path + " refused: " + refused.getMessage());
                throw refused;
            }
            Long queued = QUEUED_AT.get();
            if (queued != null && (System.nanoTime() - queued) / 1_000_000 > MAX_QUEUE_WAIT_MS) {
                throw busy(ex, "a request waited over " + MAX_QUEUE_WAIT_MS / 1000 + " s for a free thread");
            }
            if (!(acquired = active.tryAcquire())) {
                throw busy(ex, "every request slot is taken");
            }
            if (m.handler() != null) {
                m.handler().handle(r);
            } else if (!m.allowed().isEmpty()) {
                ex.getResponseHeaders().set("Allow", String.join(", ", m.allowed()));
                throw new ApiError(405, method + " is not allowed on " + path + "; allowed: "
                        + String.join(", ", m.allowed()), null);
            } else if (path.startsWith("/api/") || path.equals("/api")) {
                throw ApiError.notFound("no route " + method + " " + path + " (see docs/api.md)");
            } else {
                if (!method.equals("GET") && !method.equals("HEAD")) {
                    ex.getResponseHeaders().set("Allow", "GET, HEAD");
                    throw new ApiError(405, method + " is not allowed on " + path + "; allowed: GET, HEAD", null);
                }
                files.serve(r);
            }
        } catch (ApiError e) {
            respondError(r, ex, e.status(), e.getMessage(), e.field());
        } catch (io.opsagent.core.access.ProjectsUnavailable e) {
            // who may see what is unknown: fail closed, on every route
            String corr = r == null ? "req=?" : r.correlation();
            HttpLog.error(corr, method + " " + path + " refused: projects unreadable", e.getCause() == null ? e : e.getCause());
            ex.getResponseHeaders().set("Retry-After", "5");
            respondError(r, ex, 503, e.getMessage(), null);
        } catch (Exception e) {
            // the cause is logged with the request id; no exception text reaches the client
            String corr = r == null ? "req=?" : r.correlation();
            HttpLog.error(corr, method + " " + path + " failed", e);
            respondError(r, ex, 500, "internal error (" + corr + "): the server log has the details", null);
        } finally {
            if (acquired) active.release();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (r != null) HttpLog.info(r.correlation(), method + " " + path + " " + r.status() + " " + ms + "ms");
            ex.close();
        }
    }

    /** 503 with Retry-After: the server is saturated; the client should try again shortly. */
    private static ApiError busy(HttpExchange ex, String why) {
        ex.getResponseHeaders().set("Retry-After", "1");
        return new ApiError(503, "the server is busy (" + why + "); try again in a moment", null);
    }

    /**
     * Answers {@code ex} with a JSON body exactly as a route does (content type, no-store, HEAD without a body), then
     * closes it: for filters in front of the routes (e.g. the Lambda chat function's token check and hooks).
     */
    public static void respond(HttpExchange ex, int status, JsonNode body) throws IOException {
        HttpPolicy.secure(ex.getResponseHeaders());
        new Request(ex, List.of(), "req=?", Authenticator.LOCAL_HEADER).json(status, body);
    }

    /** Answers {@code ex} with the error body every route uses: {@code {"error": message, "field": field}}. */
    public static void respond(HttpExchange ex, ApiError e) throws IOException {
        respond(ex, e.status(), Json.error(e.getMessage(), e.field()));
    }

    private static void respondError(Request r, HttpExchange ex, int status, String message, String field) {
        if (r != null && r.responded()) {
            return; // headers already sent (e.g. mid-stream): nothing more can be said
        }
        try {
            if (r == null) r = new Request(ex, List.of(), "req=?", Authenticator.LOCAL_HEADER);
            r.json(status, Json.error(message, field));
        } catch (IOException | RuntimeException e) {
            // the client is gone
        }
    }

    private void sweep() {
        try {
            int ended = reaper.sweep();
            if (ended > 0) HttpLog.warn("sweep", "ended " + ended + " run(s) that no live server owned");
        } catch (RuntimeException e) {
            HttpLog.warn("sweep", "the sweep for orphaned runs failed: " + e);
        }
    }

    /**
     * The graceful part of a shutdown: no new chat run starts (a message answers 503), the runs going on get
     * {@code grace} to finish, then a cancel request and {@code cancelWait} more; what still runs is ended as
     * failed and its client gets a {@code final} event. Call before {@link #stop}; storage must still be open.
     * Returns how many runs had to be ended.
     */
    public int drain(java.time.Duration grace, java.time.Duration cancelWait) {
        return sessions.drain(grace, cancelWait);
    }

    /** Stops accepting requests, gives running ones up to {@code graceSeconds} to finish, then stops the pool. */
    public void stop(int graceSeconds) {
        if (server != null) server.stop(graceSeconds);
        timer.shutdownNow();
        pool.shutdown();
        try {
            if (!pool.awaitTermination(Math.max(1, graceSeconds), TimeUnit.SECONDS)) pool.shutdownNow();
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop(1);
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
