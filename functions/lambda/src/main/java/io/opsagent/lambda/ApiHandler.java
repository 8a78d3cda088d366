package io.opsagent.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.opsagent.app.config.Settings;
import io.opsagent.app.http.ApiError;
import io.opsagent.app.http.AppContext;
import io.opsagent.app.http.HttpApp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import java.util.regex.Pattern;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * The API function ({@code io.opsagent.lambda.ApiHandler::handleRequest}) behind an API Gateway HTTP API with a
 * Cognito JWT authorizer: sessions, history, runs, stats and workloads (docs/api.md), answered by the SAME routes
 * as the local HTTP application — each event becomes an in-memory exchange handed to {@link HttpApp#dispatch}.
 *
 * <p>The caller is the {@code sub} claim the authorizer validated ({@code requestContext.authorizer.jwt.claims});
 * no claims → 401, and no header a client sends can name a user. The chat stream
 * ({@code POST /api/sessions/{id}/messages}) is served by the chat Function URL, not here (421 naming it).
 *
 * <p>The application (clients, stores, the cluster) is built once per execution environment, when Lambda creates
 * the handler; each invocation logs JSON lines with the API Gateway request id as {@code correlation_id} and
 * flushes its EMF metrics ({@value #REQUESTS}, {@value #LATENCY}, {@value #SERVER_ERRORS}). With SnapStart,
 * {@link ApiPriming} warms everything before the snapshot.
 */
public final class ApiHandler implements RequestStreamHandler {
    static final String REQUESTS = "ApiRequests";
    static final String LATENCY = "ApiLatency";
    static final String SERVER_ERRORS = "ApiServerErrors";
    static final String CLIENT_ERRORS = "ApiClientErrors";

    /** The chat stream route, served by the chat function. */
    private static final Pattern CHAT = Pattern.compile("/api/sessions/[^/]+/messages/?");
    private static final System.Logger LOG = System.getLogger("io.opsagent.lambda.api");

    private final AppContext context;
    private final HttpApp app;
    private final ApiPriming priming;

    /** What Lambda calls: the application of this execution environment, built from the environment once. */
    public ApiHandler() {
        this(Shared.CONTEXT);
    }

    /** A handler over {@code context} (tests, benchmarks); registers its SnapStart priming. */
    public ApiHandler(AppContext context) {
        Telemetry.init();
        this.context = Objects.requireNonNull(context, "context");
        this.app = HttpApp.embedded(context);
        this.priming = new ApiPriming(this);
        priming.register();
    }

    /** The application context this handler serves. */
    public AppContext context() {
        return context;
    }

    /** The SnapStart hook (registered with the global CRaC context). */
    public ApiPriming priming() {
        return priming;
    }

    /**
     * What Lambda calls: the event's JSON in, the response's JSON out, both through the application's Jackson
     * ({@link ApiEvents#read}); an event that is not a payload 2.0 JSON object is answered 400 naming the problem.
     */
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context lambda) throws IOException {
        APIGatewayV2HTTPResponse r;
        try {
            r = handle(ApiEvents.read(input), lambda);
        } catch (IllegalArgumentException e) {
            r = ApiEvents.error(400, e.getMessage(), null);
        }
        ApiEvents.write(r, output);
    }

    /**
     * One event with Powertools around it: JSON log lines carrying the API Gateway request id as
     * {@code correlation_id}, and the request's EMF metrics flushed at the end.
     */
    public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, Context lambda) {
        return Telemetry.withLogging(lambda, requestId(event), () -> {
            long t0 = System.nanoTime();
            APIGatewayV2HTTPResponse r = null;
            Metrics metrics = Telemetry.metrics();
            try {
                r = answer(event);
                return r;
            } finally {
                int status = r == null ? 500 : r.getStatusCode();
                metrics.addMetric(REQUESTS, 1, MetricUnit.COUNT);
                metrics.addMetric(LATENCY, (System.nanoTime() - t0) / 1e6, MetricUnit.MILLISECONDS);
                metrics.addMetric(SERVER_ERRORS, status >= 500 ? 1 : 0, MetricUnit.COUNT);
                metrics.addMetric(CLIENT_ERRORS, status >= 400 && status < 500 ? 1 : 0, MetricUnit.COUNT);
                metrics.addMetadata("path", event == null ? null : ApiEvents.path(event));
                metrics.addMetadata("status", status);
                metrics.flush();
            }
        });
    }

    private static String requestId(APIGatewayV2HTTPEvent event) {
        return event == null || event.getRequestContext() == null ? null : event.getRequestContext().getRequestId();
    }

    /**
     * Answers one event without Powertools (what {@link #handleRequest} does inside its logging and metrics):
     * authentication from the claims, then the application's routes.
     */
    public APIGatewayV2HTTPResponse answer(APIGatewayV2HTTPEvent event) {
        if (event == null) return ApiEvents.error(400, "no event", null);
        String subject = ApiEvents.subject(event);
        return answer(event, subject);
    }

    /** Answers {@code event} as {@code subject} (already verified; null → 401). Used by priming. */
    APIGatewayV2HTTPResponse answer(APIGatewayV2HTTPEvent event, String subject) {
        String requestId = requestId(event);
        String correlation = "req=" + (requestId == null ? "local" : requestId);
        try {
            if (subject == null && !selfAuthenticated(event)) {
                return ApiEvents.error(401, "not authenticated: no verified token claims in the event (the API"
                        + " is behind a Cognito JWT authorizer; send 'Authorization: Bearer <token>')", null);
            }
            String path = ApiEvents.path(event);
            if (CHAT.matcher(path).matches()) {
                return ApiEvents.error(421, "the chat stream is not served by the API: POST the message to the chat"
                        + " Function URL (" + path + " there, same token); see docs/lambda.md", "path");
            }
            ApiExchange ex = ApiEvents.exchange(event, subject);
            app.dispatch(ex, correlation);
            return ApiEvents.response(ex);
        } catch (ApiError e) {
            return ApiEvents.error(e.status(), e.getMessage(), e.field());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, correlation + " request failed", e);
            return ApiEvents.error(500, "internal error: " + e, null);
        }
    }

    /**
     * Alertmanager's webhook ({@code POST /api/alerts/alertmanager}) carries no Cognito token: API Gateway routes it
     * without the JWT authorizer (template.yaml) and the route checks its own bearer token or HMAC signature, in
     * constant time. Every other route needs the authorizer's claims.
     */
    static boolean selfAuthenticated(APIGatewayV2HTTPEvent event) {
        return "POST".equals(ApiEvents.method(event)) && "/api/alerts/alertmanager".equals(ApiEvents.path(event));
    }

    /** The execution environment's application, built when Lambda first creates the handler. */
    private static final class Shared {
        static final AppContext CONTEXT = LambdaApp.context(Settings.fromEnvironment(System.getenv()),
                ApiCaller.AUTHENTICATOR);
    }
}
