package io.opsagent.app.http;

import static io.opsagent.core.leak.PlantedSecrets.assertClean;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsagent.adapters.dynamodb.LocalDynamo;
import io.opsagent.adapters.dynamodb.TableNames;
import io.opsagent.app.http.TestClient.Res;
import io.opsagent.core.agent.model.ToolCall;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.input.ClusterDumpReader;
import io.opsagent.core.input.text.TextEvidenceReader;
import io.opsagent.core.leak.PlantedSecrets;
import io.opsagent.core.redact.Redactor;
import io.opsagent.core.tools.SnapshotProvider;
import io.opsagent.core.tools.ToolContext;
import io.opsagent.core.tools.ToolRegistry;
import io.opsagent.core.tools.ToolResult;
import io.opsagent.core.tools.cluster.ClusterTools;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * The leak suite: secrets of every kind planted into a generated dump and into pasted evidence
 * ({@link PlantedSecrets}); every API route, every tool, the chat, the stored runs, steps and sessions and the raw
 * DynamoDB items are driven and read, and no planted value may appear in any of them, plain or encoded. Probes
 * for a secret's prefix and for the same prefix with one character changed must get the same answers (no oracle).
 */
class LeakSuiteTest {
    @TempDir
    static Path tmp;
    private static Path dump;
    private static Path evidence;
    private static LocalDynamo db;
    private static LocalServer server;
    private static LocalServer evidenceServer;
    private static TestClient dev;
    private static TestClient devOnEvidence;
    private static final TableNames TABLES = TableNames.withPrefix("leak-");

    @BeforeAll
    static void start() throws Exception {
        dump = PlantedSecrets.dump(tmp);
        evidence = PlantedSecrets.evidence(tmp);
        db = LocalDynamo.startInMemory();
        server = LocalServer.start(new LocalServer.Options(new ClusterDumpReader().read(dump), dump, null, null,
                "127.0.0.1", 0, null, TABLES, null), db);
        dev = new TestClient(server.http().uri(), "dev");
        evidenceServer = LocalServer.start(new LocalServer.Options(new TextEvidenceReader().read(evidence), evidence,
                null, null, "127.0.0.1", 0, null, null, null));
        devOnEvidence = new TestClient(evidenceServer.http().uri(), "dev");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (evidenceServer != null) evidenceServer.close();
    }

    @Test
    void thePlantedSecretsAreReallyInTheInputs() throws Exception {
        String log = Files.readString(dump.resolve("shop").resolve(PlantedSecrets.POD).resolve("logs.txt"));
        assertThat(log).contains(PlantedSecrets.DB_PASSWORD).contains("BEGIN RSA PRIVATE KEY");
        assertThat(Files.readString(dump.resolve("shop/pods.json"))).contains("EnvLeakValue77");
        assertThat(Files.readString(evidence.resolve("notes.txt"))).contains("kind: Secret");
    }

    @Test
    void workloadRoutesLeakNothing() {
        for (TestClient c : List.of(dev, devOnEvidence)) {
            Res list = ok(c.get("/api/workloads"));
            for (JsonNode w : list.json().path("items")) {
                String ns = w.path("namespace").asText();
                String name = w.path("name").asText();
                ok(c.get("/api/workloads/" + ns + "/" + name));
            }
        }
    }

    @Test
    void evidenceOfEveryLineAndFieldLeaksNothing() throws Exception {
        for (Map.Entry<Path, TestClient> e : Map.of(dump, dev, evidence, devOnEvidence).entrySet()) {
            for (Path f : PlantedSecrets.files(e.getKey())) {
                String file = f.toString().replace('\\', '/');
                long n = Files.lines(e.getKey().resolve(f)).count();
                // 50 lines of context either side: every 25th line shows every line of the file, several times
                for (int line = 1; line <= n; line += 25) {
                    Res r = e.getValue().get("/api/evidence?context=50&ref=" + enc(file + ":" + line));
                    assertClean(file + ":" + line + " (" + r.status() + ")", r.body());
                    assertThat(r.status()).as(file + ":" + line + " " + r.body()).isIn(200, 403);
                }
            }
        }
        // JSON fields: the env value, the Secret's data under a name that is not secrets.json
        Res env = dev.get("/api/evidence?ref=" + enc("shop/pods.json:items"));
        assertClean("shop/pods.json:items", env.body());
        for (String ref : List.of("shop/secrets.json.bak:items[0].data", "shop/secrets.json.bak:items",
                "shop/secrets.json:items[0].data.password")) {
            Res r = dev.get("/api/evidence?ref=" + enc(ref));
            assertThat(r.status()).as(ref).isEqualTo(403);
            assertClean(ref, r.body());
        }
        Res secretYaml = devOnEvidence.get("/api/evidence?ref=" + enc("notes.txt:4"));
        assertThat(secretYaml.status()).isEqualTo(403);
        assertThat(secretYaml.json().path("error").asText()).contains("Secret");
    }

    @Test
    void pemKeyBodyIsMaskedWholeEvenWhenOnlyItsMiddleIsShown() throws Exception {
        List<String> lines = Files.readAllLines(evidence.resolve("kubectl_logs_more.txt"));
        int body = lines.indexOf(lines.stream().filter(l -> l.startsWith("MIIE")).findFirst().orElseThrow()) + 1;
        Res r = devOnEvidence.get("/api/evidence?context=0&ref=" + enc("kubectl_logs_more.txt:" + (body + 1)));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("text").asText()).isEqualTo("****");
    }

    @Test
    void everyToolLeaksNothingAndSearchIsNoOracle() throws Exception {
        for (Path input : List.of(dump, evidence)) {
            ClusterSnapshot snapshot = input == dump ? new ClusterDumpReader().read(dump)
                    : new TextEvidenceReader().read(evidence);
            String ns = input == dump ? "shop" : "default";
            String name = input == dump ? PlantedSecrets.WORKLOAD : "payment-processing-worker";
            ToolRegistry tools = ClusterTools.registry();
            ToolContext ctx = new ToolContext("run-1", "dev", ns, name, SnapshotProvider.of(snapshot));
            for (var def : tools.definitions()) {
                for (ObjectNode args : argsFor(def.name(), ns, name)) {
                    ToolResult r = tools.execute(new ToolCall("c1", def.name(), args), ctx, Redactor.standard());
                    assertClean(def.name() + " " + args, r.text());
                    assertClean(def.name() + " data " + args, String.valueOf(r.data()));
                }
            }
            // no oracle: a probe for the password's prefix and one with a character changed answer the same
            for (String[] probe : probes()) {
                Function<String, String> search = k -> {
                    ObjectNode a = Json.object().put("namespace", ns);
                    a.putArray("keywords").add(k);
                    ToolResult r = tools.execute(new ToolCall("c", "search_logs", a), ctx, Redactor.standard());
                    return (r.text() + r.data()).replace(k.toLowerCase(java.util.Locale.ROOT), "<probe>").replace(k, "<probe>");
                };
                assertThat(search.apply(probe[0])).as(probe[0]).isEqualTo(search.apply(probe[1]));
                Function<String, String> regex = k -> tools.execute(new ToolCall("c", "search_logs",
                        Json.object().put("namespace", ns).put("regex", java.util.regex.Pattern.quote(k))), ctx,
                        Redactor.standard()).text().replace(java.util.regex.Pattern.quote(k), "<probe>");
                assertThat(regex.apply(probe[0])).as(probe[0]).isEqualTo(regex.apply(probe[1]));
            }
        }
    }

    @Test
    void chatRunsStepsSessionsAndRawItemsLeakNothingAndChatIsNoOracle() throws Exception {
        String session = dev.session("shop/" + PlantedSecrets.WORKLOAD);
        List<String> questions = new ArrayList<>(List.of("what is wrong?", "show the error logs", "log patterns",
                "find password", "search logs for postgres", "find \"BEGIN RSA PRIVATE KEY\"", "find AKIA",
                "find token", "why is it failing?"));
        for (String q : questions) {
            try (TestClient.Stream s = dev.chat(session, q)) {
                for (TestClient.Sse e : s.rest()) assertClean("chat '" + q + "' " + e.event(), e.data().toString());
            }
        }
        // the oracle, through the chat: the same question with one character of the secret's prefix changed
        for (String[] probe : probes()) {
            String a = answer(session, "find \"" + probe[0] + "\"").replace(probe[0], "<probe>");
            String b = answer(session, "find \"" + probe[1] + "\"").replace(probe[1], "<probe>");
            assertThat(a).as(probe[0]).isEqualTo(b);
        }
        Res s = ok(dev.get("/api/sessions/" + session));
        assertThat(s.json().path("messages").size()).isGreaterThanOrEqualTo(questions.size() * 2);
        ok(dev.get("/api/sessions"));
        Res runs = ok(dev.get("/api/runs?limit=200"));
        for (JsonNode run : runs.json().path("items")) {
            ok(dev.get("/api/runs/" + run.path("id").asText()));
            ok(dev.get("/api/runs/" + run.path("id").asText() + "/steps"));
        }
        ok(dev.get("/api/runs/stats"));
        for (String table : List.of(TABLES.runs(), TABLES.sessions())) {
            for (Map<String, AttributeValue> item : db.client().scan(ScanRequest.builder().tableName(table).build()).items()) {
                assertClean("raw item of " + table, item.toString());
            }
        }
    }

    /** The chat's final answer text (run ids and timings taken out). */
    private static String answer(String session, String q) throws Exception {
        try (TestClient.Stream s = dev.chat(session, q)) {
            StringBuilder sb = new StringBuilder();
            for (TestClient.Sse e : s.rest()) {
                if (e.event().equals("final")) sb.append(e.data().path("text").asText());
                if (e.event().equals("tool_end")) sb.append(e.data().path("summary").asText());
            }
            return sb.toString();
        }
    }

    /** Pairs: a real prefix of a planted secret (with its context), and the same with its last character changed. */
    private static List<String[]> probes() {
        String pw = PlantedSecrets.DB_PASSWORD;
        return List.of(new String[]{"orders:" + pw.substring(0, 4), "orders:" + pw.substring(0, 3) + "X"},
                new String[]{pw.substring(0, 6), pw.substring(0, 5) + "Q"},
                new String[]{"PwKvLeak77", "PwKvLeak7X"},
                new String[]{"ghp_LeakLeak", "ghp_LeakLeaX"},
                new String[]{"AKIAIOSFODNN7L", "AKIAIOSFODNN7X"});
    }

    private static List<ObjectNode> argsFor(String tool, String ns, String name) {
        List<ObjectNode> out = new ArrayList<>();
        out.add(Json.object().put("namespace", ns).put("name", name));
        out.add(Json.object().put("namespace", ns));
        out.add(Json.object());
        if (tool.equals("log_patterns")) {
            out.add(Json.object().put("namespace", ns).put("level", "debug"));
        }
        if (tool.equals("search_logs")) {
            for (String k : List.of("password", "postgres", "token", "PRIVATE", "AKIA", "Bearer", "aws", "Basic", "ERROR")) {
                ObjectNode a = Json.object().put("namespace", ns);
                a.putArray("keywords").add(k);
                out.add(a);
            }
            out.add(Json.object().put("namespace", ns).put("regex", "[A-Za-z0-9+/]{20,}"));
        }
        return out;
    }

    private static Res ok(Res r) {
        assertClean(r.raw().request().uri().toString(), r.body());
        assertThat(r.status()).as(r.raw().request().uri() + " " + r.body()).isBetween(200, 299);
        return r;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
