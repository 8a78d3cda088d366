package io.opsagent.core.input.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.opsagent.core.cluster.ClusterSnapshot;
import org.junit.jupiter.api.Test;

/** kubectl describe of Deployment, Node and Job. */
class DescribeWorkloadsTest {

    @Test
    void deploymentReplicasAndProgressDeadlineExceeded() throws Exception {
        ClusterSnapshot s = Evidence.read("rollout");
        Deployment d = s.deployments().get(0);
        assertThat(d.getMetadata().getName()).isEqualTo("checkout");
        assertThat(d.getMetadata().getNamespace()).isEqualTo("shop");
        assertThat(d.getSpec().getReplicas()).isEqualTo(3);
        assertThat(d.getStatus().getUpdatedReplicas()).isEqualTo(1);
        assertThat(d.getStatus().getReplicas()).isEqualTo(4);
        assertThat(d.getStatus().getAvailableReplicas()).isEqualTo(3);
        assertThat(d.getStatus().getUnavailableReplicas()).isEqualTo(1);
        assertThat(d.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Progressing");
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo("ProgressDeadlineExceeded");
            assertThat(c.getMessage()).isEqualTo("ReplicaSet \"checkout-7f8b9c4d2e\" has timed out progressing.");
        });
        assertThat(Evidence.lineAt("rollout", s.ref(d, "status.conditions[1].reason"))).contains("ProgressDeadlineExceeded");
        assertThat(d.getSpec().getSelector().getMatchLabels()).containsEntry("app", "checkout");
        assertThat(s.eventsFor(d)).extracting(Event::getReason).containsExactly("ScalingReplicaSet");
    }

    @Test
    void deploymentPodTemplateContainer() throws Exception {
        ClusterSnapshot s = Evidence.read("rollout");
        Container c = s.deployments().get(0).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getName()).isEqualTo("api");
        assertThat(c.getImage()).isEqualTo("registry.example.com/checkout:2.4.1");
        assertThat(c.getResources().getLimits().get("memory").toString()).isEqualTo("256Mi");
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(c.getLivenessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(8080);
        assertThat(c.getLivenessProbe().getPeriodSeconds()).isEqualTo(10);
        assertThat(c.getLivenessProbe().getFailureThreshold()).isEqualTo(3);
        assertThat(c.getReadinessProbe().getTcpSocket().getPort().getIntVal()).isEqualTo(8080);
        assertThat(c.getReadinessProbe().getInitialDelaySeconds()).isEqualTo(5);
        assertThat(c.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("DB_PASSWORD");
            assertThat(e.getValue()).isNull();
            assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("checkout-db");
            assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
            assertThat(e.getValueFrom().getSecretKeyRef().getOptional()).isFalse();
        });
        assertThat(c.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("FEATURE_FLAGS");
            assertThat(e.getValueFrom().getConfigMapKeyRef().getName()).isEqualTo("checkout-config");
            assertThat(e.getValueFrom().getConfigMapKeyRef().getOptional()).isTrue();
        });
        assertThat(c.getEnv()).anySatisfy(e -> assertThat(e.getValueFrom() == null ? null
                : e.getValueFrom().getFieldRef() == null ? null : e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name"));
        assertThat(c.getEnvFrom().get(0).getConfigMapRef().getName()).isEqualTo("checkout-env");
        assertThat(s.deployments().get(0).getSpec().getTemplate().getSpec().getVolumes().get(0).getConfigMap().getName())
                .isEqualTo("checkout-config");
    }

    @Test
    void deploymentNamesItsReplicaSetsSoPodsCanBeTraced() throws Exception {
        ClusterSnapshot s = Evidence.read("rollout");
        assertThat(s.replicaSets()).extracting(r -> r.getMetadata().getName())
                .containsExactlyInAnyOrder("checkout-5d9f7c6b8d", "checkout-7f8b9c4d2e");
        ReplicaSet rs = s.replicaSets().stream().filter(r -> r.getMetadata().getName().endsWith("7f8b9c4d2e")).findFirst().orElseThrow();
        assertThat(rs.getMetadata().getOwnerReferences().get(0).getKind()).isEqualTo("Deployment");
        assertThat(rs.getMetadata().getOwnerReferences().get(0).getName()).isEqualTo("checkout");
        assertThat(rs.getMetadata().getLabels()).containsEntry("pod-template-hash", "7f8b9c4d2e");
    }

    @Test
    void nodeConditionsTaintsAndCapacity() throws Exception {
        ClusterSnapshot s = Evidence.read("node");
        Node n = s.nodes().get(0);
        assertThat(n.getMetadata().getName()).isEqualTo("ip-10-0-3-21.eu-west-1.compute.internal");
        assertThat(n.getMetadata().getNamespace()).isNull();
        assertThat(n.getMetadata().getLabels()).containsEntry("topology.kubernetes.io/zone", "eu-west-1a").hasSize(4);
        assertThat(n.getStatus().getConditions()).extracting(c -> c.getType() + "=" + c.getStatus())
                .containsExactly("MemoryPressure=False", "DiskPressure=True", "PIDPressure=False", "Ready=Unknown");
        assertThat(n.getStatus().getConditions().get(3).getReason()).isEqualTo("NodeStatusUnknown");
        assertThat(n.getStatus().getConditions().get(3).getMessage()).isEqualTo("Kubelet stopped posting node status.");
        assertThat(n.getStatus().getConditions().get(1).getLastTransitionTime()).isEqualTo("2025-11-17T09:30:00Z");
        assertThat(n.getSpec().getTaints()).extracting(t -> t.getKey() + "=" + t.getValue() + ":" + t.getEffect())
                .containsExactly("node.kubernetes.io/disk-pressure=null:NoSchedule",
                        "node.kubernetes.io/unreachable=null:NoExecute", "dedicated=batch:NoSchedule");
        assertThat(n.getStatus().getAllocatable().get("cpu").toString()).isEqualTo("1930m");
        assertThat(n.getStatus().getCapacity().get("pods").toString()).isEqualTo("29");
        assertThat(n.getStatus().getNodeInfo().getKubeletVersion()).isEqualTo("v1.30.4-eks-a737599");
        assertThat(Evidence.lineAt("node", s.ref(n, "status.conditions[1]"))).contains("DiskPressure     True");
        assertThat(s.eventsFor(n)).extracting(Event::getReason).containsExactly("EvictionThresholdMet", "NodeHasDiskPressure");
        assertThat(s.eventsFor(n).get(0).getCount()).isEqualTo(3);
    }

    @Test
    void jobBackoffLimitExceededBecomesFailedCondition() throws Exception {
        ClusterSnapshot s = Evidence.read("job");
        Job j = s.jobs().get(0);
        assertThat(j.getMetadata().getOwnerReferences().get(0).getKind()).isEqualTo("CronJob");
        assertThat(j.getSpec().getBackoffLimit()).isEqualTo(3);
        assertThat(j.getStatus().getFailed()).isEqualTo(4);
        assertThat(j.getStatus().getSucceeded()).isZero();
        assertThat(j.getStatus().getActive()).isZero();
        assertThat(j.getStatus().getConditions()).singleElement().satisfies(c -> {
            assertThat(c.getType()).isEqualTo("Failed");
            assertThat(c.getReason()).isEqualTo("BackoffLimitExceeded");
            assertThat(c.getMessage()).isEqualTo("Job has reached the specified backoff limit");
        });
        assertThat(Evidence.lineAt("job", s.ref(j, "status.conditions[0].reason"))).contains("BackoffLimitExceeded");
        assertThat(j.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand()).containsExactly("python", "/app/report.py");
        assertThat(s.eventsFor(j)).hasSize(3);
    }
}
