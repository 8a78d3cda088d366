package io.opsagent.core.diagnosis.analyzers;

import static io.opsagent.core.diagnosis.analyzers.Kube.analyze;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.opsagent.core.diagnosis.Category;
import java.util.List;
import org.junit.jupiter.api.Test;

class HpaLimitedAnalyzerTest {
    private final HpaLimitedAnalyzer analyzer = new HpaLimitedAnalyzer();

    private static HorizontalPodAutoscaler hpa(int current, int max, String limited) {
        return new HorizontalPodAutoscalerBuilder().withMetadata(Kube.meta("shop", "api")).withNewSpec()
                .withMinReplicas(2).withMaxReplicas(max).withNewScaleTargetRef().withKind("Deployment").withName("api")
                .withApiVersion("apps/v1").endScaleTargetRef().endSpec().withNewStatus().withCurrentReplicas(current)
                .withDesiredReplicas(current).addNewCondition().withType("ScalingLimited").withStatus(limited)
                .withReason("True".equals(limited) ? "TooManyReplicas" : "DesiredWithinRange")
                .withMessage("the desired replica count is more than the maximum replica count")
                .withLastTransitionTime(Kube.EARLIER).endCondition().endStatus().build();
    }

    @Test
    void anHpaHeldAtItsMaximumIsAFinding() {
        assertThat(analyze(analyzer, List.of(hpa(10, 10, "True")))).singleElement().satisfies(x -> {
            assertThat(x.category()).isEqualTo(Category.HPALimited);
            assertThat(x.summary()).contains("10");
        });
    }

    @Test
    void anHpaWithinItsRangeIsNoFinding() {
        assertThat(analyze(analyzer, List.of(hpa(4, 10, "False")))).isEmpty();
    }
}
