package io.opsagent.adapters.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/**
 * A local HTTP/1.1 server speaking Bedrock's ConverseStream wire protocol: each request gets the next scripted
 * {@link Reply} — an HTTP JSON error with {@code x-amzn-ErrorType}, or an {@code application/vnd.amazon.eventstream}
 * body of real event-stream frames (events and exceptions), optionally stalling or dropping the connection.
 */
final class FakeBedrock implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    /** One scripted answer. */
    sealed interface Reply {
    }

    /** An HTTP error before any stream: status, error type and message. */
    record HttpError(int status, String errorType, String message) implements Reply {
    }

    /** A stream of frames; after them the server stalls {@code stallMillis} (0: none) then ends the body. */
    record Stream(List<byte[]> frames, long stallMillis, boolean abort) implements Reply {
        Stream(List<byte[]> frames) {
            this(frames, 0, false);
        }
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
    final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    final List<String> paths = new CopyOnWriteArrayList<>();
    private volatile Reply fallback;

    FakeBedrock() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-bedrock");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    FakeBedrock then(Reply reply) {
        script.add(reply);
        return this;
    }

    /** The reply used once the script is exhausted. */
    FakeBedrock always(Reply reply) {
        fallback = reply;
        return this;
    }

    /** Forgets the script, the fallback and the recorded requests. */
    void reset() {
        script.clear();
        fallback = null;
        bodies.clear();
        paths.clear();
    }

    int requests() {
        return bodies.size();
    }

    BedrockRuntimeAsyncClient client(BedrockConfig config) {
        return BedrockChatModel.client(config.withEndpointOverride(endpoint()),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret-test")));
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            byte[] body = ex.getRequestBody().readAllBytes();
            paths.add(ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath());
            bodies.add(JSON.readTree(body));
            Reply reply = script.poll();
            if (reply == null) reply = fallback;
            if (reply == null) reply = new HttpError(500, "InternalServerException", "no scripted reply");
            if (reply instanceof HttpError e) {
                byte[] out = JSON.createObjectNode().put("message", e.message()).toString().getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.getResponseHeaders().add("x-amzn-ErrorType", e.errorType() + ":http://internal.amazon.com/coral/com.amazon.bedrock/");
                ex.getResponseHeaders().add("x-amzn-RequestId", "req-" + bodies.size());
                ex.sendResponseHeaders(e.status(), out.length);
                ex.getResponseBody().write(out);
            } else if (reply instanceof Stream s) {
                ex.getResponseHeaders().add("Content-Type", "application/vnd.amazon.eventstream");
                ex.getResponseHeaders().add("x-amzn-RequestId", "req-" + bodies.size());
                ex.sendResponseHeaders(200, 0);
                OutputStream os = ex.getResponseBody();
                for (byte[] f : s.frames()) {
                    os.write(f);
                    os.flush();
                }
                if (s.stallMillis() > 0) sleep(s.stallMillis());
                if (s.abort()) {
                    // leave without closing the exchange: the server drops the connection mid-body
                    throw new IllegalStateException("fake-bedrock: connection aborted on purpose");
                }
            }
            ex.close();
        } catch (IOException e) {
            ex.close();
            throw e;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        try {
            ((java.util.concurrent.ExecutorService) server.getExecutor()).awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- frames, as ConverseStream emits them ----

    static byte[] event(String type, String json) {
        Map<String, HeaderValue> h = new LinkedHashMap<>();
        h.put(":event-type", HeaderValue.fromString(type));
        h.put(":content-type", HeaderValue.fromString("application/json"));
        h.put(":message-type", HeaderValue.fromString("event"));
        return bytes(new Message(h, json.getBytes(StandardCharsets.UTF_8)));
    }

    static byte[] exception(String type, String message) {
        Map<String, HeaderValue> h = new LinkedHashMap<>();
        h.put(":exception-type", HeaderValue.fromString(type));
        h.put(":content-type", HeaderValue.fromString("application/json"));
        h.put(":message-type", HeaderValue.fromString("exception"));
        String json = JSON.createObjectNode().put("message", message).toString();
        return bytes(new Message(h, json.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] bytes(Message m) {
        java.nio.ByteBuffer b = m.toByteBuffer();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    static byte[] messageStart() {
        return event("messageStart", "{\"role\":\"assistant\",\"p\":\"abcd\"}");
    }

    static byte[] text(int index, String text) {
        return event("contentBlockDelta", JSON.createObjectNode().put("contentBlockIndex", index)
                .set("delta", JSON.createObjectNode().put("text", text)).toString());
    }

    static byte[] toolStart(int index, String id, String name) {
        var start = JSON.createObjectNode();
        start.putObject("start").putObject("toolUse").put("toolUseId", id).put("name", name);
        start.put("contentBlockIndex", index);
        return event("contentBlockStart", start.toString());
    }

    static byte[] toolInput(int index, String fragment) {
        var d = JSON.createObjectNode().put("contentBlockIndex", index);
        d.putObject("delta").putObject("toolUse").put("input", fragment);
        return event("contentBlockDelta", d.toString());
    }

    static byte[] blockStop(int index) {
        return event("contentBlockStop", "{\"contentBlockIndex\":" + index + "}");
    }

    static byte[] messageStop(String reason) {
        return event("messageStop", "{\"stopReason\":\"" + reason + "\"}");
    }

    static byte[] metadata(int in, int out) {
        return event("metadata", "{\"usage\":{\"inputTokens\":" + in + ",\"outputTokens\":" + out + ",\"totalTokens\":"
                + (in + out) + "},\"metrics\":{\"latencyMs\":120}}");
    }

    /** A whole plain answer: the given text pieces, end_turn, usage. */
    static Stream answer(String... pieces) {
        List<byte[]> f = new ArrayList<>();
        f.add(messageStart());
        for (String p : pieces) f.add(text(0, p));
        f.add(blockStop(0));
        f.add(messageStop("end_turn"));
        f.add(metadata(100, 20));
        return new Stream(f);
    }
}
