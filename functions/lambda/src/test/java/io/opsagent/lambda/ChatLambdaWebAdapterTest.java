package io.opsagent.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Lambda Web Adapter contract: the chat function runs in its own JVM (run.sh's flags) with the environment the
 * adapter and the template give it, becomes ready on {@code AWS_LWA_PORT} + {@code /healthz}, and answers requests
 * shaped as the adapter forwards the sample Function URL events ({@code events/chat/*.json}); the chat answer is
 * a stream whose chunks arrive apart in time, and the run is stored. SIGTERM stops it cleanly.
 */
class ChatLambdaWebAdapterTest {
    private static final long PAUSE_MS = 300;
    private static final Path EVENTS = ChatTestApp.ROOT.resolve("events/chat");
    private static final Path RUN_SH = ChatTestApp.ROOT.resolve("functions/lambda/src/main/lambda/run.sh");
    private static JwtTestIssuer issuer;
    private static Process process;
    private static Path log;
    private static LwaForwarder lwa;
    static long readyMillis;

    @BeforeAll
    static void start() throws Exception {
        issuer = new JwtTestIssuer();
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        log = Files.createTempFile("opsagent-chat-lwa", ".log");
        long t0 = System.nanoTime();
        process = launch(lambdaEnvironment(port), log);
        lwa = new LwaForwarder(port);
        awaitReady(t0);
    }

    /** The environment the template and the adapter give the function (the JWKS served by the test issuer). */
    private static Map<String, String> lambdaEnvironment(int port) {
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "AWS_LAMBDA_EXEC_WRAPPER", "/opt/bootstrap",
                "AWS_LWA_PORT", String.valueOf(port),
                "AWS_LWA_READINESS_CHECK_PATH", "/healthz",
                "AWS_LWA_INVOKE_MODE", "response_stream",
                "AWS_LWA_SNAPSTART_BEFORE_CHECKPOINT_PATH", ChatServer.BEFORE_CHECKPOINT,
                "AWS_LWA_SNAPSTART_AFTER_RESTORE_PATH", ChatServer.AFTER_RESTORE,
                "AWS_LAMBDA_FUNCTION_NAME", "opsagent-chat",
                "AWS_REGION", "eu-west-1",
                "OPSAGENT_JWT_ISSUER", JwtTestIssuer.ISSUER,
                "OPSAGENT_JWT_AUDIENCE", JwtTestIssuer.CLIENT_ID));
        env.put("OPSAGENT_JWKS_URL", issuer.jwksUrl().toString());
        env.put("OPSAGENT_ALLOWED_ORIGINS", "https://d111111abcdef8.cloudfront.net");
        env.put("TEST_MODEL_PAUSE_MS", String.valueOf(PAUSE_MS));
        return env;
    }

    /** Starts the function's JVM with run.sh's flags, this environment, output to {@code out}. */
    private static Process launch(Map<String, String> environment, Path out) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(runShFlags());
        cmd.add("-Dopsagent.root=" + ChatTestApp.ROOT);
        cmd.addAll(List.of("-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                LwaChatMain.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("OPSAGENT_") || k.startsWith("AWS_"));
        env.putAll(environment);
        pb.redirectErrorStream(true).redirectOutput(out.toFile());
        return pb.start();
    }

    /** Polls the readiness path as the adapter does (every 10 ms) until it answers 2xx. */
    private static void awaitReady(long t0) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new AssertionError("the chat server exited " + process.exitValue() + ":\n" + log());
            try {
                if (lwa.direct("GET", "/healthz").statusCode() / 100 == 2) {
                    readyMillis = (System.nanoTime() - t0) / 1_000_000;
                    System.out.println("chat server ready after " + readyMillis + " ms (JVM start to readiness)");
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the chat server never became ready:\n" + log());
    }

    /** The JVM flags run.sh starts the function with (so a bad flag fails here, not in Lambda). */
    static List<String> runShFlags() throws IOException {
        Matcher m = Pattern.compile("(?m)^JAVA_FLAGS=\"([^\"]*)\"").matcher(Files.readString(RUN_SH));
        assertThat(m.find()).as("run.sh defines JAVA_FLAGS").isTrue();
        return Arrays.asList(m.group(1).trim().split("\\s+"));
    }

    private static String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (process != null && process.isAlive()) {
                process.destroy(); // SIGTERM, as Lambda sends at shutdown
                assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("stops within 10 s of SIGTERM:\n" + log()).isTrue();
                assertThat(process.exitValue()).as(log()).isIn(0, 143);
                assertThat(log()).doesNotContain("Exception");
            }
        } finally {
            if (process != null) process.destroyForcibly();
            if (issuer != null) issuer.close();
            if (log != null) Files.deleteIfExists(log);
        }
    }

    /** One Server-Sent Event and when it arrived. */
    record Sse(String event, JsonNode data, long atMillis) {
    }

    private static List<Sse> readEvents(InputStream body, long t0) throws IOException {
        List<Sse> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String event = null;
            StringBuilder data = new StringBuilder();
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isEmpty()) {
                    if (event != null) {
                        out.add(new Sse(event, LwaForwarder.JSON.readTree(data.toString()), (System.nanoTime() - t0) / 1_000_000));
                    }
                    event = null;
                    data.setLength(0);
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                }
            }
        }
        return out;
    }

    @Test
    void aFunctionUrlChatRequestStreamsTheAnswerChunkByChunkAndStoresTheRun() throws Exception {
        String sub = UUID.randomUUID().toString();
        String token = issuer.token(sub);
        HttpResponse<String> created = lwa.send(LwaForwarder.withToken(LwaForwarder.event(EVENTS.resolve("create-session.json")), token));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String session = LwaForwarder.JSON.readTree(created.body()).get("id").asText();
        assertThat(created.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://d111111abcdef8.cloudfront.net");

        ObjectNode ask = LwaForwarder.withToken(LwaForwarder.event(EVENTS.resolve("ask.json")), token);
        ask.put("rawPath", ask.get("rawPath").asText().replace("00000000-0000-4000-8000-000000000001", session));
        long t0 = System.nanoTime();
        HttpResponse<InputStream> stream = lwa.stream(ask);
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        assertThat(stream.headers().firstValue("Content-Length")).as("chunked, not buffered").isEmpty();
        List<Sse> events = readEvents(stream.body(), t0);

        assertThat(events.get(0).event()).isEqualTo("run");
        assertThat(events.get(events.size() - 1).event()).isEqualTo("final");
        List<Sse> deltas = events.stream().filter(e -> e.event().equals("delta")).toList();
        assertThat(deltas).extracting(d -> d.data().get("text").asText()).containsExactlyElementsOf(ChatSlowModel.DELTAS);
        // streamed: each delta arrived when the model produced it, not all at the end
        for (int i = 1; i < deltas.size(); i++) {
            long gap = deltas.get(i).atMillis() - deltas.get(i - 1).atMillis();
            assertThat(gap).as("gap before delta " + i + " (" + events + ")").isGreaterThanOrEqualTo(PAUSE_MS / 2);
        }
        Sse last = events.get(events.size() - 1);
        assertThat(deltas.get(0).atMillis()).as("first delta long before the end").isLessThan(last.atMillis() - 3 * PAUSE_MS);
        String runId = last.data().get("runId").asText();
        assertThat(last.data().get("status").asText()).isEqualTo("completed");
        assertThat(last.data().get("text").asText().strip()).isEqualTo(String.join("", ChatSlowModel.DELTAS).strip());

        // the run is stored for the token's subject, read back through the same kind of request
        ObjectNode get = LwaForwarder.withRequest(ask, "GET", "/api/runs/" + runId, null);
        HttpResponse<String> run = lwa.send(get);
        assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
        JsonNode r = LwaForwarder.JSON.readTree(run.body());
        assertThat(r.get("user").asText()).isEqualTo(sub);
        assertThat(r.get("status").asText()).isEqualTo("completed");
        HttpResponse<String> history = lwa.send(LwaForwarder.withRequest(ask, "GET", "/api/sessions/" + session, null));
        assertThat(history.body()).contains("Why is cart crash-looping?").contains("OOMKilled");
        // another user's token sees none of it
        HttpResponse<String> other = lwa.send(LwaForwarder.withToken(get, issuer.token(UUID.randomUUID().toString())));
        assertThat(other.statusCode()).isEqualTo(404);
    }

    @Test
    void withoutAValidTokenTheFunctionUrlAnswers401() throws Exception {
        ObjectNode ask = LwaForwarder.event(EVENTS.resolve("ask.json"));
        HttpResponse<String> none = lwa.send(LwaForwarder.withToken(ask, null));
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
        assertThat(LwaForwarder.JSON.readTree(none.body()).get("error").asText()).contains("missing Authorization header");
        // the sample event's placeholder is not a token
        HttpResponse<String> placeholder = lwa.send(ask);
        assertThat(placeholder.statusCode()).isEqualTo(401);
        assertThat(placeholder.body()).contains("malformed token");
        HttpResponse<String> session = lwa.send(LwaForwarder.withToken(LwaForwarder.event(EVENTS.resolve("create-session.json")), null));
        assertThat(session.statusCode()).isEqualTo(401);
    }

    @Test
    void aMissingSettingEndsTheProcessWithStatus2NamingIt() throws Exception {
        Map<String, String> env = lambdaEnvironment(0);
        env.remove("OPSAGENT_JWT_ISSUER");
        Path out = Files.createTempFile("opsagent-chat-bad", ".log");
        try {
            Process p = launch(env, out);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(2);
            assertThat(Files.readString(out)).contains("OPSAGENT_JWT_ISSUER").doesNotContain("Exception");
        } finally {
            Files.deleteIfExists(out);
        }
    }

    @Test
    void snapStartHooksAnswerTheAdapterButNotAFunctionUrlCaller() throws Exception {
        HttpResponse<String> prime = lwa.direct("POST", ChatServer.BEFORE_CHECKPOINT);
        assertThat(prime.statusCode()).as(prime.body()).isEqualTo(200);
        assertThat(LwaForwarder.JSON.readTree(prime.body()).get("findings").asInt()).isPositive();
        assertThat(lwa.direct("POST", ChatServer.AFTER_RESTORE).statusCode()).isEqualTo(200);
        ObjectNode viaUrl = LwaForwarder.withRequest(LwaForwarder.event(EVENTS.resolve("create-session.json")), "POST",
                ChatServer.BEFORE_CHECKPOINT, null);
        assertThat(lwa.send(viaUrl).statusCode()).isEqualTo(403);
    }
}
