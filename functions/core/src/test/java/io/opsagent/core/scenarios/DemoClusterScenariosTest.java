package io.opsagent.core.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.diagnosis.Category;
import io.opsagent.core.diagnosis.Diagnosis;
import io.opsagent.core.diagnosis.DiagnosisEngine;
import io.opsagent.core.diagnosis.Evidence;
import io.opsagent.core.diagnosis.Finding;
import io.opsagent.core.diagnosis.Severity;
import io.opsagent.core.input.ClusterDumpReader;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The demo cluster against its answer key ({@code events/clusters/demo.expected.json}): every broken workload is
 * explained by the expected root cause with the expected evidence, symptoms link to it, healthy workloads yield no
 * critical finding, and no secret from the dump reaches the output.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoClusterScenariosTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private ClusterSnapshot snapshot;
    private final DiagnosisEngine engine = new DiagnosisEngine();

    @BeforeAll
    void read() throws Exception {
        snapshot = new ClusterDumpReader().read(Paths.demo());
    }

    Stream<JsonNode> workloads() throws Exception {
        JsonNode key = JSON.readTree(Paths.root().resolve("events/clusters/demo.expected.json").toFile());
        List<JsonNode> out = new ArrayList<>();
        key.get("workloads").forEach(out::add);
        return out.stream();
    }

    private Diagnosis diagnose(JsonNode w) throws Exception {
        String ns = w.path("namespace").isNull() ? null : w.path("namespace").asText();
        return engine.diagnose(snapshot, ns, w.get("name").asText());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workloads")
    void eachWorkloadIsExplainedAsTheAnswerKeySays(JsonNode w) throws Exception {
        Diagnosis d = diagnose(w);
        String label = w.path("kind").asText() + " " + w.path("namespace").asText() + "/" + w.get("name").asText();
        if (w.get("healthy").asBoolean()) {
            assertThat(d.findings()).as("healthy %s must have no critical finding", label)
                    .noneMatch(f -> f.severity() == Severity.CRITICAL);
            return;
        }
        assertThat(d.findings()).as("findings for %s", label).isNotEmpty();
        assertThat(d.findings().get(0).rootCause()).as("first finding of %s is a root cause", label).isTrue();
        Set<String> ids = d.findings().stream().map(Finding::id).collect(Collectors.toSet());
        for (Finding f : d.findings()) {
            if (f.causedBy() != null) {
                assertThat(ids).as("causedBy of %s refers to a finding in the result", f.id()).contains(f.causedBy());
            }
        }
        for (JsonNode e : w.get("expect")) {
            Category category = Category.valueOf(e.get("category").asText());
            boolean root = e.get("rootCause").asBoolean();
            List<String> quotes = new ArrayList<>();
            e.path("evidenceContains").forEach(q -> quotes.add(q.asText()));
            List<Finding> candidates = d.findings().stream()
                    .filter(f -> f.category() == category && f.rootCause() == root)
                    // a container-level expectation is checked where the finding names a container
                    .filter(f -> e.path("container").isNull() || e.path("container").isMissingNode()
                            || f.container() == null || e.get("container").asText().equals(f.container()))
                    .toList();
            assertThat(candidates).as("%s of %s (rootCause=%s) in %s", category, label, root, summary(d)).isNotEmpty();
            assertThat(candidates).as("%s of %s quotes %s", category, label, quotes)
                    .anyMatch(f -> quotes.stream().allMatch(q -> text(f).contains(q)));
            if (!root) {
                assertThat(candidates).as("symptom %s of %s links to a cause", category, label)
                        .allMatch(f -> f.causedBy() != null);
            }
        }
    }

    @Test
    void theDemoCoversAtLeastEightCategoriesAndTwoHealthyWorkloads() throws Exception {
        Set<Category> roots = EnumSet.noneOf(Category.class);
        long healthy = 0;
        for (JsonNode w : workloads().toList()) {
            if (w.get("healthy").asBoolean()) {
                healthy++;
            }
            for (Finding f : diagnose(w).findings()) {
                if (f.rootCause()) {
                    roots.add(f.category());
                }
            }
        }
        assertThat(roots).hasSizeGreaterThanOrEqualTo(8);
        assertThat(healthy).isGreaterThanOrEqualTo(2);
    }

    @Test
    void noSecretValueFromTheDumpReachesAnyFinding() throws Exception {
        List<String> secrets = new ArrayList<>();
        try (Stream<java.nio.file.Path> files = Files.walk(Paths.demo())) {
            for (java.nio.file.Path p : files.filter(f -> f.getFileName().toString().equals("secrets.json")).toList()) {
                for (JsonNode item : JSON.readTree(p.toFile()).path("items")) {
                    item.path("data").fields().forEachRemaining(kv -> {
                        secrets.add(kv.getValue().asText());
                        // decoded values of secret-looking keys (a user name or a host is not a secret)
                        if (kv.getKey().matches("(?i).*(pass|secret|token|key|cred|dsn|url|auth).*")) {
                            secrets.add(new String(Base64.getDecoder().decode(kv.getValue().asText())));
                        }
                    });
                }
            }
        }
        assertThat(secrets).as("the demo must hold secrets for this test to mean anything").isNotEmpty();
        String all = JSON.writeValueAsString(engine.diagnose(snapshot).findings());
        for (String s : secrets) {
            assertThat(all).as("secret value leaked").doesNotContain(s);
        }
        assertThat(all).doesNotContain("S3cr3tP4ss");
    }

    private static String text(Finding f) {
        StringBuilder sb = new StringBuilder(f.summary());
        for (Evidence e : f.evidence()) {
            sb.append('\n').append(e.text());
        }
        return sb.toString();
    }

    private static String summary(Diagnosis d) {
        return d.findings().stream().map(f -> f.category() + (f.rootCause() ? "*" : "") + " " + f.kind() + "/" + f.name())
                .collect(Collectors.joining(", "));
    }
}
