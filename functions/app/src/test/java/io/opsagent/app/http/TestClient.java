package io.opsagent.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A real {@link HttpClient} talking to the server under test as one dev user. */
final class TestClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI base;
    private final String user;

    TestClient(URI base, String user) {
        this.base = base;
        this.user = user;
    }

    TestClient as(String otherUser) {
        return new TestClient(base, otherUser);
    }

    /** A response: status, body text, parsed JSON (null if not JSON), headers. */
    record Res(int status, String body, JsonNode json, HttpResponse<String> raw) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
        if (user != null) b.header("X-OpsAgent-User", user);
        return b;
    }

    Res get(String path) {
        return send(request(path).GET().build());
    }

    Res delete(String path) {
        return send(request(path).DELETE().build());
    }

    Res post(String path, String body) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    Res put(String path, String body) {
        return send(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    Res method(String method, String path) {
        return send(request(path).method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    Res send(HttpRequest req) {
        try {
            HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            if (r.headers().firstValue("Content-Type").orElse("").startsWith("application/json") && !r.body().isEmpty()) {
                json = JSON.readTree(r.body());
            }
            return new Res(r.statusCode(), r.body(), json, r);
        } catch (IOException e) {
            throw new AssertionError(req.method() + " " + req.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Creates a session on {@code workload} and returns its id. */
    String session(String workload) {
        Res r = post("/api/sessions", "{\"workload\":\"" + workload + "\"}");
        if (r.status() != 201) throw new AssertionError("session not created: " + r.status() + " " + r.body());
        return r.json().get("id").asText();
    }

    /** One Server-Sent Event as received, with the time it arrived. */
    record Sse(String event, JsonNode data, long atNanos) {
    }

    /** An open event stream read line by line. */
    static final class Stream implements AutoCloseable {
        final HttpResponse<InputStream> response;
        private final BufferedReader reader;
        final List<String> comments = new ArrayList<>();

        Stream(HttpResponse<InputStream> response) {
            this.response = response;
            this.reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        }

        /** The next event, or null at the end of the stream. */
        Sse next() throws IOException {
            String event = null;
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    if (event != null || data.length() > 0) {
                        return new Sse(event == null ? "message" : event, JSON.readTree(data.toString()), System.nanoTime());
                    }
                } else if (line.startsWith(":")) {
                    comments.add(line);
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                }
            }
            return null;
        }

        /** Every remaining event. */
        List<Sse> rest() throws IOException {
            List<Sse> all = new ArrayList<>();
            for (Sse e = next(); e != null; e = next()) all.add(e);
            return all;
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }

    /** Posts a chat message and returns the open stream (the caller reads it). */
    Stream chat(String sessionId, String text) {
        try {
            String body = JSON.createObjectNode().put("text", text).toString();
            HttpResponse<InputStream> r = HTTP.send(request("/api/sessions/" + sessionId + "/messages")
                            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            return new Stream(r);
        } catch (IOException e) {
            throw new AssertionError("chat failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
