package io.opsagent.bench.coldstart.standin;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.crac.Core;
import org.crac.Resource;

/**
 * A stand-in for an API handler, for testing bench/coldstart before the real ones exist: reads an API Gateway
 * HTTP API (v2) event with Jackson, answers a JSON body in an HTTP API response. It registers a CRaC resource
 * whose {@code beforeCheckpoint} primes the same path with a synthetic event (SnapStart priming), so the bench's
 * snap-start variant has something to measure.
 */
public final class JacksonHandler implements RequestStreamHandler, Resource {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] PRIMING_EVENT = ("{\"version\":\"2.0\",\"routeKey\":\"GET /api/health\","
            + "\"rawPath\":\"/api/health\",\"requestContext\":{\"http\":{\"method\":\"GET\",\"path\":\"/api/health\"},"
            + "\"authorizer\":{\"jwt\":{\"claims\":{\"sub\":\"priming\"}}}}}").getBytes(StandardCharsets.UTF_8);

    /** Created once per execution environment by the runtime; registers the priming hook. */
    public JacksonHandler() {
        Core.getGlobalContext().register(this);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = JSON.readTree(input);
        String method = event.path("requestContext").path("http").path("method").asText("GET");
        String user = event.path("requestContext").path("authorizer").path("jwt").path("claims").path("sub")
                .asText("anonymous");
        ObjectNode body = JSON.createObjectNode();
        body.put("method", method);
        body.put("path", event.path("rawPath").asText("/"));
        body.put("user", user);
        body.putArray("sessions");
        ObjectNode response = JSON.createObjectNode();
        response.put("statusCode", 200);
        response.putObject("headers").put("content-type", "application/json");
        response.put("body", JSON.writeValueAsString(body));
        response.put("isBase64Encoded", false);
        JSON.writeValue(output, response);
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        try {
            handleRequest(new ByteArrayInputStream(PRIMING_EVENT), new ByteArrayOutputStream(), null);
        } catch (IOException e) {
            throw new UncheckedIOException("priming failed", e);
        }
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // nothing to refresh: no connections, no credentials
    }
}
