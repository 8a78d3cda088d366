package io.opsagent.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import io.opsagent.app.config.Setting;
import io.opsagent.app.config.Settings;
import io.opsagent.app.http.ApiError;
import io.opsagent.app.http.AppContext;
import io.opsagent.app.http.HttpPolicy;
import io.opsagent.app.http.Authenticator;
import io.opsagent.app.http.HttpApp;
import io.opsagent.core.diagnosis.Diagnosis;
import io.opsagent.core.diagnosis.DiagnosisEngine;
import io.opsagent.core.input.text.TextEvidenceReader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The chat Lambda function: the same {@link HttpApp} as {@code opsagent up}, started by {@code run.sh} behind the
 * Lambda Web Adapter (response streaming over a Function URL). It binds 127.0.0.1 (the adapter proxies from
 * localhost) on {@code AWS_LWA_PORT} / {@code PORT} (default 8080) and puts a gate in front of the application:
 * <ul>
 *   <li>{@code GET /healthz} (the adapter's readiness check) answers without a token and holds no secrets;</li>
 *   <li>{@code /api/...} needs a valid Cognito JWT ({@link JwtAuthenticator}); otherwise 401 with
 *       {@code WWW-Authenticate: Bearer} — the route checks the same token again, so no route is unguarded;</li>
 *   <li>CORS for {@code OPSAGENT_ALLOWED_ORIGINS} (preflights answered here, without a token);</li>
 *   <li>the SnapStart hooks {@value #BEFORE_CHECKPOINT} (prime) and {@value #AFTER_RESTORE} (refresh), called
 *       by the adapter ({@code AWS_LWA_SNAPSTART_BEFORE_CHECKPOINT_PATH} / {@code ..._AFTER_RESTORE_PATH}): only
 *       from loopback and never on a forwarded invocation (those carry {@code x-amzn-request-context}) — 403;</li>
 *   <li>anything else is 404: the web UI is served by CloudFront.</li>
 * </ul>
 * SIGTERM (Lambda shutting the environment down) stops the server cleanly.
 */
public final class ChatServer implements AutoCloseable {
    public static final String BEFORE_CHECKPOINT = "/_lwa/before-checkpoint";
    public static final String AFTER_RESTORE = "/_lwa/after-restore";
    /** The header the Lambda Web Adapter adds to every request it forwards from an invocation. */
    public static final String FORWARDED_MARK = "x-amzn-request-context";
    private static final Logger LOG = Logger.getLogger("io.opsagent.lambda.chat");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Where and how to serve.
     *
     * @param host           bind address (127.0.0.1 in Lambda)
     * @param port           port; 0 picks a free one
     * @param allowedOrigins browser origins allowed by CORS (empty: no CORS headers)
     * @param primer         extra priming before a snapshot (e.g. the model client), or null
     */
    public record Options(String host, int port, List<String> allowedOrigins, Runnable primer) {
        public Options {
            host = host == null ? "127.0.0.1" : host;
            allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
        }

        /** Port from {@code AWS_LWA_PORT}, else {@code PORT}, else 8080; origins from {@code OPSAGENT_ALLOWED_ORIGINS}. */
        public static Options fromEnvironment(Map<String, String> env) {
            String p = firstSet(env.get("AWS_LWA_PORT"), env.get("PORT"), "8080");
            int port;
            try {
                port = Integer.parseInt(p.strip());
                if (port < 0 || port > 65535) throw new NumberFormatException();
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("AWS_LWA_PORT/PORT '" + p + "': expected a port number 0..65535");
            }
            return new Options("127.0.0.1", port, Settings.fromEnvironment(env).list(Setting.ALLOWED_ORIGINS), null);
        }

        private static String firstSet(String... values) {
            for (String v : values) if (v != null && !v.isBlank()) return v;
            return null;
        }
    }

    private final HttpApp http;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private ChatServer(HttpApp http) {
        this.http = http;
    }

    /**
     * Starts the application with the gate.
     *
     * @throws IllegalArgumentException if the context trusts a header for the user (the local mode): in Lambda
     *                                  the caller must be verified
     */
    public static ChatServer start(AppContext app, Options o) throws IOException {
        Objects.requireNonNull(app, "app");
        if (app.auth() == Authenticator.LOCAL_HEADER) {
            throw new IllegalArgumentException("the chat function needs a verifying authenticator (JwtAuthenticator), "
                    + "not the local X-OpsAgent-User header");
        }
        if (app.webDir() != null) LOG.info("webDir is ignored: the chat function serves no files");
        // behind the Lambda Web Adapter the Function URL routes by host; the web UI's origins are the allowed ones
        app = app.withPolicy(HttpPolicy.anyHost(o.allowedOrigins()));
        Gate gate = new Gate(app, o);
        return new ChatServer(HttpApp.start(app, new InetSocketAddress(o.host(), o.port()), Telemetry::runListener, List.of(gate)));
    }

    public int port() {
        return http.port();
    }

    public URI uri() {
        return http.uri();
    }

    /** Blocks until {@link #close()} (e.g. from the SIGTERM shutdown hook). */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** Stops accepting requests and gives running streams a second to end. */
    @Override
    public void close() {
        if (stopped.getCount() == 0) return;
        try {
            http.stop(1);
        } finally {
            stopped.countDown();
        }
    }

    /** The Lambda entry point ({@code run.sh}): wiring from the environment ({@link LambdaApp#context}). */
    public static void main(String[] args) throws Exception {
        Telemetry.init(); // the application's log lines as Powertools JSON, EMF metrics per run
        serve(System.getenv(), LambdaApp::chatContext);
    }

    /**
     * Builds the application with {@code wiring}, serves until SIGTERM, then stops cleanly. Configuration errors
     * end the process with status 2 and a message naming the setting.
     */
    public static void serve(Map<String, String> env, BiFunction<Settings, JwtAuthenticator, AppContext> wiring)
            throws InterruptedException {
        ChatServer server;
        try {
            Settings settings = Settings.fromEnvironment(env);
            JwtAuthenticator jwt = JwtAuthenticator.fromSettings(settings);
            server = start(wiring.apply(settings, jwt), Options.fromEnvironment(env));
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("opsagent chat: cannot start: " + e.getMessage());
            System.exit(2);
            return;
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "opsagent chat: cannot start", e);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "opsagent-shutdown"));
        System.err.println("opsagent chat: listening on " + server.uri());
        server.awaitStop();
    }

    /** The user of the priming read (owns nothing). */
    static final String PRIME_USER = "snapstart-priming";

    /**
     * Warms what the first request needs before a SnapStart snapshot: JSON, the JWT verification path (with a
     * throwaway key, no JWKS fetch), a deterministic diagnosis of a synthetic workload, the session store's client
     * (one read that finds nothing), one read of the cluster (for a live cluster: its client and model classes,
     * token and pod logs; the cached result is dropped after the restore) and the extra primer. No writes, no model
     * call (a snapshot must not hold answers or tokens). Returns what was done.
     */
    static ObjectNode prime(AppContext app, Runnable primer) throws Exception {
        long t0 = System.nanoTime();
        ObjectNode out = JSON.createObjectNode();
        JsonNode round = JSON.readTree(JSON.writeValueAsBytes(JSON.createObjectNode().put("event", "delta")
                .put("text", "warm").set("args", JSON.createObjectNode().put("n", 1))));
        out.put("json", round.get("event").asText().equals("delta"));
        if (app.auth() instanceof JwtAuthenticator jwt) out.put("jwtMs", jwt.prime());
        Diagnosis d = DiagnosisEngine.standard().diagnose(new TextEvidenceReader().readText("prime.txt", PRIME_POD));
        out.put("findings", d.findings().size());
        try { // the store client and its HTTP stack (a read of a user who owns nothing; writes nothing)
            out.put("sessions", app.sessions().list(PRIME_USER, 1, null).items().size());
        } catch (RuntimeException unreachable) {
            out.put("sessions", "unreachable: " + unreachable.getMessage());
        }
        try { // the cluster reader (a live cluster: its client, JSON model, token, pod logs); dropped after a restore
            out.put("pods", app.cluster().snapshot().pods().size());
        } catch (RuntimeException unreachable) {
            out.put("pods", "unreachable: " + unreachable.getMessage());
        }
        out.put("model", app.engine().modelId());
        if (primer != null) primer.run();
        return out.put("ms", (System.nanoTime() - t0) / 1_000_000);
    }

    /**
     * After a restore: keys may have rotated since the snapshot, the thread's token memo is stale, and a live
     * cluster's cached snapshot is from the time of the snapshot.
     */
    static ObjectNode restore(AppContext app) {
        ObjectNode out = JSON.createObjectNode();
        app.cluster().invalidate();
        out.put("cluster", "invalidated");
        if (app.auth() instanceof JwtAuthenticator jwt) {
            jwt.refreshKeys();
            out.put("jwks", "dropped");
        }
        return out;
    }

    /** The gate in front of the application (see the class comment). */
    private static final class Gate extends Filter {
        private final AppContext app;
        private final Options options;

        Gate(AppContext app, Options options) {
            this.app = app;
            this.options = options;
        }

        @Override
        public String description() {
            return "opsagent chat gate: token check, CORS, SnapStart hooks";
        }

        @Override
        public void doFilter(HttpExchange ex, Chain chain) throws IOException {
            String path = ex.getRequestURI().getRawPath();
            String method = ex.getRequestMethod();
            try {
                if (path.startsWith("/_lwa/")) {
                    hook(ex, path, method);
                    return;
                }
                boolean cors = cors(ex);
                if (method.equals("OPTIONS")) {
                    preflight(ex, cors);
                    return;
                }
                if (path.equals("/healthz") && fromAdapter(ex)) {
                    chain.doFilter(ex); // the adapter's readiness check; through the Function URL it needs a token
                    return;
                }
                if (!path.equals("/healthz") && !path.equals("/api") && !path.startsWith("/api/")) {
                    throw ApiError.notFound("no route " + method + " " + path
                            + " (the chat function serves /api/ and /healthz; the web UI is on CloudFront)");
                }
                try {
                    app.auth().user(ex.getRequestHeaders());
                } catch (ApiError e) {
                    if (e.status() == 401) {
                        // RFC 6750 §3.1: no error code when the request carried no credentials
                        boolean sent = ex.getRequestHeaders().containsKey("Authorization");
                        ex.getResponseHeaders().set("WWW-Authenticate",
                                JwtAuthenticator.CHALLENGE + (sent ? ", error=\"invalid_token\"" : ""));
                    }
                    throw e;
                }
                chain.doFilter(ex);
            } catch (ApiError e) {
                LOG.fine(() -> method + " " + path + " " + e.status() + ": " + e.getMessage());
                HttpApp.respond(ex, e);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, method + " " + path + " failed in the gate", e);
                HttpApp.respond(ex, new ApiError(500, "internal error: " + e.getMessage(), null));
            }
        }

        /**
         * True for a request the Lambda Web Adapter makes itself (readiness check, SnapStart hooks): from this host,
         * without the request context it adds to every request it forwards from the Function URL.
         */
        private static boolean fromAdapter(HttpExchange ex) {
            return ex.getRemoteAddress().getAddress().isLoopbackAddress()
                    && !ex.getRequestHeaders().containsKey(FORWARDED_MARK);
        }

        private void hook(HttpExchange ex, String path, String method) throws IOException {
            if (!fromAdapter(ex)) {
                throw new ApiError(403, "the SnapStart hooks are for the Lambda Web Adapter on this host only", null);
            }
            if (!method.equals("POST")) {
                ex.getResponseHeaders().set("Allow", "POST");
                throw new ApiError(405, method + " is not allowed on " + path + "; allowed: POST", null);
            }
            ex.getRequestBody().readAllBytes();
            ObjectNode out;
            try {
                if (path.equals(BEFORE_CHECKPOINT)) {
                    out = prime(app, options.primer());
                } else if (path.equals(AFTER_RESTORE)) {
                    out = restore(app);
                } else {
                    throw ApiError.notFound("no hook " + path + " (" + BEFORE_CHECKPOINT + ", " + AFTER_RESTORE + ")");
                }
            } catch (ApiError e) {
                throw e;
            } catch (Exception e) {
                LOG.log(Level.WARNING, "SnapStart hook " + path + " failed", e);
                throw new ApiError(500, "hook " + path + " failed: " + e.getMessage(), null);
            }
            LOG.info("SnapStart hook " + path + ": " + out);
            HttpApp.respond(ex, 200, out.put("status", "ok"));
        }

        /** Sets the CORS response headers when the request's Origin is allowed; true if so. */
        private boolean cors(HttpExchange ex) {
            String origin = ex.getRequestHeaders().getFirst("Origin");
            if (origin == null || !options.allowedOrigins().contains(origin)) return false;
            var h = ex.getResponseHeaders();
            h.set("Access-Control-Allow-Origin", origin);
            h.set("Access-Control-Expose-Headers", "Location, WWW-Authenticate");
            h.add("Vary", "Origin");
            return true;
        }

        private static void preflight(HttpExchange ex, boolean allowed) throws IOException {
            String origin = ex.getRequestHeaders().getFirst("Origin");
            if (origin != null && !allowed) {
                throw new ApiError(403, "origin " + origin + " is not allowed (OPSAGENT_ALLOWED_ORIGINS)", "Origin");
            }
            var h = ex.getResponseHeaders();
            h.set("Allow", "GET, POST, DELETE, OPTIONS");
            if (allowed) {
                h.set("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS");
                h.set("Access-Control-Allow-Headers", "Authorization, Content-Type");
                h.set("Access-Control-Max-Age", "600");
            }
            ex.sendResponseHeaders(204, -1);
            ex.close();
        }
    }

    /** A synthetic `kubectl describe pod` of an OOMKilled container (priming input; no real cluster). */
    private static final String PRIME_POD = String.join("\n",
            "Name:             prime-api-5d9c7b8f6d-x2k4p",
            "Namespace:        prime",
            "Node:             ip-10-0-1-23.ec2.internal/10.0.1.23",
            "Labels:           app=prime-api",
            "Status:           Running",
            "Controlled By:  ReplicaSet/prime-api-5d9c7b8f6d",
            "Containers:",
            "  api:",
            "    Image:          example/api:1.0",
            "    State:          Waiting",
            "      Reason:       CrashLoopBackOff",
            "    Last State:     Terminated",
            "      Reason:       OOMKilled",
            "      Exit Code:    137",
            "    Ready:          False",
            "    Restart Count:  5",
            "    Limits:",
            "      memory:  128Mi",
            "Conditions:",
            "  Type              Status",
            "  Ready             False",
            "Events:",
            "  Type     Reason   Age                From     Message",
            "  ----     ------   ----               ----     -------",
            "  Warning  BackOff  10s (x5 over 2m)   kubelet  Back-off restarting failed container api in pod prime-api-5d9c7b8f6d-x2k4p_prime(0f0e0d0c)",
            "");
}
