package io.opsagent.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.diagnosis.Diagnosis;
import io.opsagent.core.diagnosis.DiagnosisEngine;
import io.opsagent.core.diagnosis.logs.LogErrorClassifier;
import io.opsagent.core.evidence.EvidencePack;
import io.opsagent.core.evidence.EvidencePackBuilder;
import io.opsagent.core.redact.Redactor;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code opsagent evidence --dump DIR|--evidence DIR --workload NAME [--budget TOKENS]}: prints the evidence pack a
 * model would be given about the workload, and its size against the raw logs and events it summarises.
 */
@Command(name = "evidence", mixinStandardHelpOptions = true,
        description = "Show the evidence pack for a workload (what a model is given), within a token budget.")
final class EvidenceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    InputOptions input;

    @Option(names = "--budget", paramLabel = "TOKENS", defaultValue = "" + EvidencePackBuilder.DEFAULT_BUDGET,
            description = "token budget (default ${DEFAULT-VALUE})")
    int budget;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text (default) or json")
    String format;

    @Override
    public Integer call() throws Exception {
        InputOptions.checkFormat(format);
        if (input.workload == null) {
            throw new IllegalArgumentException("--workload NAME is required");
        }
        ClusterSnapshot snapshot = input.load();
        DiagnosisEngine engine = DiagnosisEngine.standard();
        DiagnosisEngine.Subject subject = engine.subject(snapshot, input.namespace, input.workload);
        Diagnosis d = engine.diagnose(snapshot, input.namespace, input.workload);
        EvidencePack pack = new EvidencePackBuilder(new Redactor(), new LogErrorClassifier())
                .build(snapshot, subject.object(), subject.pods(), d, budget);
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(pack));
        } else {
            out.print(pack.text());
            out.printf("%n-- %d tokens (budget %d); raw material: %d log lines + %d events = %d tokens; pack/raw %.1f%%%n",
                    pack.tokens(), pack.budget(), pack.rawLogLines(), pack.rawEvents(), pack.rawTokens(),
                    100 * pack.ratio());
        }
        out.flush();
        return 0;
    }
}
