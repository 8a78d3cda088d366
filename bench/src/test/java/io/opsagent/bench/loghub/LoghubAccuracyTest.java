package io.opsagent.bench.loghub;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsagent.core.logs.GroupingAccuracy;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Regression floor for grouping accuracy on the 8 Loghub-2k systems in ../shared/loghub, with the single
 * configuration (each system's log_format only splits header from message), read and mined exactly as
 * {@code bench/loghub/run} does. Fails when the data is missing.
 * Measured when written: average GA 0.974 (original labels) and 0.997 (corrected labels).
 */
class LoghubAccuracyTest {
    private static final double FLOOR_ORIGINAL = 0.96;
    private static final double FLOOR_CORRECTED = 0.98;

    @Test
    void averageGroupingAccuracyStaysAboveFloorOnBothLabelSets() {
        Path root = Path.of(System.getProperty("opsagent.root", "..")).resolve("../shared/loghub");
        List<LoghubSystem> systems = LoghubSystem.loadAll(root);
        assertThat(systems).as("Loghub system folders in " + root).hasSize(8);
        double sumOriginal = 0;
        double sumCorrected = 0;
        StringBuilder report = new StringBuilder();
        for (LoghubSystem s : systems) {
            List<Integer> ids = LoghubBench.mine(s);
            double o = GroupingAccuracy.of(ids, s.original());
            double c = GroupingAccuracy.of(ids, s.corrected());
            report.append(String.format("%s %.3f %.3f%n", s.name(), o, c));
            sumOriginal += o;
            sumCorrected += c;
        }
        assertThat(sumOriginal / systems.size()).as("average GA, original labels\n" + report)
                .isGreaterThanOrEqualTo(FLOOR_ORIGINAL);
        assertThat(sumCorrected / systems.size()).as("average GA, corrected labels\n" + report)
                .isGreaterThanOrEqualTo(FLOOR_CORRECTED);
    }
}
