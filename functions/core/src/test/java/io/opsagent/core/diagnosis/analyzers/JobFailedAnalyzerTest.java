package io.opsagent.core.diagnosis.analyzers;

import static io.opsagent.core.diagnosis.analyzers.Kube.analyze;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.opsagent.core.diagnosis.Category;
import io.opsagent.core.diagnosis.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobFailedAnalyzerTest {
    private final JobFailedAnalyzer analyzer = new JobFailedAnalyzer();

    private static Job job(String type, String reason, String message, int failed) {
        return new JobBuilder().withMetadata(Kube.meta("batch", "nightly-report")).withNewSpec().withBackoffLimit(3)
                .endSpec().withNewStatus().withFailed(failed).addNewCondition().withType(type).withStatus("True")
                .withReason(reason).withMessage(message).withLastTransitionTime(Kube.EARLIER).endCondition()
                .endStatus().build();
    }

    @Test
    void aJobPastItsBackoffLimitIsCriticalAndSaysWhy() {
        assertThat(analyze(analyzer, List.of(job("Failed", "BackoffLimitExceeded",
                "Job has reached the specified backoff limit", 4)))).singleElement().satisfies(x -> {
                    assertThat(x.category()).isEqualTo(Category.JobFailed);
                    assertThat(x.severity()).isEqualTo(Severity.CRITICAL);
                    assertThat(x.summary()).contains("nightly-report", "BackoffLimitExceeded");
                });
    }

    @Test
    void aCompleteJobIsNoFindingEvenWithFailedPodsOnTheWay() {
        assertThat(analyze(analyzer, List.of(job("Complete", null, null, 1)))).isEmpty();
    }
}
