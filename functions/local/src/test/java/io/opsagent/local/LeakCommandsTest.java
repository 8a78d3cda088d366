package io.opsagent.local;

import static io.opsagent.core.leak.PlantedSecrets.assertClean;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsagent.core.leak.PlantedSecrets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leak suite's command-line half: {@code diagnose}, {@code evidence}, {@code patterns} and {@code ask} over a
 * dump and pasted evidence with planted secrets never print one (plain or encoded), and {@code patterns} gives the
 * same output whichever of two secrets that mask alike a log holds.
 */
class LeakCommandsTest {
    @TempDir
    Path tmp;

    @Test
    void noCommandPrintsAPlantedSecret() {
        Path dump = PlantedSecrets.dump(tmp);
        Path evidence = PlantedSecrets.evidence(tmp);
        String log = dump.resolve("shop").resolve(PlantedSecrets.POD).resolve("logs.txt").toString();
        List<String[]> commands = List.of(
                new String[]{"diagnose", "--dump", dump.toString()},
                new String[]{"diagnose", "--dump", dump.toString(), "--format", "json"},
                new String[]{"diagnose", "--evidence", evidence.toString(), "--format", "json"},
                new String[]{"evidence", "--dump", dump.toString(), "--namespace", "shop", "--workload", "checkout"},
                new String[]{"evidence", "--evidence", evidence.toString(), "--namespace", "default", "--workload", "payment-processing-worker"},
                new String[]{"patterns", log},
                new String[]{"patterns", log, "--format", "json"},
                new String[]{"patterns", evidence.resolve("kubectl_logs_more.txt").toString()},
                new String[]{"ask", "--dump", dump.toString(), "--workload", "shop/checkout", "--in-memory", "find password"},
                new String[]{"ask", "--dump", dump.toString(), "--workload", "shop/checkout", "--in-memory", "what is wrong?"},
                new String[]{"ask", "--evidence", evidence.toString(), "--workload", "default/payment-processing-worker-747ccfb9db-78qds",
                        "--in-memory", "show the error logs"});
        for (String[] c : commands) {
            Cli.Run r = Cli.run(c);
            String what = String.join(" ", c);
            assertThat(r.exit()).as(what + "\n" + r.err()).isZero();
            assertClean(what + " (stdout)", r.out());
            assertClean(what + " (stderr)", r.err());
        }
    }

    @Test
    void patternsAssignmentIsTheSameForSecretsThatMaskAlike() throws Exception {
        Path a = tmp.resolve("a.log");
        Path b = tmp.resolve("b.log");
        java.nio.file.Files.write(a, List.of("connect postgres://orders:S3cretA@db failed", "connect postgres://orders:S3cretA@db failed",
                "password=hunter2 rejected", "password=hunter2 rejected"));
        java.nio.file.Files.write(b, List.of("connect postgres://orders:S3cretA@db failed", "connect postgres://orders:Xyz@db failed",
                "password=hunter2 rejected", "password=other rejected"));
        Cli.Run ra = Cli.run("patterns", a.toString(), "--assign");
        Cli.Run rb = Cli.run("patterns", b.toString(), "--assign");
        assertThat(ra.exit()).isZero();
        assertThat(ra.out()).isEqualTo(rb.out());
        Cli.Run ta = Cli.run("patterns", a.toString(), "--format", "json");
        Cli.Run tb = Cli.run("patterns", b.toString(), "--format", "json");
        assertThat(ta.out().replace(a.toString(), "F")).isEqualTo(tb.out().replace(b.toString(), "F"));
    }
}
