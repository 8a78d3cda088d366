package io.opsagent.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code opsagent diagnose} end to end on the core module's dump fixtures. */
class DiagnoseCommandTest {
    private static final Path DUMPS = Path.of(System.getProperty("opsagent.root", "../.."))
            .resolve("functions/core/src/test/resources/dumps");

    private static Cli.Run run(String... args) {
        assertThat(DUMPS.resolve("workloads")).as("dump fixtures of the core module").isDirectory();
        return Cli.run(args);
    }

    @Test
    void jsonHasTheDocumentedShapeRootCausesFirst() throws Exception {
        Cli.Run r = run("diagnose", "--dump", DUMPS.resolve("workloads").toString(), "--format", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode findings = new ObjectMapper().readTree(r.out()).get("findings");
        assertThat(findings.isArray()).isTrue();
        assertThat(findings.size()).isGreaterThan(10);
        Set<String> ids = new HashSet<>();
        boolean seenSymptom = false;
        for (JsonNode f : findings) {
            List<String> fields = new ArrayList<>();
            f.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).containsExactly("id", "category", "severity", "namespace", "kind", "name", "container",
                    "summary", "evidence", "remediation", "rootCause", "causedBy");
            assertThat(f.get("severity").asText()).isIn("critical", "warning", "info");
            for (JsonNode e : f.get("evidence")) {
                assertThat(e.get("source").asText()).isIn("status", "event", "log", "spec", "describe");
                assertThat(e.get("ref").asText()).isNotBlank();
                assertThat(e.has("text")).isTrue();
            }
            assertThat(f.get("remediation").isArray()).isTrue();
            ids.add(f.get("id").asText());
            boolean root = f.get("rootCause").asBoolean();
            assertThat(root && seenSymptom).as("root cause after a symptom: %s", f.get("id")).isFalse();
            seenSymptom |= !root;
            assertThat(f.get("causedBy").isNull()).isEqualTo(root);
        }
        for (JsonNode f : findings) {
            if (!f.get("causedBy").isNull()) assertThat(ids).contains(f.get("causedBy").asText());
        }
    }

    @Test
    void textReportShowsRootCausesWithTheirSymptoms() {
        Cli.Run r = run("diagnose", "--dump", DUMPS.resolve("workloads").toString(), "--namespace", "shop", "--workload", "checkout");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("[CRITICAL] OOMKilled  deployment shop/checkout [container app]",
                "Evidence:", "shop/pods.json:items[0].status.containerStatuses[0].lastState.terminated.reason",
                "Fix:", "kubectl set resources deployment/checkout -n shop -c app --limits=memory=256Mi",
                "-> caused by oomkilled-shop-checkout-app: [CRITICAL] RolloutStuck");
        assertThat(r.out().indexOf("OOMKilled")).isLessThan(r.out().indexOf("RolloutStuck"));
        assertThat(r.out()).doesNotContain("shop/web");
    }

    @Test
    void healthyScopeSaysNoProblemsFound() {
        Cli.Run r = run("diagnose", "--dump", DUMPS.resolve("healthy").toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("No problems found in").doesNotContain("[CRITICAL]").doesNotContain("[WARNING]");
    }

    @Test
    void missingDirectoryExitsTwoNamingIt() {
        Cli.Run r = run("diagnose", "--dump", DUMPS.resolve("no-such-dump").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("no-such-dump", "does not exist");
    }

    @Test
    void malformedJsonExitsTwoNamingTheFile() {
        Cli.Run r = run("diagnose", "--dump", DUMPS.resolve("malformed").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("shop/pods.json", "malformed JSON");
    }

    @Test
    void unknownFormatExitsTwo() {
        Cli.Run r = run("diagnose", "--dump", DUMPS.resolve("workloads").toString(), "--format", "xml");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("unknown --format 'xml'", "text or json");
    }

    @Test
    void exactlyOneInputIsRequired() {
        Cli.Run neither = run("diagnose");
        assertThat(neither.exit()).isEqualTo(2);
        assertThat(neither.err()).contains("exactly one of --dump DIR or --evidence DIR");
        Cli.Run both = run("diagnose", "--dump", DUMPS.resolve("workloads").toString(), "--evidence", DUMPS.toString());
        assertThat(both.exit()).isEqualTo(2);
    }

    @Test
    void unknownWorkloadAndNamespaceExitTwo() {
        Cli.Run w = run("diagnose", "--dump", DUMPS.resolve("workloads").toString(), "--workload", "chekout");
        assertThat(w.exit()).isEqualTo(2);
        assertThat(w.err()).contains("'chekout'", "checkout");
        Cli.Run n = run("diagnose", "--dump", DUMPS.resolve("workloads").toString(), "--namespace", "nope");
        assertThat(n.exit()).isEqualTo(2);
        assertThat(n.err()).contains("namespace 'nope'", "shop");
    }

    @Test
    void evidenceDirectoryThatDoesNotExistExitsTwo() throws Exception {
        Path missing = Files.createTempDirectory("opsagent").resolve("nothing-here");
        Cli.Run r = run("diagnose", "--evidence", missing.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("nothing-here");
    }

    @Test
    void neighboursOfThePastedEvidencesSubjectAreReportedAsAlsoFailing() throws Exception {
        Path dir = Files.createTempDirectory("opsagent-evidence");
        Files.writeString(dir.resolve("kubectl_get_pods.txt"), """
                $ kubectl get pods -n shop
                NAME                        READY   STATUS             RESTARTS   AGE
                auth-7d4b9c6f5-x2x2x        0/1     CrashLoopBackOff   12         1h
                orders-5c8d7f9b6-q7q7q      1/1     Running            0          1h
                """);
        Files.writeString(dir.resolve("kubectl_logs_orders.txt"), """
                $ kubectl logs orders-5c8d7f9b6-q7q7q -n shop
                2026-12-06 09:50:01 ERROR dial tcp 10.0.3.7:5432: connect: connection refused
                2026-12-06 09:50:31 ERROR dial tcp 10.0.3.7:5432: connect: connection refused
                2026-12-06 09:51:01 ERROR dial tcp 10.0.3.7:5432: connect: connection refused
                """);
        Cli.Run text = run("diagnose", "--evidence", dir.toString());
        assertThat(text.exit()).as(text.err()).isZero();
        int subject = text.out().indexOf("AppError");
        int header = text.out().indexOf("Also failing (neighbours in the input, not what it is about):");
        int neighbour = text.out().indexOf("CrashLoopBackOff");
        assertThat(subject).as(text.out()).isPositive();
        assertThat(header).as(text.out()).isGreaterThan(subject);
        assertThat(neighbour).as(text.out()).isGreaterThan(header);
        // the listing does not name containers: no empty container in the report or its commands
        assertThat(text.out()).doesNotContain("[container ]", " -c  ", " -c \n", "Container  ");
        Cli.Run json = run("diagnose", "--evidence", dir.toString(), "--format", "json");
        JsonNode doc = new ObjectMapper().readTree(json.out());
        assertThat(doc.get("alsoFailing")).hasSize(1);
        assertThat(doc.get("alsoFailing").get(0).asText()).startsWith("crashloopbackoff-shop-auth");
    }
}
