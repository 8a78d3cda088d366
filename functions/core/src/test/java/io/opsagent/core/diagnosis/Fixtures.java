package io.opsagent.core.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.cluster.ContainerLog;
import io.opsagent.core.cluster.LogLine;
import io.opsagent.core.diagnosis.analyzers.Analyzers;
import io.opsagent.core.diagnosis.logs.LogSignal;
import io.opsagent.core.input.ClusterDumpReader;
import io.opsagent.core.input.InputException;
import io.opsagent.core.redact.Redactor;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Loads the dump fixtures under src/test/resources/dumps and finds findings in results. */
final class Fixtures {
    private Fixtures() {
    }

    static Path dumpDir(String name) {
        URL url = Fixtures.class.getResource("/dumps/" + name);
        assertThat(url).as("fixture dumps/%s on the test classpath", name).isNotNull();
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static ClusterSnapshot dump(String name) {
        try {
            return new ClusterDumpReader().read(dumpDir(name));
        } catch (InputException e) {
            throw new AssertionError("fixture " + name + " must load: " + e.getMessage(), e);
        }
    }

    /**
     * A stand-in for the log classifier: flags lines containing a phrase as a strong signal of the given kind, so
     * that the engine's use of signals is tested independently of the real classifier's rules.
     */
    static Function<ContainerLog, List<LogSignal>> classifier(Object... phraseKindExplanation) {
        Map<String, Object[]> rules = new LinkedHashMap<>();
        for (int i = 0; i < phraseKindExplanation.length; i += 3) {
            rules.put((String) phraseKindExplanation[i],
                    new Object[]{phraseKindExplanation[i + 1], phraseKindExplanation[i + 2]});
        }
        return log -> {
            List<LogSignal> out = new ArrayList<>();
            for (LogLine l : log.lines()) {
                rules.forEach((phrase, r) -> {
                    if (l.text().contains(phrase)) {
                        out.add(new LogSignal((LogSignal.Kind) r[0], l, log.ref(l), (String) r[1], LogSignal.STRONG_THRESHOLD));
                    }
                });
            }
            return out;
        };
    }

    static DiagnosisEngine engine(Function<ContainerLog, List<LogSignal>> classifier) {
        return new DiagnosisEngine(Analyzers.all(), classifier, new Redactor());
    }

    static DiagnosisEngine engine() {
        return engine(log -> List.of());
    }

    static Optional<Finding> find(Diagnosis d, Category c, String namespace, String name) {
        return d.findings().stream().filter(f -> f.category() == c && java.util.Objects.equals(f.namespace(), namespace)
                && f.name().equals(name)).findFirst();
    }

    static Finding get(Diagnosis d, Category c, String namespace, String name) {
        return find(d, c, namespace, name).orElseThrow(() -> new AssertionError("no " + c + " finding for " + namespace
                + "/" + name + " among " + d.findings().stream().map(Finding::id).toList()));
    }
}
