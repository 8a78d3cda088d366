package io.opsagent.app.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One HTTP request being answered: path parameters, query, user, JSON body and response helpers. */
public final class Request {
    /** Largest request body accepted (larger → 413). */
    public static final int MAX_BODY = 64 * 1024;

    private final HttpExchange exchange;
    private final List<String> params;
    private final Map<String, String> query;
    private String correlation;
    private int status;
    private boolean responded;

    private final Authenticator auth;

    Request(HttpExchange exchange, List<String> params, String correlation, Authenticator auth) {
        this.exchange = exchange;
        this.auth = auth;
        this.params = params;
        this.query = parseQuery(exchange.getRequestURI().getRawQuery());
        this.correlation = correlation;
    }

    public HttpExchange exchange() {
        return exchange;
    }

    public String method() {
        return exchange.getRequestMethod();
    }

    /** The i-th path parameter (the route's capture groups), URL-decoded. */
    /**
     * Path parameter {@code i} as an id of a {@code what} (a session, a run): 1 to {@value #MAX_ID} characters of
     * letters, digits, {@code -}, {@code _}, {@code .} and {@code :}; anything else is a 400 naming it.
     */
    public String id(int i, String what) {
        String v = param(i);
        if (v == null || v.isEmpty() || v.length() > MAX_ID || !ID.matcher(v).matches()) {
            throw ApiError.badRequest("id", "not a " + what + " id: "
                    + (v == null ? "nothing" : v.length() > 40 ? v.substring(0, 40) + "… (" + v.length() + " characters)" : v)
                    + "; ids are 1 to " + MAX_ID + " letters, digits, '-', '_', '.' or ':'");
        }
        return v;
    }

    /** Longest id accepted in a path. */
    public static final int MAX_ID = 128;
    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[A-Za-z0-9._:-]+");

    public String param(int i) {
        return params.get(i);
    }

    /** A query parameter, or null when absent or empty. */
    public String query(String name) {
        String v = query.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    /**
     * The calling user, as the application's {@link Authenticator} establishes it (locally the header
     * {@value Users#HEADER}, default {@value Users#DEFAULT_USER}; in AWS the verified token's subject). Not
     * authenticated → {@link ApiError} 401.
     */
    public String user() {
        return auth.user(exchange.getRequestHeaders());
    }

    /** The caller's verified groups (none locally). */
    public java.util.List<String> groups() {
        return auth.groups(exchange.getRequestHeaders());
    }

    /** The correlation id of this request's log lines ({@code req=N}, or {@code run=<id>} once a run started). */
    public String correlation() {
        return correlation;
    }

    void correlation(String c) {
        this.correlation = c;
    }

    int status() {
        return status;
    }

    boolean responded() {
        return responded;
    }

    /** Reads the body as a JSON object: 413 if larger than {@link #MAX_BODY}, 400 naming the problem if malformed. */
    public ObjectNode jsonBody() throws IOException {
        return jsonBody(false);
    }

    /** As {@link #jsonBody()}; an empty body is an empty object when {@code optional}. */
    public ObjectNode jsonBody(boolean optional) throws IOException {
        return jsonBody(optional, MAX_BODY);
    }

    /** As {@link #jsonBody(boolean)}, with a body of up to {@code maxBytes} (an alert group is larger than a chat turn). */
    public ObjectNode jsonBody(boolean optional, int maxBytes) throws IOException {
        return jsonObject(readBody(maxBytes), optional);
    }

    /** The raw body, up to {@code maxBytes} (413 beyond): for a signature over exactly the bytes sent. */
    public byte[] bytes(int maxBytes) throws IOException {
        return readBody(maxBytes);
    }

    /** {@code body} as a JSON object: 400 naming the problem if it is not one. */
    public static ObjectNode jsonObject(byte[] body, boolean optional) {
        if (body.length == 0 && optional) return Json.object();
        if (body.length == 0) throw ApiError.badRequest("body", "the request body is empty; expected a JSON object");
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            // limits (nesting, number length) and syntax errors alike: say what and where, never a stack trace
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            String what = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
            throw ApiError.badRequest("body", "malformed JSON" + where + ": " + Params.clip(what, 200));
        } catch (IOException e) {
            throw ApiError.badRequest("body", "unreadable: " + Params.clip(String.valueOf(e.getMessage()), 200));
        }
        if (node == null || !node.isObject()) {
            throw ApiError.badRequest("body", "expected a JSON object, got " + (node == null ? "nothing" : node.getNodeType().name().toLowerCase()));
        }
        return (ObjectNode) node;
    }

    private byte[] readBody(int max) throws IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.strip()) > max) throw tooLarge(max);
            } catch (NumberFormatException e) {
                throw ApiError.badRequest("Content-Length", "Content-Length is not a number: " + length);
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] data = in.readNBytes(max + 1);
            if (data.length > max) throw tooLarge(max);
            return data;
        }
    }

    private static ApiError tooLarge(int max) {
        return new ApiError(413, "the request body is larger than " + max / 1024 + " KB", "body");
    }

    /** Sends a JSON response. */
    public void json(int code, JsonNode body) throws IOException {
        byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        send(code, bytes);
    }

    /** Sends an empty response (e.g. 204). */
    public void empty(int code) throws IOException {
        status = code;
        responded = true;
        exchange.sendResponseHeaders(code, -1);
        exchange.close();
    }

    /** Sends bytes with the content type already set. */
    public void send(int code, byte[] bytes) throws IOException {
        status = code;
        responded = true;
        boolean head = "HEAD".equals(method());
        exchange.sendResponseHeaders(code, head || bytes.length == 0 ? -1 : bytes.length);
        if (!head && bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }

    /** Starts a streamed (chunked) response; the caller writes and closes the body. */
    public OutputStream stream(int code, String contentType) throws IOException {
        status = code;
        responded = true;
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(code, 0);
        return exchange.getResponseBody();
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return out;
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq));
            String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.putIfAbsent(k, v);
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("query", "malformed percent-encoding in the query string: " + s);
        }
    }
}
