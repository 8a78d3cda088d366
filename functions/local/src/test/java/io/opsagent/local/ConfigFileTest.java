package io.opsagent.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --config FILE}, {@code $OPSAGENT_CONFIG} and {@code --show-config}: the same settings for up and ask. */
class ConfigFileTest {
    private static final Path DEMO = Path.of(System.getProperty("opsagent.root", "../..")).resolve("events/clusters/demo");

    @TempDir
    Path tmp;

    @Test
    void anUnknownKeyIsBadInputNamingFileLineAndSuggestion() throws Exception {
        Path file = tmp.resolve("config.properties");
        Files.writeString(file, "# mine\nOPSAGENT_MODEL=qwen2.5\nOPSAGENT_OPENAI_BASEURL=http://localhost:11434/v1\n");
        for (String cmd : new String[] {"up", "ask"}) {
            Cli.Run r = cmd.equals("up") ? Cli.run(Map.of(), "up", "--config", file.toString(), "--in-memory")
                    : Cli.run(Map.of(), "ask", "--config", file.toString(), "--dump", DEMO.toString(), "-w", "shop/cart", "why?");
            assertThat(r.exit()).as(cmd).isEqualTo(2);
            assertThat(r.err()).contains(file + ":3").contains("unknown setting 'OPSAGENT_OPENAI_BASEURL'")
                    .contains("did you mean OPSAGENT_OPENAI_BASE_URL?");
        }
        Cli.Run missing = Cli.run(Map.of(), "ask", "--config", tmp.resolve("nope").toString(), "--dump", DEMO.toString(),
                "-w", "shop/cart", "why?");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("config file " + tmp.resolve("nope") + " does not exist");
    }

    @Test
    void flagOverridesEnvironmentOverridesFileAndSecretsAreMasked() throws Exception {
        Path file = tmp.resolve("config.properties");
        Files.writeString(file, """
                OPSAGENT_MODEL=file-model
                OPSAGENT_MAX_STEPS=4
                OPSAGENT_OPENAI_BASE_URL=http://127.0.0.1:9/v1
                OPSAGENT_OPENAI_API_KEY=sk-from-the-file
                OPSAGENT_DUMP_DIR=%s
                """.formatted(DEMO));
        Map<String, String> env = Map.of("OPSAGENT_CONFIG", file.toString(), "OPSAGENT_MODEL", "env-model",
                "OPSAGENT_MAX_STEPS", "6");
        Cli.Run r = Cli.run(env, "ask", "--model", "flag-model", "-w", "shop/cart", "--show-config", "why?");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("config file: " + file)
                .contains("OPSAGENT_MODEL=flag-model  (--model)")
                .contains("OPSAGENT_MAX_STEPS=6  (environment)")
                .contains("OPSAGENT_OPENAI_BASE_URL=http://127.0.0.1:9/v1  (" + file + ":3)")
                .contains("OPSAGENT_OPENAI_API_KEY=****  (" + file + ":4)")
                .contains("model:   flag-model").contains("provider openai")
                .contains("cluster: dump " + DEMO.toAbsolutePath().normalize())
                .contains("logs:    logs in the dump")
                .doesNotContain("sk-from-the-file");

        // up reads the same settings; a cluster flag replaces the configured cluster
        Cli.Run up = Cli.run(env, "up", "--show-config", "--context", "nosuch-context", "--in-memory");
        assertThat(up.exit()).isEqualTo(2);
        assertThat(up.err()).contains("kubeconfig context 'nosuch-context' not found");
        Cli.Run upDump = Cli.run(env, "up", "--show-config", "--model-provider", "offline");
        assertThat(upDump.exit()).as(upDump.err()).isZero();
        assertThat(upDump.out()).contains("OPSAGENT_MODEL_PROVIDER=offline  (--model-provider)")
                .contains("model:   offline analyst").contains("OPSAGENT_DUMP_DIR=" + DEMO + "  (" + file + ":5)");
    }

    @Test
    void badSettingValuesAreBadInputNamingTheSetting() throws Exception {
        Path file = tmp.resolve("c.properties");
        Files.writeString(file, "OPSAGENT_LOG_SOURCE=splunk\n");
        Cli.Run r = Cli.run(Map.of(), "ask", "--config", file.toString(), "--dump", DEMO.toString(), "-w", "shop/cart", "why?");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("OPSAGENT_LOG_SOURCE 'splunk' from " + file + ":1: expected one of snapshot, kubernetes, cloudwatch");
        Cli.Run k = Cli.run(Map.of("OPSAGENT_LOG_SOURCE", "kubernetes"), "ask", "--dump", DEMO.toString(), "-w", "shop/cart", "why?");
        assertThat(k.exit()).isEqualTo(2);
        assertThat(k.err()).contains("pod logs need a live cluster");
    }

    @Test
    void diagnoseAndEvidenceReadTheConfiguredDump() throws Exception {
        Path file = tmp.resolve("c.properties");
        Files.writeString(file, "OPSAGENT_DUMP_DIR=" + DEMO + "\n");
        Cli.Run d = Cli.run(Map.of("OPSAGENT_CONFIG", file.toString()), "diagnose", "-n", "shop", "-w", "cart");
        assertThat(d.exit()).as(d.err()).isZero();
        assertThat(d.out()).contains("CrashLoopBackOff").contains(DEMO.toString());
        Cli.Run e = Cli.run(Map.of(), "evidence", "--config", file.toString(), "-n", "shop", "-w", "cart");
        assertThat(e.exit()).as(e.err()).isZero();
        assertThat(e.out()).contains("cart");
        Cli.Run none = Cli.run(Map.of(), "diagnose", "-n", "shop");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("give exactly one of --dump DIR or --evidence DIR");
    }
}
