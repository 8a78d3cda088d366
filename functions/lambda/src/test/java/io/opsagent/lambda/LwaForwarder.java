package io.opsagent.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Does what the Lambda Web Adapter does with a Function URL event (payload 2.0) before the app sees it: an HTTP/1.1
 * request to {@code 127.0.0.1:$AWS_LWA_PORT} with {@code requestContext.http.method}, {@code rawPath} +
 * {@code rawQueryString}, the event's headers (cookies joined into {@code cookie}), the body (base64-decoded when
 * {@code isBase64Encoded}), plus {@code x-amzn-request-context} (the request context as JSON) and
 * {@code x-amzn-lambda-context}. The response is read as a stream, as the adapter relays it in response_stream mode.
 */
final class LwaForwarder {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Headers the JDK client sets itself (the adapter's hyper client forwards Host; nothing here depends on it). */
    private static final Set<String> RESTRICTED = Set.of("host", "connection", "content-length", "expect", "upgrade");

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    LwaForwarder(int port) {
        this.base = URI.create("http://127.0.0.1:" + port);
    }

    static ObjectNode event(Path file) throws IOException {
        return (ObjectNode) JSON.readTree(Files.readString(file));
    }

    /** The event with {@code Authorization: Bearer token}, or without the header when token is null. */
    static ObjectNode withToken(ObjectNode event, String token) {
        ObjectNode e = event.deepCopy();
        ObjectNode h = (ObjectNode) e.get("headers");
        if (token == null) h.remove("authorization");
        else h.put("authorization", "Bearer " + token);
        return e;
    }

    /** The event for another request: method, path (with query) and body (null: none). */
    static ObjectNode withRequest(ObjectNode event, String method, String pathAndQuery, String body) {
        ObjectNode e = event.deepCopy();
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        e.put("rawPath", path).put("rawQueryString", q < 0 ? "" : pathAndQuery.substring(q + 1));
        ObjectNode http = (ObjectNode) e.at("/requestContext/http");
        http.put("method", method).put("path", path);
        if (body == null) e.remove("body");
        else e.put("body", body);
        return e;
    }

    HttpRequest request(JsonNode event) {
        String method = event.at("/requestContext/http/method").asText();
        String query = event.path("rawQueryString").asText("");
        URI uri = base.resolve(event.get("rawPath").asText() + (query.isEmpty() ? "" : "?" + query));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60));
        event.path("headers").fields().forEachRemaining(f -> {
            if (!RESTRICTED.contains(f.getKey().toLowerCase(Locale.ROOT))) b.header(f.getKey(), f.getValue().asText());
        });
        if (event.has("cookies")) {
            List<String> cookies = new ArrayList<>();
            event.get("cookies").forEach(c -> cookies.add(c.asText()));
            b.header("cookie", String.join("; ", cookies));
        }
        b.header("x-amzn-request-context", event.get("requestContext").toString());
        b.header("x-amzn-lambda-context", JSON.createObjectNode()
                .put("request_id", event.at("/requestContext/requestId").asText())
                .put("deadline", System.currentTimeMillis() + 900_000)
                .put("invoked_function_arn", "arn:aws:lambda:eu-west-1:123456789012:function:opsagent-chat:live")
                .toString());
        JsonNode body = event.get("body");
        if (body == null || body.isNull()) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            byte[] bytes = event.path("isBase64Encoded").asBoolean(false)
                    ? Base64.getDecoder().decode(body.asText()) : body.asText().getBytes(StandardCharsets.UTF_8);
            b.method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
        }
        return b.build();
    }

    HttpResponse<String> send(JsonNode event) throws IOException, InterruptedException {
        return http.send(request(event), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<InputStream> stream(JsonNode event) throws IOException, InterruptedException {
        return http.send(request(event), HttpResponse.BodyHandlers.ofInputStream());
    }

    /** A plain request to the app, as the adapter's readiness check and SnapStart hooks make them. */
    HttpResponse<String> direct(String method, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
