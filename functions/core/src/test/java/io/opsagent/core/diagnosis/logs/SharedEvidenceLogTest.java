package io.opsagent.core.diagnosis.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsagent.core.cluster.ContainerLog;
import io.opsagent.core.cluster.LogLine;
import io.opsagent.core.diagnosis.logs.LogSignal.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the classifier on the raw log files of the shared evidence samples (tool headers included). */
class SharedEvidenceLogTest {

    private static final Path SAMPLES = Path.of(System.getProperty("opsagent.root", "."))
            .resolve("../shared/evidence-samples");

    private static ContainerLog read(String relative) throws IOException {
        Path file = SAMPLES.resolve(relative);
        assertThat(file).as("shared evidence sample %s (is ../shared present?)", file).exists();
        List<String> raw = Files.readAllLines(file);
        List<LogLine> lines = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            lines.add(new LogLine(i + 1, raw.get(i)));
        }
        return new ContainerLog("default", "pod", "main", false, relative, lines);
    }

    @Test
    void crashpodLogQuotesTheMissingVariable() throws IOException {
        ContainerLog log = read("test_ask_holmes__09_crashpod/kubectl_logs.txt");
        List<LogSignal> signals = new LogErrorClassifier().classify(log);
        assertThat(signals).isNotEmpty();
        LogSignal top = signals.get(0);
        assertThat(top.kind()).isEqualTo(Kind.MISSING_CONFIG);
        assertThat(top.line().text()).isEqualTo("Environment variable DEPLOY_ENV is undefined");
        assertThat(top.isStrong()).isTrue();
        assertThat(signals.subList(1, signals.size())).noneMatch(LogSignal::isStrong);
    }

    @Test
    void kubectlErrorAboutMissingPreviousContainerIsNoApplicationFailure() throws IOException {
        ContainerLog log = read("test_investigate__04_image_pull_backoff/kubectl_previous_logs.txt");
        assertThat(new LogErrorClassifier().classify(log)).noneMatch(LogSignal::isStrong);
    }
}
