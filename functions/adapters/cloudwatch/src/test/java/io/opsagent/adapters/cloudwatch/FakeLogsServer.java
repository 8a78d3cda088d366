package io.opsagent.adapters.cloudwatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * A local CloudWatch Logs endpoint speaking the JSON 1.1 protocol ({@code POST /}, {@code X-Amz-Target:
 * Logs_20140328.<Operation>}). Each request is recorded and answered by the test's handler with a status and a JSON
 * body; errors are {@code {"__type": "...", "message": "..."}} with 400.
 */
final class FakeLogsServer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received. */
    record Request(String operation, String contentType, JsonNode body) {
    }

    /** A reply: HTTP status and JSON body. */
    record Reply(int status, String body) {
        static Reply ok(String json) {
            return new Reply(200, json);
        }

        static Reply error(String type, String message) {
            return new Reply(400, "{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}");
        }
    }

    private final HttpServer server;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile BiFunction<String, JsonNode, Reply> handler = (op, body) -> Reply.error("UnknownOperation", op);

    FakeLogsServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-logs");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    void handler(BiFunction<String, JsonNode, Reply> h) {
        handler = h;
    }

    List<Request> requests(String operation) {
        List<Request> out = new ArrayList<>();
        for (Request r : requests) {
            if (r.operation().equals(operation)) {
                out.add(r);
            }
        }
        return out;
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The real SDK client pointed at this server. */
    CloudWatchLogsClient client() {
        return CloudWatchLogsClient.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
                .httpClient(UrlConnectionHttpClient.builder().build()).build();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
            byte[] in = ex.getRequestBody().readAllBytes();
            Reply reply;
            if (!"POST".equals(ex.getRequestMethod()) || target == null || !target.startsWith("Logs_20140328.")) {
                reply = Reply.error("UnknownOperationException", "bad request " + ex.getRequestMethod() + " " + target);
            } else {
                String op = target.substring("Logs_20140328.".length());
                JsonNode body = JSON.readTree(in.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : in);
                requests.add(new Request(op, ex.getRequestHeaders().getFirst("Content-Type"), body));
                try {
                    reply = handler.apply(op, body);
                } catch (RuntimeException e) {
                    reply = new Reply(500, "{\"__type\":\"ServiceUnavailableException\",\"message\":\"" + e + "\"}");
                }
            }
            byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            ex.sendResponseHeaders(reply.status(), out.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
