package io.opsagent.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The command line's client of a running {@code ./opsagent up} (its JSON API), as a named user: what the web UI does,
 * from a terminal. Errors are the server's own messages.
 */
final class ServerClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI base;
    private final String user;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ServerClient(String server, String user) {
        String s = server.endsWith("/") ? server : server + "/";
        try {
            this.base = URI.create(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--server is not a URL: " + server);
        }
        if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme())) {
            throw new IllegalArgumentException("--server must be an http(s) URL, got " + server);
        }
        this.user = user;
    }

    /** The answer: status and JSON body. */
    record Answer(int status, JsonNode json) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        String error() {
            return json == null ? "HTTP " + status : json.path("error").asText("HTTP " + status);
        }
    }

    Answer get(String path) throws IOException {
        return send(request(path).GET().build());
    }

    Answer post(String path, JsonNode body) throws IOException {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
    }

    Answer put(String path, JsonNode body) throws IOException {
        return send(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
    }

    Answer delete(String path) throws IOException {
        return send(request(path).DELETE().build());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path.startsWith("/") ? path.substring(1) : path))
                .timeout(Duration.ofSeconds(60));
        if (user != null) b.header("X-OpsAgent-User", user);
        return b;
    }

    private Answer send(HttpRequest r) throws IOException {
        try {
            HttpResponse<String> res = http.send(r, HttpResponse.BodyHandlers.ofString());
            JsonNode json = res.body().isBlank() ? null : JSON.readTree(res.body());
            return new Answer(res.statusCode(), json);
        } catch (ConnectException e) {
            throw new IOException("no OpsAgent answers at " + base + " (start it with ./opsagent up --context …, or give --server)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    static ObjectMapper json() {
        return JSON;
    }
}
