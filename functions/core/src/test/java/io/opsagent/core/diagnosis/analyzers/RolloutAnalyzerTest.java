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

    private static List<HasMetadata> withPod(io.fabric8.kubernetes.api.model.ContainerStatus status, String created, boolean terminating) {
        List<HasMetadata> owners = Kube.owners("shop", "api", "api:2");
        Deployment d = new DeploymentBuilder((Deployment) owners.get(0)).editStatus().withAvailableReplicas(0)
                .withReadyReplicas(0).endStatus().build();
        var pod = Kube.pod("shop", "api-7d9f8c6b5-x2k4p", "api:2").editMetadata().withCreationTimestamp(created)
                .withDeletionTimestamp(terminating ? "2026-12-06T09:59:58Z" : null).addNewOwnerReference()
                .withKind("ReplicaSet").withName("api-7d9f8c6b5").withApiVersion("apps/v1").withController(true)
                .endOwnerReference().endMetadata().withNewStatus().withPhase("Pending").addToContainerStatuses(status)
                .addNewCondition().withType("Ready").withStatus("False").withLastTransitionTime(Kube.NOW).endCondition()
                .endStatus().build();
        return List.of(d, owners.get(1), pod);
    }

    @Test
    void aWorkloadWhosePodsAreStartingOrTerminatingIsInTransitionNotStuck() {
        var creating = Kube.waiting("api", "api:2", "ContainerCreating", "").build();
        assertThat(analyze(analyzer, withPod(creating, "2026-12-06T09:59:30Z", false))).singleElement().satisfies(x -> {
            assertThat(x.severity()).isEqualTo(Severity.INFO);
            assertThat(x.summary()).contains("1 pod was created less than 2 minutes ago: a restart or rollout in progress");
        });
        assertThat(analyze(analyzer, withPod(creating, Kube.EARLIER, true))).singleElement().satisfies(x -> {
            assertThat(x.severity()).isEqualTo(Severity.INFO);
            assertThat(x.summary()).contains("1 pod is terminating");
        });
        // an hour-old pod that never became ready, or a young one that already crashes, is stuck
        assertThat(analyze(analyzer, withPod(creating, Kube.EARLIER, false))).singleElement()
                .satisfies(x -> assertThat(x.severity()).isEqualTo(Severity.CRITICAL));
        var crashing = Kube.crashed("api", "api:2", 3, "Error", 1);
        assertThat(analyze(analyzer, withPod(crashing, "2026-12-06T09:59:30Z", false))).singleElement()
                .satisfies(x -> assertThat(x.severity()).isEqualTo(Severity.CRITICAL));
    }
}
