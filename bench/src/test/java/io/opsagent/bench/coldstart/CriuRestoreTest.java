package io.opsagent.bench.coldstart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opsagent.bench.coldstart.hello.HelloHandler;
import io.opsagent.bench.coldstart.standin.ChatStandIn;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SnapStart stand-in for real: a hello-world handler and the chat stand-in are dumped with CRIU at the snapshot
 * point and restored, and the restored JVMs answer. Needs the CRIU that {@code bench/coldstart/criu-build} builds
 * (scripts/test runs it first) and root; CRIU exists on Linux only.
 */
@EnabledOnOs(OS.LINUX)
class CriuRestoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path tmp;
    static Criu criu;
    static Path runtimeDir;
    static Path jni;

    @BeforeAll
    static void setUp() throws Exception {
        criu = Criu.locate(Path.of("..").toAbsolutePath().normalize(), null); // fails naming bench/coldstart/criu-build
        runtimeDir = ColdStartTest.runtimeDir(tmp);
        jni = Jars.extractJni(runtimeDir, tmp.resolve("jni"));
    }

    @Test
    void aHandlerDumpedAtRestoreNextIsRestoredAndAnswersItsEvent() throws Exception {
        Path jar = ColdStartTest.jarOf(tmp.resolve("hello.jar"), HelloHandler.class);
        FunctionSpec spec = new FunctionSpec("hello", FunctionSpec.Kind.HANDLER,
                HelloHandler.class.getName() + "::handleRequest", null, List.of("hello.jar"), "hello.json", Map.of(),
                List.of(), null, true, true, null, null);
        ExecutionEnvironment env = ExecutionEnvironment.prepare(spec, List.of(jar), tmp.resolve("work"), runtimeDir,
                jni, 512, Map.of());
        Path log = tmp.resolve("hello.log");
        Path images = tmp.resolve("images-hello");
        RestoreSample r = new ColdStart().handlerRestored(env, "{\"name\":\"bench\"}".getBytes(StandardCharsets.UTF_8),
                log, List.of(), criu, images);
        assertThat(r.error()).as(Files.exists(log) ? Files.readString(log) : "no log").isNull();
        assertThat(r.snapshotMs()).isPositive();
        assertThat(r.imageMb()).as("the image holds the JVM's memory").isGreaterThan(5);
        assertThat(r.restoreMs()).isPositive();
        assertThat(r.firstInvokeMs()).isPositive();
        assertThat(r.totalMs()).isGreaterThanOrEqualTo(r.restoreMs() + r.firstInvokeMs() - 1);
        assertThat(Files.readString(images.resolve("dump.log"))).contains("Dumping finished successfully");
    }

    @Test
    void aWebServerDumpedOnceReadyIsRestoredAndStreamsItsAnswer() throws Exception {
        List<Path> jars = ColdStartTest.chatStandInJars(tmp);
        FunctionSpec spec = new FunctionSpec("chat", FunctionSpec.Kind.WEB, null, ChatStandIn.class.getName(),
                List.of("x"), "x", Map.of(), List.of("jwt"), null, true, false, Map.of("sub", "u1"), null);
        ExecutionEnvironment env = ExecutionEnvironment.prepare(spec, jars, tmp.resolve("work"), runtimeDir, jni, 512,
                Map.of());
        JsonNode event = JSON.readTree(Path.of("coldstart/events/chat-standin.json").toFile());
        Path log = tmp.resolve("web.log");
        try (JwtIssuer jwt = new JwtIssuer()) {
            RestoreSample r = new ColdStart().webRestored(env, event, jwt.token(Map.of("sub", "u1")), log, List.of(),
                    null, null, criu, tmp.resolve("images-chat"));
            assertThat(r.error()).as(Files.exists(log) ? Files.readString(log) : "no log").isNull();
            assertThat(r.restoreMs()).isPositive();
            assertThat(r.firstByteMs()).isPositive().isLessThanOrEqualTo(r.firstInvokeMs());
        }
    }
}
