package io.opsagent.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.diagnosis.Diagnosis;
import io.opsagent.core.diagnosis.DiagnosisEngine;
import io.opsagent.core.diagnosis.Finding;
import io.opsagent.core.input.ClusterDumpReader;
import io.opsagent.core.input.InputException;
import io.opsagent.core.input.text.TextEvidenceReader;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code opsagent diagnose --dump DIR | --evidence DIR [--namespace NS] [--workload NAME] [--format text|json]}:
 * finds what is wrong, with evidence and fixes. Exit 0 whatever is found; 2 for bad input.
 */
@Command(name = "diagnose", mixinStandardHelpOptions = true,
        description = "Find what is wrong in a cluster dump or pasted kubectl output, with evidence and fixes.")
final class DiagnoseCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--dump", paramLabel = "DIR",
            description = "a directory written by kubectl cluster-info dump --all-namespaces --output-directory=DIR")
    Path dump;

    @Option(names = "--evidence", paramLabel = "DIR",
            description = "a directory of pasted kubectl output (describe, get, logs, events)")
    Path evidence;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "only this namespace")
    String namespace;

    @Option(names = {"-w", "--workload"}, paramLabel = "NAME",
            description = "a Deployment, StatefulSet, DaemonSet, Job, CronJob, Service or Pod: the findings that explain it")
    String workload;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text (default) or json")
    String format;

    @Override
    public Integer call() throws Exception {
        if ((dump == null) == (evidence == null)) {
            throw new IllegalArgumentException("give exactly one of --dump DIR or --evidence DIR");
        }
        if (!format.equals("text") && !format.equals("json")) {
            throw new IllegalArgumentException("unknown --format '" + format + "': expected text or json");
        }
        Path dir = dump != null ? dump : evidence;
        if (!Files.exists(dir)) {
            throw new InputException(dir.toString(), "directory does not exist");
        }
        ClusterSnapshot snapshot = dump != null ? new ClusterDumpReader().read(dir) : new TextEvidenceReader().read(dir);
        if (namespace != null && !snapshot.namespaceNames().contains(namespace)) {
            throw new InputException(dir.toString(), "namespace '" + namespace + "' is not in this input; it has: "
                    + String.join(", ", snapshot.namespaceNames()));
        }
        Diagnosis d = new DiagnosisEngine().diagnose(snapshot, namespace, workload);
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) {
            out.println(json(d.findings()));
        } else {
            out.print(TextReport.render(d, scope(dir)));
        }
        out.flush();
        return 0;
    }

    private String scope(Path dir) {
        StringBuilder s = new StringBuilder(dir.toString());
        if (namespace != null) s.append(", namespace ").append(namespace);
        if (workload != null) s.append(", workload ").append(workload);
        return s.toString();
    }

    static String json(List<Finding> findings) throws Exception {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        return m.writeValueAsString(Map.of("findings", findings));
    }
}
