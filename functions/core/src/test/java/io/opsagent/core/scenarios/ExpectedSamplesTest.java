package io.opsagent.core.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.diagnosis.Diagnosis;
import io.opsagent.core.diagnosis.DiagnosisEngine;
import io.opsagent.core.diagnosis.Finding;
import io.opsagent.core.diagnosis.Severity;
import io.opsagent.core.input.text.TextEvidenceReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every labelled folder of ../shared/evidence-samples/expected.tsv, diagnosed without and with its subject: the first
 * root cause has the expected category and contains the keyword; a folder labelled HEALTHY gets no critical root
 * cause. (bench/diagnosis/run prints the same verdicts with timings.)
 */
class ExpectedSamplesTest {

    static Stream<Arguments> cases() throws Exception {
        List<String> lines = Files.readAllLines(Paths.evidenceSamples().resolve("expected.tsv"), StandardCharsets.UTF_8);
        List<Arguments> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) continue;
            String[] f = line.split("\t");
            out.add(Arguments.of(f[0].strip(), f[1].strip(), f[2].strip(), f[3].strip(), false));
            if (!f[1].strip().equals("-")) out.add(Arguments.of(f[0].strip(), f[1].strip(), f[2].strip(), f[3].strip(), true));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} (with subject: {4})")
    @MethodSource("cases")
    void theFirstRootCauseIsTheExpectedOne(String folder, String subject, String categories, String keyword,
                                           boolean withSubject) throws Exception {
        ClusterSnapshot s = new TextEvidenceReader().read(Paths.evidenceSamples().resolve(folder));
        DiagnosisEngine engine = new DiagnosisEngine();
        Diagnosis d;
        if (withSubject) {
            int slash = subject.indexOf('/');
            d = engine.diagnose(s, subject.substring(0, slash), subject.substring(slash + 1));
        } else {
            d = engine.diagnose(s);
            // `opsagent diagnose --evidence DIR` without a subject asks the same question
            assertThat(engine.diagnose(s, null, null)).as("diagnose(s, null, null) of %s", folder).isEqualTo(d);
        }
        List<Finding> roots = d.findings().stream().filter(Finding::rootCause).toList();
        if (categories.equals("HEALTHY")) {
            assertThat(roots).as("critical root causes in %s", folder).noneMatch(f -> f.severity() == Severity.CRITICAL);
            return;
        }
        assertThat(roots).as("root causes in %s", folder).isNotEmpty();
        Finding top = roots.get(0);
        assertThat(top.category().name()).as("%s: %s", folder, top.summary()).matches(categories);
        StringBuilder text = new StringBuilder(top.summary());
        top.evidence().forEach(e -> text.append('\n').append(e.text()));
        if (!keyword.equals("-")) {
            assertThat(Pattern.compile(keyword, Pattern.CASE_INSENSITIVE).matcher(text).find())
                    .as("%s: the root cause names %s: %s", folder, keyword, text).isTrue();
        }
    }
}
