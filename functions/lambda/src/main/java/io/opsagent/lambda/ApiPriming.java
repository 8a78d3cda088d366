package io.opsagent.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart priming of the API function (a CRaC {@link Resource}): before Lambda snapshots the initialised
 * environment, {@link #beforeCheckpoint} runs, through the event reader, a synthetic {@code GET /api/workloads} and a
 * {@code GET /api/runs/{id}} of a run that does not exist through the real handler — which loads and JIT-warms
 * the routing, Jackson (request and response), the diagnosis of every workload, the DynamoDB client, its
 * marshallers and its HTTP client (the lookup may fail harmlessly without a network) — so restored environments
 * answer their first request warm. Nothing is written: both requests only read, as a user that owns nothing.
 * {@link #afterRestore} drops what is bound to the time of the snapshot (the live cluster snapshot cache).
 */
public final class ApiPriming implements Resource {
    /** The user of the synthetic requests (owns nothing). */
    static final String USER = "snapstart-priming";
    private static final System.Logger LOG = System.getLogger("io.opsagent.lambda.priming");

    private final ApiHandler handler;
    private volatile int primed;

    ApiPriming(ApiHandler handler) {
        this.handler = handler;
    }

    /** Registers with the global CRaC context (a no-op outside SnapStart/CRaC). */
    void register() {
        Core.getGlobalContext().register(this);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        handler.context().cluster().invalidate();
    }

    /** Runs the synthetic requests; returns how many answered below 500 (never throws). */
    public int prime() {
        int ok = 0;
        for (String path : new String[] {"/api/workloads", "/api/runs/00000000-0000-0000-0000-000000000000"}) {
            try {
                // through the event reader and the response writer too, as Lambda's invocations go
                APIGatewayV2HTTPEvent e = ApiEvents.read(new ByteArrayInputStream(ApiEvents.bytes(event(path))));
                APIGatewayV2HTTPResponse r = handler.answer(e, USER);
                ApiEvents.write(r, OutputStream.nullOutputStream());
                if (r.getStatusCode() < 500) ok++;
                else LOG.log(System.Logger.Level.INFO, "priming " + path + " answered " + r.getStatusCode());
            } catch (RuntimeException | IOException e) {
                LOG.log(System.Logger.Level.INFO, "priming " + path + " failed (harmless): " + e);
            }
        }
        primed++;
        return ok;
    }

    /** How many times {@link #prime()} ran. */
    int primed() {
        return primed;
    }

    private static APIGatewayV2HTTPEvent event(String path) {
        APIGatewayV2HTTPEvent e = new APIGatewayV2HTTPEvent();
        e.setVersion("2.0");
        e.setRawPath(path);
        e.setRawQueryString("");
        e.setHeaders(Map.of("accept", "application/json"));
        APIGatewayV2HTTPEvent.RequestContext rc = new APIGatewayV2HTTPEvent.RequestContext();
        rc.setRequestId("snapstart-priming");
        rc.setStage("$default");
        APIGatewayV2HTTPEvent.RequestContext.Http http = new APIGatewayV2HTTPEvent.RequestContext.Http();
        http.setMethod("GET");
        http.setPath(path);
        rc.setHttp(http);
        e.setRequestContext(rc);
        return e;
    }
}
