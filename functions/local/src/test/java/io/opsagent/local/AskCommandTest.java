package io.opsagent.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsagent.adapters.dynamodb.DynamoRunStore;
import io.opsagent.adapters.dynamodb.LocalDynamo;
import io.opsagent.adapters.dynamodb.TableNames;
import io.opsagent.core.runs.Run;
import io.opsagent.core.runs.RunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code opsagent ask} end to end on the demo cluster dump. */
class AskCommandTest {
    private static final Path ROOT = Path.of(System.getProperty("opsagent.root", "../.."));
    private static final String DEMO = ROOT.resolve("events/clusters/demo").toString();

    @TempDir
    static Path dataDir;

    @BeforeAll
    static void keepRunsOutOfTheHomeDirectory() {
        System.setProperty("opsagent.data.dir", dataDir.toString());
    }

    @AfterAll
    static void restore() {
        System.clearProperty("opsagent.data.dir");
    }

    private static Cli.Run run(String... args) {
        assertThat(Path.of(DEMO)).as("demo cluster dump").isDirectory();
        return Cli.run(args);
    }

    @Test
    void answersWhyOnTheDemoDumpStreamingTheAnswerAndToolActivity() {
        Cli.Run r = run("ask", "--dump", DEMO, "--workload", "shop/cart", "why is cart failing?");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("## Root cause: CrashLoopBackOff — Deployment shop/cart")
                .contains("REDIS_URL").contains("[shop/pods.json:items[").contains("kubectl set env deployment/cart");
        assertThat(r.err()).contains("→ diagnose {}").contains("← 3 findings, 1 root cause: CrashLoopBackOff")
                .contains("→ workload_summary {}")
                .containsPattern("run [0-9a-f-]{36}: completed, 5 steps, \\d+ ms \\(stored in .+\\)");
        assertThat(r.out()).doesNotContain("→");
    }

    @Test
    void searchesLogsWithToolArgumentsOnStderr() {
        Cli.Run r = run("ask", "--dump", DEMO, "-w", "shop/orders", "show", "me", "the", "errors", "since", "09:50");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("→ search_logs {\"level\":\"error\",\"limit\":15,\"since\":\"09:50\"}")
                .containsPattern("← \\d+ matches in 2 logs");
        assertThat(r.out()).contains("error-level lines** since 09:50");
    }

    @Test
    void answersFromPastedEvidenceToo() {
        Path samples = ROOT.resolve("../shared/evidence-samples/test_investigate__04_image_pull_backoff").normalize();
        assertThat(samples).as("shared evidence samples (../shared beside the checkout)").isDirectory();
        Cli.Run r = run("ask", "--evidence", samples.toString(), "--workload",
                "default/customer-relations-webapp-5d98ffcfd-tz4nc", "why is it failing?");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("## Root cause: ImagePullError").contains("yourcompany/crw:latest")
                .contains("[kubectl_describe.txt:");
    }

    @Test
    void badInputExitsTwoNamingTheProblem() {
        Cli.Run unknown = run("ask", "--dump", DEMO, "--workload", "shop/nosuch", "why?");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("no workload named 'nosuch' in namespace 'shop'").contains("cart");

        Cli.Run malformed = run("ask", "--dump", DEMO, "--workload", "cart", "why?");
        assertThat(malformed.exit()).isEqualTo(2);
        assertThat(malformed.err()).contains("workload must be namespace/name, namespace/kind/name or namespace/*");

        Cli.Run noInput = run("ask", "--workload", "shop/cart", "why?");
        assertThat(noInput.exit()).isEqualTo(2);
        assertThat(noInput.err()).contains("give exactly one of --dump DIR, --evidence DIR or --context K8S_CONTEXT");

        Cli.Run missingDir = run("ask", "--dump", "/no/such/dir", "--workload", "shop/cart", "why?");
        assertThat(missingDir.exit()).isEqualTo(2);
        assertThat(missingDir.err()).contains("/no/such/dir").contains("does not exist");

        Cli.Run noQuestion = run("ask", "--dump", DEMO, "--workload", "shop/cart");
        assertThat(noQuestion.exit()).isEqualTo(2);
        assertThat(noQuestion.err()).contains("QUESTION");

        Cli.Run noWorkload = run("ask", "--dump", DEMO, "why?");
        assertThat(noWorkload.exit()).isEqualTo(2);
        assertThat(noWorkload.err()).contains("--workload");
    }

    @Test
    void theRunIsStoredWithItsStepsForTheUserSoTheDashboardShowsIt() throws Exception {
        Path data = Files.createTempDirectory(dataDir, "ask");
        Cli.Run r = run("ask", "--dump", DEMO, "--data", data.toString(), "--user", "alice", "-w", "shop/cart", "why?");
        assertThat(r.exit()).as(r.err()).isZero();
        Matcher m = Pattern.compile("run ([0-9a-f-]{36}): completed, (\\d+) steps").matcher(r.err());
        assertThat(m.find()).as(r.err()).isTrue();
        try (LocalDynamo db = LocalDynamo.start(data)) {
            DynamoRunStore runs = new DynamoRunStore(db.client(), TableNames.DEFAULT);
            Run stored = runs.get("alice", m.group(1)).orElseThrow();
            assertThat(stored.status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(stored.source()).isEqualTo("cli");
            assertThat(stored.finalAnswer()).contains("REDIS_URL");
            assertThat(runs.steps("alice", m.group(1))).hasSize(Integer.parseInt(m.group(2)));
            assertThat(runs.get("dev", m.group(1))).as("another user's run").isEmpty();
        }
    }

    @Test
    void inMemoryAndBadUserOptions() {
        Cli.Run mem = run("ask", "--dump", DEMO, "--in-memory", "-w", "shop/cart", "why?");
        assertThat(mem.exit()).as(mem.err()).isZero();
        assertThat(mem.err()).contains("(kept in memory only)");
        Cli.Run both = run("ask", "--dump", DEMO, "--in-memory", "--data", "/tmp/x", "-w", "shop/cart", "why?");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("at most one of --data DIR or --in-memory");
        Cli.Run user = run("ask", "--dump", DEMO, "--user", "Bad User", "-w", "shop/cart", "why?");
        assertThat(user.exit()).isEqualTo(2);
        assertThat(user.err()).contains("--user must match");
    }

    @Test
    void helpSaysWhereRunsAreStored() {
        Cli.Run r = run("ask", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("runs dashboard").contains("offline analyst");
    }
}
