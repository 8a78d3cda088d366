package io.opsagent.core.diagnosis.analyzers;

import static io.opsagent.core.diagnosis.analyzers.Kube.analyze;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.opsagent.core.diagnosis.Category;
import io.opsagent.core.diagnosis.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutAnalyzerTest {
    private final RolloutAnalyzer analyzer = new RolloutAnalyzer();

    private static Deployment deployment(int want, int available, String progressing, String reason) {
        Deployment d = (Deployment) Kube.owners("shop", "api", "api:2").get(0);
        return new DeploymentBuilder(d).editSpec().withReplicas(want).endSpec().editStatus().withReplicas(want)
                .withAvailableReplicas(available).withReadyReplicas(available).withUpdatedReplicas(want)
                .addNewCondition().withType("Progressing").withStatus(progressing).withReason(reason)
                .withMessage("ReplicaSet \"api-7d9f8c6b5\" " + ("False".equals(progressing) ? "has timed out progressing."
                        : "is progressing.")).withLastTransitionTime(Kube.EARLIER).endCondition().endStatus().build();
    }

    @Test
    void aRolloutPastItsDeadlineIsCritical() {
        List<HasMetadata> objects = List.of(deployment(3, 0, "False", "ProgressDeadlineExceeded"));
        assertThat(analyze(analyzer, objects)).singleElement().satisfies(x -> {
            assertThat(x.category()).isEqualTo(Category.RolloutStuck);
            assertThat(x.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(x.kind()).isEqualTo("Deployment");
            assertThat(x.summary()).contains("0");
        });
    }

    @Test
    void aDeploymentWithEveryReplicaAvailableIsNoFinding() {
        assertThat(analyze(analyzer, List.of(deployment(3, 3, "True", "NewReplicaSetAvailable")))).isEmpty();
    }
}
