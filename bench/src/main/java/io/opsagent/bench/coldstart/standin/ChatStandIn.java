package io.opsagent.bench.coldstart.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * A stand-in for the chat server behind the Lambda Web Adapter, for testing bench/coldstart before the real one
 * exists: listens on {@code AWS_LWA_PORT} (or {@code PORT}, default 8080), answers {@code GET /healthz}, and streams
 * a server-sent-event answer to {@code POST /api/chat} carrying a bearer token.
 */
public final class ChatStandIn {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ChatStandIn() {
    }

    public static void main(String[] args) throws IOException {
        String port = System.getenv().getOrDefault("AWS_LWA_PORT", System.getenv().getOrDefault("PORT", "8080"));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(port)), 64);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/healthz", ex -> send(ex, 200, "ok"));
        server.createContext("/api/chat", ChatStandIn::chat);
        server.start();
    }

    private static void chat(HttpExchange ex) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Bearer ") || auth.split("\\.").length != 3) {
            send(ex, 401, "{\"error\":\"a bearer token is required\"}");
            return;
        }
        JsonNode request;
        try (InputStream in = ex.getRequestBody()) {
            request = JSON.readTree(in);
        }
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
            String[] words = ("You asked: " + request.path("message").asText("?")).split(" ");
            for (String w : words) {
                out.write(("event: delta\ndata: " + JSON.writeValueAsString(w + " ") + "\n\n")
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            out.write("event: done\ndata: {}\n\n".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
