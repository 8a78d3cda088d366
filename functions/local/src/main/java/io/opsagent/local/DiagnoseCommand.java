package io.opsagent.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.diagnosis.Diagnosis;
import io.opsagent.core.diagnosis.DiagnosisEngine;
import io.opsagent.core.diagnosis.Finding;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
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

    @Mixin
    InputOptions input;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text (default) or json")
    String format;

    @Override
    public Integer call() throws Exception {
        InputOptions.checkFormat(format);
        ClusterSnapshot snapshot = input.load();
        Diagnosis d = DiagnosisEngine.standard().diagnose(snapshot, input.namespace, input.workload);
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) {
            out.println(json(d));
        } else {
            out.print(TextReport.render(d, input.scope()));
        }
        out.flush();
        return 0;
    }

    /** {"findings": [...]}, and "alsoFailing": the ids of the findings about the subject's neighbours, if any. */
    static String json(Diagnosis d) throws Exception {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Map<String, Object> doc = new java.util.LinkedHashMap<>();
        doc.put("findings", d.findings());
        if (!d.alsoFailing().isEmpty()) doc.put("alsoFailing", d.alsoFailing());
        return m.writeValueAsString(doc);
    }
}
