package io.opsagent.bench.evidencepack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.diagnosis.Diagnosis;
import io.opsagent.core.diagnosis.DiagnosisEngine;
import io.opsagent.core.diagnosis.logs.LogErrorClassifier;
import io.opsagent.core.evidence.EvidencePack;
import io.opsagent.core.evidence.EvidencePackBuilder;
import io.opsagent.core.input.ClusterDumpReader;
import io.opsagent.core.redact.Redactor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * For each workload of the demo answer key: the evidence pack's size in tokens against the raw material it
 * summarises (the workload's pods' logs and events), and the time to diagnose and build it.
 */
public final class EvidencePackBench {

    public static void main(String[] args) throws Exception {
        Path root = Path.of(".");
        int budget = EvidencePackBuilder.DEFAULT_BUDGET;
        Path dump = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--root" -> root = Path.of(args[++i]);
                case "--budget" -> budget = Integer.parseInt(args[++i]);
                case "--dump" -> dump = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (dump == null) {
            dump = root.resolve("events/clusters/demo");
        }
        Path key = dump.resolveSibling(dump.getFileName() + ".expected.json");
        JsonNode workloads = new ObjectMapper().readTree(key.toFile()).get("workloads");

        ClusterSnapshot snapshot = new ClusterDumpReader().read(dump);
        DiagnosisEngine engine = new DiagnosisEngine();
        EvidencePackBuilder builder = new EvidencePackBuilder(new Redactor(), new LogErrorClassifier());
        // warm-up: one full pass so the timings below are of warm code
        for (JsonNode w : workloads) {
            pack(engine, builder, snapshot, w, budget);
        }
        System.out.printf("Evidence packs for %s (budget %d tokens)%n%n", dump, budget);
        System.out.printf("%-45s %6s %7s %9s %7s %8s  %s%n", "workload", "lines", "events", "raw tok",
                "pack", "ratio", "build ms");
        long rawSum = 0;
        long packSum = 0;
        List<Double> ratios = new ArrayList<>();
        for (JsonNode w : workloads) {
            if ("Node".equals(w.path("kind").asText()) || "Service".equals(w.path("kind").asText())) {
                continue; // packs are about workloads with pods
            }
            long t0 = System.nanoTime();
            EvidencePack p = pack(engine, builder, snapshot, w, budget);
            double ms = (System.nanoTime() - t0) / 1e6;
            String name = w.path("kind").asText() + " " + w.path("namespace").asText() + "/" + w.get("name").asText();
            System.out.printf("%-45s %6d %7d %9d %7d %7.2f%%  %7.1f%n", name, p.rawLogLines(), p.rawEvents(),
                    p.rawTokens(), p.tokens(), 100 * p.ratio(), ms);
            if (p.tokens() > budget) {
                System.out.printf("  ! over budget: root-cause evidence alone needs %d tokens%n", p.tokens());
            }
            rawSum += p.rawTokens();
            packSum += p.tokens();
            ratios.add(p.ratio());
        }
        ratios.sort(Double::compare);
        System.out.printf("%nall workloads: raw %d tokens, packs %d tokens, pack/raw %.2f%% overall, median %.2f%%%n",
                rawSum, packSum, 100.0 * packSum / rawSum, 100 * ratios.get(ratios.size() / 2));
    }

    private static EvidencePack pack(DiagnosisEngine engine, EvidencePackBuilder builder, ClusterSnapshot s,
                                     JsonNode w, int budget) throws Exception {
        String ns = w.path("namespace").isNull() ? null : w.path("namespace").asText();
        String name = w.get("name").asText();
        DiagnosisEngine.Subject subject = engine.subject(s, ns, name);
        Diagnosis d = engine.diagnose(s, ns, name);
        return builder.build(s, subject.object(), subject.pods(), d, budget);
    }
}
