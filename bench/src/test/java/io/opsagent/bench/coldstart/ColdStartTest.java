package io.opsagent.bench.coldstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opsagent.bench.coldstart.hello.HelloHandler;
import io.opsagent.bench.coldstart.standin.ChatStandIn;
import io.opsagent.bench.coldstart.standin.JacksonHandler;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cold-start harness against the real runtime interface client (2.6.0, test dependency) and the stand-ins:
 * the fake Runtime API's protocol, a hello-world cold start, the SnapStart path running a CRaC
 * {@code beforeCheckpoint} hook, the web-adapter path with a signed token, and the pieces the report relies on.
 */
class ColdStartTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path tmp;
    static Path runtimeDir;
    static Path jni;

    @BeforeAll
    static void runtime() throws IOException {
        runtimeDir = runtimeDir(tmp);
        jni = Jars.extractJni(runtimeDir, tmp.resolve("jni"));
    }

    @Test
    void fakeRuntimeApiHandsOutOneEventRecordsTheResponseAndHoldsTheNextCall() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (FakeRuntimeApi api = new FakeRuntimeApi("{\"a\":1}".getBytes(StandardCharsets.UTF_8))) {
            URI base = URI.create("http://" + api.address() + "/2018-06-01/runtime/");
            HttpResponse<String> next = http.send(HttpRequest.newBuilder(base.resolve("invocation/next")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(next.body()).isEqualTo("{\"a\":1}");
            String id = next.headers().firstValue("Lambda-Runtime-Aws-Request-Id").orElseThrow();
            assertThat(next.headers().firstValue("Lambda-Runtime-Deadline-Ms")).isPresent();
            assertThat(api.outcome()).isNull();
            HttpResponse<String> posted = http.send(HttpRequest.newBuilder(base.resolve("invocation/" + id + "/response"))
                    .POST(HttpRequest.BodyPublishers.ofString("\"ok\"")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(posted.statusCode()).isEqualTo(202);
            assertThat(api.awaitEnd(1, TimeUnit.SECONDS)).isTrue();
            assertThat(api.outcome()).isEqualTo("response");
            assertThat(api.body()).isEqualTo("\"ok\"");
            assertThat(api.firstNextNanos()).isPositive().isLessThanOrEqualTo(api.handedOutNanos());
            assertThat(api.finishedNanos()).isGreaterThan(api.handedOutNanos());
            CompletableFuture<HttpResponse<String>> second = http.sendAsync(
                    HttpRequest.newBuilder(base.resolve("invocation/next")).build(), HttpResponse.BodyHandlers.ofString());
            Thread.sleep(200);
            assertThat(second).as("the environment stays frozen after its one invocation").isNotDone();
            assertThat(http.send(HttpRequest.newBuilder(base.resolve("nonsense")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
            assertThat(api.unexpected()).containsExactly("GET /2018-06-01/runtime/nonsense");
        }
    }

    @Test
    void fakeRuntimeApiHoldsRestoreNextUntilReleasedAsLambdaDoesAcrossASnapshot() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (FakeRuntimeApi api = new FakeRuntimeApi("{}".getBytes(StandardCharsets.UTF_8))) {
            api.holdAtSnapshot();
            URI base = URI.create("http://" + api.address() + "/2018-06-01/runtime/");
            assertThat(api.awaitSnapshotPoint(50, TimeUnit.MILLISECONDS)).isFalse();
            CompletableFuture<HttpResponse<String>> restoreNext = http.sendAsync(
                    HttpRequest.newBuilder(base.resolve("restore/next")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(api.awaitSnapshotPoint(5, TimeUnit.SECONDS)).isTrue();
            assertThat(api.restoreNextNanos()).isPositive();
            Thread.sleep(200);
            assertThat(restoreNext).as("held at the snapshot point").isNotDone();
            api.releaseRestore();
            assertThat(restoreNext.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void criuCommandLinesKeepTcpConnectionsAndTheProcessGetsItsOwnSessionWithoutPipes() throws Exception {
        assertThat(Criu.parseVersion("Version: 4.1.1\n")).isEqualTo("4.1");
        assertThat(Criu.parseVersion("criu: command not found")).isNull();
        ProcessBuilder pb = Criu.detached(new ProcessBuilder("java", "-version"));
        assertThat(pb.command()).containsExactly("setsid", "java", "-version");
        assertThat(pb.redirectInput().file()).isEqualTo(Path.of("/dev/null").toFile());
    }

    @Test
    void helloWorldColdStartThroughTheRealRuntimeInterfaceClient() throws Exception {
        Path jar = jarOf(tmp.resolve("hello.jar"), HelloHandler.class);
        FunctionSpec spec = new FunctionSpec("hello", FunctionSpec.Kind.HANDLER,
                HelloHandler.class.getName() + "::handleRequest", null, List.of("hello.jar"), "hello.json", Map.of(),
                List.of(), null, false, true, null, null);
        ExecutionEnvironment env = ExecutionEnvironment.prepare(spec, List.of(jar), tmp.resolve("work"), runtimeDir,
                jni, 512, Map.of());
        Path log = tmp.resolve("hello.log");
        Sample s = new ColdStart().handler(env, "{\"name\":\"bench\"}".getBytes(StandardCharsets.UTF_8), false, log,
                List.of());
        assertThat(s.error()).as(Files.exists(log) ? Files.readString(log) : "no log").isNull();
        assertThat(s.initMs()).isPositive();
        assertThat(s.initCpuMs()).isPositive();
        assertThat(s.firstInvokeMs()).isPositive();
        assertThat(s.totalMs()).isGreaterThanOrEqualTo(s.initMs() + s.firstInvokeMs() - 1);
        assertThat(s.snapshotMs()).as("no snapshot point on demand").isEqualTo(-1);
    }

    @Test
    void theManagedRuntimesFlagsAndAnAotCacheFlagInsteadOfItsArchive() throws Exception {
        FunctionSpec spec = new FunctionSpec("flags", FunctionSpec.Kind.HANDLER, "x.Y::handleRequest", null,
                List.of("x.jar"), "x.json", Map.of(), List.of(), null, false, false, null, null);
        ExecutionEnvironment env = ExecutionEnvironment.prepare(spec, List.of(), tmp.resolve("flags"), runtimeDir, jni,
                1024, Map.of());
        assertThat(env.jvm(List.of())).contains("-Xshare:auto", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-XX:MaxHeapSize=891289k", "-XX:MaxRAM=1024m");
        // the JVM refuses -Xshare next to an AOT cache: the flag replaces the archive, it is not added to it
        assertThat(env.jvm(List.of("-XX:AOTCache=/tmp/api.aot"))).doesNotContain("-Xshare:auto")
                .endsWith("-XX:AOTCache=/tmp/api.aot");
        assertThat(ExecutionEnvironment.isAotFlag("-XX:AOTCacheOutput=a.aot")).isTrue();
        assertThat(ExecutionEnvironment.isAotFlag("-XX:SharedArchiveFile=a.jsa")).isFalse();
    }

    @Test
    void snapStartInitRunsTheCracBeforeCheckpointHookThenRestoreNext() throws Exception {
        List<Path> jars = new ArrayList<>(List.of(jarOf(tmp.resolve("standin.jar"), JacksonHandler.class)));
        jars.addAll(classpathJars("jackson-core-", "jackson-databind-", "jackson-annotations-", "org-crac-"));
        assertThat(Jars.registersCracResource(jars, JacksonHandler.class.getName())).isTrue();
        assertThat(Jars.registersCracResource(List.of(jarOf(tmp.resolve("h2.jar"), HelloHandler.class)),
                HelloHandler.class.getName())).isFalse();
        FunctionSpec spec = new FunctionSpec("standin", FunctionSpec.Kind.HANDLER,
                JacksonHandler.class.getName() + "::handleRequest", null, List.of("x"), "x", Map.of(), List.of(), null,
                true, false, null, null);
        ExecutionEnvironment env = ExecutionEnvironment.prepare(spec, jars, tmp.resolve("work"), runtimeDir, jni, 512,
                Map.of());
        byte[] event = "{\"rawPath\":\"/api/sessions\",\"requestContext\":{\"http\":{\"method\":\"GET\"}}}"
                .getBytes(StandardCharsets.UTF_8);
        Path log = tmp.resolve("snap.log");
        Sample s = new ColdStart().handler(env, event, true, log, List.of());
        assertThat(s.error()).as(Files.exists(log) ? Files.readString(log) : "no log").isNull();
        assertThat(s.snapshotMs()).as("restore/next called").isPositive().isLessThanOrEqualTo(s.initMs());
    }

    @Test
    void webAdapterPathWaitsForReadinessThenStreamsTheTranslatedRequestWithASignedToken() throws Exception {
        List<Path> jars = chatStandInJars(tmp);
        FunctionSpec spec = new FunctionSpec("chat", FunctionSpec.Kind.WEB, null, ChatStandIn.class.getName(),
                List.of("x"), "x", Map.of(), List.of("jwt"), null, false, false, Map.of("sub", "u1"), null);
        ExecutionEnvironment env = ExecutionEnvironment.prepare(spec, jars, tmp.resolve("work"), runtimeDir, jni, 512,
                Map.of());
        JsonNode event = JSON.readTree(Path.of("coldstart/events/chat-standin.json").toFile());
        Path log = tmp.resolve("web.log");
        try (JwtIssuer jwt = new JwtIssuer()) {
            Sample s = new ColdStart().web(env, event, jwt.token(Map.of("sub", "u1")), log, List.of());
            assertThat(s.error()).as(Files.exists(log) ? Files.readString(log) : "no log").isNull();
            assertThat(s.firstByteMs()).isPositive().isLessThanOrEqualTo(s.firstInvokeMs());
            Sample unauthenticated = new ColdStart().web(env, event, null, log, List.of());
            assertThat(unauthenticated.error()).as("the event's own placeholder token is refused").contains("HTTP 401");
        }
    }

    @Test
    void functionUrlEventBecomesTheHttpRequestTheAdapterSends() throws Exception {
        JsonNode event = JSON.readTree("{\"rawPath\":\"/api/chat\",\"rawQueryString\":\"a=1\",\"cookies\":[\"c=1\",\"d=2\"],"
                + "\"headers\":{\"host\":\"x\",\"content-type\":\"application/json\",\"authorization\":\"Bearer old\"},"
                + "\"requestContext\":{\"http\":{\"method\":\"POST\"}},\"body\":\"eyJtIjoxfQ==\",\"isBase64Encoded\":true}");
        HttpRequest r = ColdStart.translate(URI.create("http://127.0.0.1:9"), event, "new");
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.uri()).hasToString("http://127.0.0.1:9/api/chat?a=1");
        assertThat(r.headers().allValues("authorization")).containsExactly("Bearer new");
        assertThat(r.headers().firstValue("cookie")).hasValue("c=1; d=2");
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(r.headers().firstValue("host")).isEmpty();
        assertThat(r.bodyPublisher().orElseThrow().contentLength()).isEqualTo("{\"m\":1}".length());
    }

    @Test
    void badCommandLinesAreRefusedNamingWhatWasWrong() {
        BenchOptions o = BenchOptions.parse("--runs", "3", "--only", "api,chat", "--restore", "--criu", "/x/criu",
                "--jvm-arg", "-Xlog:gc");
        assertThat(o.runs()).isEqualTo(3);
        assertThat(o.only()).containsExactly("api", "chat");
        assertThat(o.restore()).isTrue();
        assertThat(o.criu()).isEqualTo(Path.of("/x/criu"));
        assertThat(o.jvmArgs()).containsExactly("-Xlog:gc");
        assertThat(BenchOptions.parse().runs()).as("default").isEqualTo(5);
        assertThatThrownBy(() -> BenchOptions.parse("--runs")).hasMessage("--runs needs a value");
        assertThatThrownBy(() -> BenchOptions.parse("--runs", "many")).hasMessage("--runs: 'many' is not a whole number");
        assertThatThrownBy(() -> BenchOptions.parse("--runs", "0")).hasMessageContaining("--runs must be ≥ 1");
        assertThatThrownBy(() -> BenchOptions.parse("--fast")).hasMessage("unknown option --fast");
        assertThatThrownBy(() -> BenchOptions.parse("--criu", "/x/criu")).hasMessage("--criu only goes with --restore");
        assertThatThrownBy(() -> BenchOptions.parse("--jvm-arg", "-XX:AOTCache=a.aot"))
                .hasMessageContaining("needs --no-runtime-cds");
        List<FunctionSpec> specs = List.of(
                new FunctionSpec("hello-world", FunctionSpec.Kind.HANDLER, "x.H::h", null, List.of("h.jar"), "e", Map.of(),
                        List.of(), null, false, true, null, null),
                new FunctionSpec("api", FunctionSpec.Kind.HANDLER, "x.A::h", null, List.of("a.jar"), "e", Map.of(),
                        List.of(), null, true, false, null, null));
        assertThat(ColdStartBench.only(specs, List.of("api"))).extracting(FunctionSpec::name)
                .containsExactly("hello-world", "api");
        assertThatThrownBy(() -> ColdStartBench.only(specs, List.of("apii")))
                .hasMessageContaining("[apii]").hasMessageContaining("[hello-world, api]");
    }

    @Test
    void fakeEksDescribesItsClusterAndServesTheDumpsObjectsAndPodLogs() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (FakeEks eks = new FakeEks(Path.of("..").resolve(FakeEks.DUMP))) {
            assertThat(eks.objects()).isGreaterThan(100);
            HttpResponse<String> described = http.send(HttpRequest.newBuilder(
                    URI.create(eks.endpoint() + "/clusters/" + FakeEks.CLUSTER)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(described.statusCode()).isEqualTo(200);
            JsonNode cluster = JSON.readTree(described.body()).get("cluster");
            assertThat(cluster.get("status").asText()).isEqualTo("ACTIVE");
            assertThat(http.send(HttpRequest.newBuilder(URI.create(eks.endpoint() + "/clusters/other")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
            String api = cluster.get("endpoint").asText();
            try (var client = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                    .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder().withMasterUrl(api).build()).build()) {
                var pods = client.pods().inNamespace("shop").list().getItems();
                assertThat(pods).isNotEmpty();
                var cart = pods.stream().filter(p -> p.getMetadata().getName().startsWith("cart-")).findFirst().orElseThrow();
                String log = client.pods().inNamespace("shop").withName(cart.getMetadata().getName())
                        .inContainer(cart.getSpec().getContainers().get(0).getName()).tailingLines(3).getLog();
                assertThat(log.split("\n")).as("the dump's last 3 lines, not the object list").hasSize(3);
                assertThat(log).doesNotContain("\"kind\":\"List\"");
            }
        }
    }

    @Test
    void placeholdersAreFilledAndAnUnknownOneIsNamed() {
        assertThat(ExecutionEnvironment.fill("${root}/events and ${dynamodb}", Map.of("root", "/r", "dynamodb", "http://d"),
                "api")).isEqualTo("/r/events and http://d");
        assertThatThrownBy(() -> ExecutionEnvironment.fill("${nope}", Map.of("root", "/r"), "api"))
                .hasMessageContaining("function api").hasMessageContaining("${nope}");
    }

    @Test
    void functionsFileNeedsExactlyOneBaselineAndTheFieldsOfItsKind(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("f.json");
        Files.writeString(f, "[{\"name\":\"a\",\"kind\":\"handler\",\"handler\":\"x.A::h\",\"jars\":[\"a.jar\"],\"event\":\"e\"}]");
        assertThatThrownBy(() -> FunctionSpec.load(f)).hasMessageContaining("exactly one function must be the baseline");
        Files.writeString(f, "[{\"name\":\"a\",\"kind\":\"web\",\"jars\":[\"a.jar\"],\"event\":\"e\",\"baseline\":true}]");
        assertThatThrownBy(() -> FunctionSpec.load(f)).hasMessageContaining("function a").hasMessageContaining("mainClass");
        List<FunctionSpec> shipped = FunctionSpec.load(Path.of("coldstart/functions.json"));
        assertThat(shipped).extracting(FunctionSpec::name).contains("hello-world", "api", "chat");
        assertThat(shipped.get(0).baseline()).as("hello-world first").isTrue();
    }

    @Test
    void classLoadLogIsSplitByWhereClassesCameFrom(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("cl.log");
        Files.writeString(log, String.join("\n",
                "[0.01s][info][class,load] java.lang.Object source: shared objects file",
                "[0.02s][info][class,load] java.lang.Foo source: jrt:/java.base",
                "[0.03s][info][class,load] java.lang.Module$$Lambda$2/0x1 source: java.lang.Module",
                "[0.04s][info][class,load] software.amazon.awssdk.core.A source: file:/t/lib/x.jar",
                "[0.05s][info][class,load] software.amazon.awssdk.core.B source: file:/t/lib/x.jar",
                "[0.06s][info][class,load] io.fabric8.kubernetes.C source: jar:file:/t/lib/x.jar!/",
                "[0.07s][info][class,load] com.amazonaws.services.lambda.runtime.D source: file:/r/ric.jar"));
        ClassLoadProfile p = ClassLoadProfile.parse(log, "software.amazon.awssdk.core.B");
        assertThat(p.total()).isEqualTo(7);
        assertThat(p.cds()).isEqualTo(1);
        assertThat(p.jdk()).isEqualTo(2);
        assertThat(p.app()).isEqualTo(4);
        assertThat(p.entryMs()).isEqualTo(50.0);
        assertThat(p.lastMs()).isEqualTo(70.0);
        assertThat(p.packages()).containsExactly(Map.entry("software.amazon.awssdk", 2), Map.entry("io.fabric8.kubernetes", 1));
    }

    /** The managed runtime's own jars (RIC, core, serialization) from the test classpath, linked into {@code dir/runtime}. */
    static Path runtimeDir(Path dir) throws IOException {
        Path runtime = Files.createDirectories(dir.resolve("runtime"));
        for (Path jar : classpathJars("aws-lambda-java-runtime-interface-client-", "aws-lambda-java-core-",
                "aws-lambda-java-serialization-")) {
            Files.createSymbolicLink(runtime.resolve(jar.getFileName()), jar.toAbsolutePath());
        }
        return runtime;
    }

    /** The jars on the test classpath whose file names start with one of {@code prefixes}. */
    static List<Path> classpathJars(String... prefixes) {
        List<Path> out = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (List.of(prefixes).stream().anyMatch(name::startsWith)) {
                out.add(Path.of(entry));
            }
        }
        return out;
    }

    /** The chat stand-in's jar (written into {@code dir}) and the Jackson jars it runs with. */
    static List<Path> chatStandInJars(Path dir) throws IOException {
        List<Path> jars = new ArrayList<>(List.of(jarOf(dir.resolve("chat.jar"), ChatStandIn.class)));
        jars.addAll(classpathJars("jackson-core-", "jackson-databind-", "jackson-annotations-"));
        return jars;
    }

    /** A jar holding just {@code type}'s class files (with its nested classes), as the bench packages it. */
    static Path jarOf(Path jar, Class<?> type) throws IOException {
        Path classes = Path.of(type.getProtectionDomain().getCodeSource().getLocation().getPath());
        String dir = type.getPackageName().replace('.', '/');
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             var files = Files.list(classes.resolve(dir))) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith(type.getSimpleName())).toList()) {
                out.putNextEntry(new JarEntry(dir + "/" + f.getFileName()));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
        return jar;
    }
}
