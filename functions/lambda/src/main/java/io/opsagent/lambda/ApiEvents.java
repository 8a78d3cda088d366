package io.opsagent.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opsagent.app.http.ApiError;
import io.opsagent.app.http.Users;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Adapts API Gateway HTTP API (payload 2.0) events to {@link ApiExchange}s and their answers back to responses.
 * Events are read and responses written with the application's own Jackson ({@link #read}, {@link #write}), not
 * the runtime's serializer: the runtime would load its own shaded copy of Jackson (about 670 classes) at the
 * first invocation of every execution environment.
 */
final class ApiEvents {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private ApiEvents() {
    }

    /**
     * The event Lambda passes in: an API Gateway HTTP API payload 2.0 document. Unknown fields are ignored (as
     * the runtime's serializer does); anything that is not such a JSON object is an IllegalArgumentException
     * saying what was wrong.
     */
    static APIGatewayV2HTTPEvent read(InputStream in) throws IOException {
        try {
            APIGatewayV2HTTPEvent e = JSON.readValue(in, APIGatewayV2HTTPEvent.class);
            if (e == null) throw new IllegalArgumentException("the event is empty (JSON null)");
            return e;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the event is not an API Gateway HTTP API (payload 2.0) JSON object: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** {@code value} as JSON bytes (null fields left out). */
    static byte[] bytes(Object value) throws JsonProcessingException {
        return JSON.writeValueAsBytes(value);
    }

    /** Writes {@code response} as the JSON document API Gateway reads (null fields left out). */
    static void write(APIGatewayV2HTTPResponse response, OutputStream out) throws IOException {
        JSON.writeValue(out, response);
    }

    /** The method, or 400. */
    static String method(APIGatewayV2HTTPEvent event) {
        var rc = event.getRequestContext();
        String m = rc == null || rc.getHttp() == null ? null : rc.getHttp().getMethod();
        if (m == null || m.isBlank()) throw ApiError.badRequest("method", "the event has no requestContext.http.method");
        return m.strip().toUpperCase(Locale.ROOT);
    }

    /**
     * The path the application routes on: {@code rawPath} without the stage prefix that a named stage adds
     * ({@code /prod/api/runs} → {@code /api/runs}; the {@code $default} stage adds none).
     */
    static String path(APIGatewayV2HTTPEvent event) {
        String p = event.getRawPath();
        if (p == null || p.isEmpty()) p = "/";
        var rc = event.getRequestContext();
        String stage = rc == null ? null : rc.getStage();
        if (stage != null && !stage.isEmpty() && !stage.equals("$default")) {
            String prefix = "/" + stage;
            if (p.equals(prefix)) p = "/";
            else if (p.startsWith(prefix + "/")) p = p.substring(prefix.length());
        }
        return p;
    }

    /** The verified subject from the JWT authorizer's claims, or null. */
    static String subject(APIGatewayV2HTTPEvent event) {
        var rc = event.getRequestContext();
        if (rc == null || rc.getAuthorizer() == null || rc.getAuthorizer().getJwt() == null) return null;
        return ApiCaller.subject(rc.getAuthorizer().getJwt().getClaims());
    }

    /** The request as an exchange for the HTTP application; malformed parts → 400. */
    static ApiExchange exchange(APIGatewayV2HTTPEvent event, String subject) {
        String method = method(event);
        String path = path(event);
        String query = event.getRawQueryString();
        URI uri;
        try {
            uri = new URI(path + (query == null || query.isEmpty() ? "" : "?" + query));
        } catch (URISyntaxException e) {
            throw ApiError.badRequest("path", "the request path or query is not a valid URI: " + e.getMessage());
        }
        var authz = event.getRequestContext() == null ? null : event.getRequestContext().getAuthorizer();
        java.util.List<String> groups = authz == null || authz.getJwt() == null
                ? java.util.List.of() : ApiCaller.groups(authz.getJwt().getClaims());
        ApiCaller.VerifiedHeaders headers = new ApiCaller.VerifiedHeaders(subject, groups);
        if (event.getHeaders() != null) {
            event.getHeaders().forEach((k, v) -> {
                // the local-mode user header means nothing here: the user is the token's subject
                if (k != null && v != null && !k.equalsIgnoreCase(Users.HEADER)) headers.add(k, v);
            });
        }
        if (event.getCookies() != null && !event.getCookies().isEmpty()) {
            headers.set("Cookie", String.join("; ", event.getCookies()));
        }
        byte[] body = body(event);
        headers.set("Content-Length", Integer.toString(body.length));
        var rc = event.getRequestContext();
        String ip = rc == null || rc.getHttp() == null ? null : rc.getHttp().getSourceIp();
        return new ApiExchange(method, uri, headers, body,
                InetSocketAddress.createUnresolved(ip == null ? "unknown" : ip, 0));
    }

    /** The body's bytes: base64-decoded when {@code isBase64Encoded}, else the UTF-8 text; 400 if bad base64. */
    static byte[] body(APIGatewayV2HTTPEvent event) {
        String b = event.getBody();
        if (b == null) return new byte[0];
        if (!event.getIsBase64Encoded()) return b.getBytes(StandardCharsets.UTF_8);
        try {
            return Base64.getMimeDecoder().decode(b);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("body", "the event body is marked isBase64Encoded but is not base64: "
                    + e.getMessage());
        }
    }

    /**
     * The exchange's answer as an HTTP API response: header names in lower case (as HTTP/2 writes them), text
     * bodies as text, others base64.
     */
    static APIGatewayV2HTTPResponse response(ApiExchange ex) {
        int status = ex.getResponseCode();
        if (status < 0) return error(500, "the application sent no response", null);
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        ex.getResponseHeaders().forEach((k, values) -> {
            if (k.equalsIgnoreCase("Set-Cookie")) cookies.addAll(values);
            else headers.put(k.toLowerCase(Locale.ROOT), String.join(",", values));
        });
        byte[] body = ex.responseBody();
        APIGatewayV2HTTPResponse r = new APIGatewayV2HTTPResponse();
        r.setStatusCode(status);
        r.setHeaders(headers);
        if (!cookies.isEmpty()) r.setCookies(cookies);
        if (body.length == 0) {
            r.setBody("");
        } else if (textual(headers.get("content-type"))) {
            r.setBody(new String(body, StandardCharsets.UTF_8));
        } else {
            r.setBody(Base64.getEncoder().encodeToString(body));
            r.setIsBase64Encoded(true);
        }
        return r;
    }

    /** A JSON error response in the application's shape: {@code {"error": ..., "field": ...}}. */
    static APIGatewayV2HTTPResponse error(int status, String message, String field) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        if (field != null) body.put("field", field);
        APIGatewayV2HTTPResponse r = new APIGatewayV2HTTPResponse();
        r.setStatusCode(status);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json; charset=utf-8");
        headers.put("cache-control", "no-store");
        r.setHeaders(headers);
        try {
            r.setBody(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return r;
    }

    private static boolean textual(String contentType) {
        if (contentType == null) return false;
        String c = contentType.toLowerCase(Locale.ROOT);
        return c.startsWith("text/") || c.contains("json") || c.contains("xml") || c.contains("javascript");
    }
}
