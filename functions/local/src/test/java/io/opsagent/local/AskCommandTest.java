package io.opsagent.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code opsagent ask} end to end on the demo cluster dump. */
class AskCommandTest {
    private static final Path ROOT = Path.of(System.getProperty("opsagent.root", "../.."));
    private static final String DEMO = ROOT.resolve("events/clusters/demo").toString();

    record Result(int exit, String out, String err) {
    }

    private static Result run(String... args) {
        assertThat(Path.of(DEMO)).as("demo cluster dump").isDirectory();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void answersWhyOnTheDemoDumpStreamingTheAnswerAndToolActivity() {
        Result r = run("ask", "--dump", DEMO, "--workload", "shop/cart", "why is cart failing?");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("## Root cause: CrashLoopBackOff — Deployment shop/cart")
                .contains("REDIS_URL").contains("[shop/pods.json:items[").contains("kubectl set env deployment/cart");
        assertThat(r.err()).contains("→ diagnose {}").contains("← 3 findings, 1 root cause: CrashLoopBackOff")
                .contains("→ workload_summary {}")
                .containsPattern("run [0-9a-f-]{36}: completed, 5 steps, \\d+ ms \\(kept in memory only; not persisted\\)");
        assertThat(r.out()).doesNotContain("→");
    }

    @Test
    void searchesLogsWithToolArgumentsOnStderr() {
        Result r = run("ask", "--dump", DEMO, "-w", "shop/orders", "show", "me", "the", "errors", "since", "09:50");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("→ search_logs {\"level\":\"error\",\"limit\":15,\"since\":\"09:50\"}")
                .containsPattern("← \\d+ matches in 2 logs");
        assertThat(r.out()).contains("error-level lines** since 09:50");
    }

    @Test
    void answersFromPastedEvidenceToo() {
        Path samples = ROOT.resolve("../shared/evidence-samples/test_investigate__04_image_pull_backoff").normalize();
        assertThat(samples).as("shared evidence samples (../shared beside the checkout)").isDirectory();
        Result r = run("ask", "--evidence", samples.toString(), "--workload",
                "default/customer-relations-webapp-5d98ffcfd-tz4nc", "why is it failing?");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("## Root cause: ImagePullError").contains("yourcompany/crw:latest")
                .contains("[kubectl_describe.txt:");
    }

    @Test
    void liveContextIsNotSupportedYet() {
        Result r = run("ask", "--context", "prod", "--workload", "shop/cart", "why?");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("live clusters are not supported yet: use --dump or --evidence");
    }

    @Test
    void badInputExitsTwoNamingTheProblem() {
        Result unknown = run("ask", "--dump", DEMO, "--workload", "shop/nosuch", "why?");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("no workload named 'nosuch' in namespace shop").contains("cart");

        Result malformed = run("ask", "--dump", DEMO, "--workload", "cart", "why?");
        assertThat(malformed.exit()).isEqualTo(2);
        assertThat(malformed.err()).contains("workload must be namespace/name or namespace/*");

        Result noInput = run("ask", "--workload", "shop/cart", "why?");
        assertThat(noInput.exit()).isEqualTo(2);
        assertThat(noInput.err()).contains("give exactly one of --dump DIR or --evidence DIR");

        Result missingDir = run("ask", "--dump", "/no/such/dir", "--workload", "shop/cart", "why?");
        assertThat(missingDir.exit()).isEqualTo(2);
        assertThat(missingDir.err()).contains("/no/such/dir").contains("does not exist");

        Result noQuestion = run("ask", "--dump", DEMO, "--workload", "shop/cart");
        assertThat(noQuestion.exit()).isEqualTo(2);
        assertThat(noQuestion.err()).contains("QUESTION");

        Result noWorkload = run("ask", "--dump", DEMO, "why?");
        assertThat(noWorkload.exit()).isEqualTo(2);
        assertThat(noWorkload.err()).contains("--workload");
    }

    @Test
    void helpSaysRunsAreNotPersistedYet() {
        Result r = run("ask", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("kept in memory for this process only").contains("offline analyst");
    }
}
