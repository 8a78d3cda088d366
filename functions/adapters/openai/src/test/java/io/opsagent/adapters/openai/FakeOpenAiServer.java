package io.opsagent.adapters.openai;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

/**
 * A local Chat Completions server for tests: JDK HttpServer on 127.0.0.1 (ephemeral port) that plays one scripted
 * response per request (the last one repeats) and records each request's path, headers and body.
 */
final class FakeOpenAiServer implements AutoCloseable {

    /** One scripted response. */
    @FunctionalInterface
    interface Response {
        void write(HttpExchange ex) throws Exception;
    }

    /** A recorded request. */
    record Recorded(String method, String path, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final ConcurrentLinkedDeque<Response> script = new ConcurrentLinkedDeque<>();
    final List<Recorded> requests = Collections.synchronizedList(new ArrayList<>());
    /** Nano time at which the last piece of the last SSE response was written. */
    volatile long lastPieceNanos;

    FakeOpenAiServer(Response... responses) throws IOException {
        script.addAll(List.of(responses));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", ex -> {
            try {
                String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                requests.add(new Recorded(ex.getRequestMethod(), ex.getRequestURI().getPath(),
                        Map.copyOf(ex.getRequestHeaders()), body));
                Response r = script.size() > 1 ? script.pollFirst() : script.peekFirst();
                r.write(ex);
                ex.close();
            } catch (IOException | RuntimeException e) {
                // no close(): the server drops the connection without ending the chunked body
                throw e instanceof IOException io ? io : new IOException(e);
            } catch (Exception e) {
                throw new IOException(e);
            }
        });
        server.start();
    }

    /** The base URL, ending in /v1. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ------------------------------------------------------------------ responses

    /** An SSE stream: each piece written and flushed, with {@code pauseMs} between pieces. */
    static Response sse(long pauseMs, String... pieces) {
        return ex -> {
            ex.getResponseHeaders().add("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            for (String p : pieces) {
                out.write(p.getBytes(StandardCharsets.UTF_8));
                out.flush();
                Thread.sleep(pauseMs);
            }
        };
    }

    /** SSE events, one "data: ..." per chunk, then "data: [DONE]". */
    static Response events(long pauseMs, String... chunks) {
        String[] pieces = new String[chunks.length + 1];
        for (int i = 0; i < chunks.length; i++) pieces[i] = "data: " + chunks[i] + "\n\n";
        pieces[chunks.length] = "data: [DONE]\n\n";
        return sse(pauseMs, pieces);
    }

    /** A plain response with a status, a JSON body and extra headers (name, value, name, value...). */
    static Response status(int code, String body, String... headers) {
        return ex -> {
            for (int i = 0; i + 1 < headers.length; i += 2) ex.getResponseHeaders().add(headers[i], headers[i + 1]);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(code, b.length == 0 ? -1 : b.length);
            if (b.length > 0) ex.getResponseBody().write(b);
        };
    }

    /** Writes {@code pieces} then breaks the connection mid-body (the chunked body is never terminated). */
    static Response breakAfter(String... pieces) {
        return ex -> {
            sse(50, pieces).write(ex);
            throw new IllegalStateException("connection dropped by the test");
        };
    }

    /** Writes {@code pieces} then stays silent for {@code silentMs}. */
    static Response silentAfter(long silentMs, String... pieces) {
        return ex -> {
            sse(0, pieces).write(ex);
            Thread.sleep(silentMs);
        };
    }

    // ------------------------------------------------------------------ chunk builders

    static String text(String s) {
        return "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":"
                + quote(s) + "},\"finish_reason\":null}]}";
    }

    static String finish(String reason) {
        return "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"" + reason + "\"}]}";
    }

    static String usage(long in, long out) {
        return "{\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":" + in + ",\"completion_tokens\":" + out
                + ",\"total_tokens\":" + (in + out) + "}}";
    }

    /** A tool-call fragment: id and name may be null (later fragments carry only arguments). */
    static String toolFragment(int index, String id, String name, String argsPiece) {
        StringBuilder fn = new StringBuilder("{");
        if (name != null) fn.append("\"name\":").append(quote(name)).append(',');
        fn.append("\"arguments\":").append(quote(argsPiece)).append('}');
        String idPart = id == null ? "" : "\"id\":" + quote(id) + ",\"type\":\"function\",";
        return "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":" + index + ","
                + idPart + "\"function\":" + fn + "}]},\"finish_reason\":null}]}";
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
