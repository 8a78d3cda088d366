package io.opsagent.local;

import io.opsagent.app.config.ClusterView;
import io.opsagent.app.config.Clusters;
import io.opsagent.app.config.Models;
import io.opsagent.app.config.Setting;
import io.opsagent.app.config.Settings;
import io.opsagent.core.agent.model.ChatModel;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The config file options shared by {@code up} and {@code ask}: settings are read from {@code --config FILE}, else
 * the file named by {@code $OPSAGENT_CONFIG}, else {@code ~/.opsagent/config.properties} if it exists; the
 * environment overrides the file and flags override both (docs/configuration.md).
 */
final class ConfigOptions {
    /** The environment variable naming the config file. */
    static final String CONFIG_ENV = "OPSAGENT_CONFIG";

    @Option(names = "--config", paramLabel = "FILE",
            description = "a config file of KEY=value lines (default: $OPSAGENT_CONFIG, else ~/.opsagent/config.properties if present)")
    Path config;

    @Option(names = "--show-config",
            description = "print the settings in force, where each comes from (secrets masked) and what they select, then exit")
    boolean show;

    /** The config file read, or null when none (the default file is optional). */
    Path file(Map<String, String> env) {
        return file(config, env);
    }

    /** The config file: {@code explicit}, else {@code $OPSAGENT_CONFIG}, else the default file if it exists. */
    static Path file(Path explicit, Map<String, String> env) {
        if (explicit != null) return explicit;
        String named = env.get(CONFIG_ENV);
        if (named != null && !named.isBlank()) return Path.of(named.strip());
        Path dflt = defaultFile();
        return Files.exists(dflt) ? dflt : null;
    }

    static Path defaultFile() {
        return Path.of(System.getProperty("user.home"), ".opsagent", "config.properties");
    }

    /** The file and environment layers; the caller adds its flags. A named file that is missing is an error. */
    Settings.Builder builder(Map<String, String> env) {
        Settings.Builder b = Settings.builder().environment(env);
        Path f = file(env);
        if (f != null) b.file(f, false);
        return b;
    }

    /** What {@code --show-config} prints: the settings with their origin, and what they select. */
    /**
     * The cluster flags on top of the lower layers: giving {@code --dump}, {@code --evidence} or {@code --context}
     * replaces a cluster configured in the file or the environment rather than conflicting with it.
     */
    static Settings.Builder clusterFlags(Settings.Builder b, Path dump, Path evidence, String context) {
        if (dump != null || evidence != null || context != null) b.ignoreLowerLayers(Clusters.inputSettings());
        return b.flag(Setting.DUMP_DIR, dump == null ? null : dump.toString(), "--dump")
                .flag(Setting.EVIDENCE_DIR, evidence == null ? null : evidence.toString(), "--evidence")
                .flag(Setting.KUBE_CONTEXT, context, "--context");
    }

    static void print(PrintWriter out, Path file, Settings s, ChatModel model, ClusterView cluster) {
        out.println("config file: " + (file == null ? "none (" + defaultFile() + " does not exist)" : file.toAbsolutePath().normalize()));
        out.println("settings in force (flag > environment > config file; secrets masked):");
        if (s.describe().isEmpty()) out.println("  (none: defaults)");
        s.describe().forEach(l -> out.println("  " + l));
        out.println("model:   " + Models.describe(model) + " (provider " + Models.provider(s) + ")");
        if (cluster != null) {
            out.println("cluster: " + cluster.describe());
            out.println("logs:    " + cluster.logSource());
            out.println("metrics: " + (cluster.provider().metrics() == null ? "none (set OPSAGENT_PROMETHEUS_URL for query_metrics and rightsize)"
                    : cluster.provider().metrics().name()));
        }
        out.flush();
    }
}
