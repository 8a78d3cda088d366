package io.opsagent.local;

import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.input.ClusterDumpReader;
import io.opsagent.core.input.InputException;
import io.opsagent.core.input.text.TextEvidenceReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import io.opsagent.app.config.Setting;
import io.opsagent.app.config.Settings;
import picocli.CommandLine.Option;

/** The input options shared by the commands that read a cluster: where from, and which namespace/workload. */
final class InputOptions {

    @Option(names = "--dump", paramLabel = "DIR",
            description = "a directory written by kubectl cluster-info dump --all-namespaces --output-directory=DIR")
    Path dump;

    @Option(names = "--evidence", paramLabel = "DIR",
            description = "a directory of pasted kubectl output (describe, get, logs, events)")
    Path evidence;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "only this namespace")
    String namespace;

    @Option(names = {"-w", "--workload"}, paramLabel = "NAME",
            description = "a Deployment, StatefulSet, DaemonSet, Job, CronJob, Service or Pod (or kind/name)")
    String workload;

    @Option(names = "--config", paramLabel = "FILE",
            description = "a config file (default: $OPSAGENT_CONFIG, else ~/.opsagent/config.properties if present): "
                    + "without --dump/--evidence, its OPSAGENT_DUMP_DIR or OPSAGENT_EVIDENCE_DIR is read")
    Path config;

    /** The directory read (for messages). */
    Path dir() {
        return dump != null ? dump : evidence;
    }

    /** Reads the input; bad or missing input is an {@link InputException} naming the file and the problem. */
    ClusterSnapshot load() throws InputException {
        if (dump == null && evidence == null) fromSettings();
        if ((dump == null) == (evidence == null)) {
            throw new IllegalArgumentException("give exactly one of --dump DIR or --evidence DIR");
        }
        Path dir = dir();
        ClusterSnapshot snapshot = read(dump, evidence);
        if (namespace != null && !snapshot.namespaceNames().contains(namespace)) {
            throw new InputException(dir.toString(), "namespace '" + namespace + "' is not in this input; it has: "
                    + String.join(", ", snapshot.namespaceNames()));
        }
        return snapshot;
    }

    /** Takes the dump or evidence directory from the config file or the environment (docs/configuration.md). */
    private void fromSettings() {
        Map<String, String> env = Main.env();
        Settings.Builder b = Settings.builder().environment(env);
        Path f = ConfigOptions.file(config, env);
        if (f != null) b.file(f, false);
        Settings s = b.build();
        if (s.isSet(Setting.DUMP_DIR) && s.isSet(Setting.EVIDENCE_DIR)) {
            throw new IllegalArgumentException("give only one of OPSAGENT_DUMP_DIR (" + s.origin(Setting.DUMP_DIR).orElse("?")
                    + ") and OPSAGENT_EVIDENCE_DIR (" + s.origin(Setting.EVIDENCE_DIR).orElse("?") + ")");
        }
        dump = s.get(Setting.DUMP_DIR).map(Path::of).orElse(null);
        evidence = s.get(Setting.EVIDENCE_DIR).map(Path::of).orElse(null);
    }

    /**
     * Reads a cluster dump ({@code dump}) or a folder of pasted kubectl output ({@code evidence}); exactly one is
     * non-null. A missing directory is an {@link InputException} naming it.
     */
    static ClusterSnapshot read(Path dump, Path evidence) throws InputException {
        Path dir = dump != null ? dump : evidence;
        if (!Files.exists(dir)) {
            throw new InputException(dir.toString(), "directory does not exist");
        }
        return dump != null ? new ClusterDumpReader().read(dir) : new TextEvidenceReader().read(dir);
    }

    /** "DIR, namespace NS, workload W" for headings. */
    String scope() {
        StringBuilder s = new StringBuilder(String.valueOf(dir()));
        if (namespace != null) s.append(", namespace ").append(namespace);
        if (workload != null) s.append(", workload ").append(workload);
        return s.toString();
    }

    static void checkFormat(String format) {
        if (!format.equals("text") && !format.equals("json")) {
            throw new IllegalArgumentException("unknown --format '" + format + "': expected text or json");
        }
    }
}
