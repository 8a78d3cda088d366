package io.opsagent.core.input.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.opsagent.core.cluster.ClusterSnapshot;
import org.junit.jupiter.api.Test;

/** One file with several `$ kubectl describe ...` commands: service, pod, hpa, quota, configmap, secret. */
class DescribeServicesAndPodsTest {

    @Test
    void serviceWithoutEndpoints() throws Exception {
        ClusterSnapshot s = Evidence.read("service");
        assertThat(s.services()).singleElement().satisfies(svc -> {
            assertThat(svc.getSpec().getSelector()).containsEntry("app", "payments-api").containsEntry("tier", "backend");
            assertThat(svc.getSpec().getPorts().get(0).getPort()).isEqualTo(80);
            assertThat(svc.getSpec().getPorts().get(0).getName()).isEqualTo("http");
            assertThat(svc.getSpec().getPorts().get(0).getTargetPort().getIntVal()).isEqualTo(8080);
        });
        assertThat(s.endpoints()).singleElement().satisfies(ep -> {
            assertThat(ep.getMetadata().getName()).isEqualTo("payments-api");
            assertThat(ep.getSubsets()).isEmpty();
        });
    }

    @Test
    void podWithInitContainerSidecarProbesAndSecretEnv() throws Exception {
        ClusterSnapshot s = Evidence.read("service");
        Pod p = s.pods().get(0);
        assertThat(p.getSpec().getInitContainers()).extracting(Container::getName).containsExactly("wait-db");
        assertThat(p.getStatus().getInitContainerStatuses().get(0).getState().getTerminated().getReason()).isEqualTo("Completed");
        assertThat(p.getSpec().getContainers()).extracting(Container::getName).containsExactly("api", "sidecar");
        assertThat(p.getStatus().getContainerStatuses()).extracting(ContainerStatus::getName).containsExactly("api", "sidecar");
        ContainerStatus api = p.getStatus().getContainerStatuses().get(0);
        assertThat(api.getState().getRunning().getStartedAt()).isEqualTo("2025-11-17T09:20:00Z");
        assertThat(api.getLastState().getTerminated().getExitCode()).isEqualTo(2);
        assertThat(api.getLastState().getTerminated().getMessage()).contains("panic: runtime error").contains("goroutine 1");
        assertThat(api.getRestartCount()).isEqualTo(5);
        assertThat(Evidence.lineAt("service", s.ref(p, "status.containerStatuses[0].restartCount"))).contains("Restart Count:  5");
        assertThat(Evidence.lineAt("service", s.ref(p, "status.containerStatuses[0].lastState.terminated.exitCode"))).contains("Exit Code:    2");
        Container c = p.getSpec().getContainers().get(0);
        assertThat(c.getPorts()).extracting(x -> x.getContainerPort()).containsExactly(8080, 9090);
        assertThat(c.getReadinessProbe().getExec().getCommand()).containsExactly("cat", "/tmp/ready");
        assertThat(c.getStartupProbe().getHttpGet().getPort().getStrVal()).isEqualTo("metrics");
        assertThat(c.getStartupProbe().getHttpGet().getScheme()).isEqualTo("HTTPS");
        assertThat(Evidence.lineAt("service", s.ref(p, "spec.containers[0].livenessProbe"))).contains("Liveness:");
        assertThat(c.getEnv()).filteredOn(e -> e.getName().equals("DB_PASS")).singleElement()
                .satisfies(e -> assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("payments-db"));
        assertThat(c.getEnv()).filteredOn(e -> e.getName().equals("DB_URL")).singleElement()
                .satisfies(e -> assertThat(e.getValue()).isEqualTo("postgres://db.payments:5432/payments"));
        assertThat(c.getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getMountPath()).isEqualTo("/data");
            assertThat(m.getName()).isEqualTo("data");
            assertThat(m.getReadOnly()).isFalse();
        });
        assertThat(p.getSpec().getVolumes()).filteredOn(v -> v.getName().equals("creds")).singleElement()
                .satisfies(v -> assertThat(v.getSecret().getSecretName()).isEqualTo("payments-tls"));
        assertThat(p.getSpec().getNodeSelector()).containsEntry("kubernetes.io/os", "linux").hasSize(2);
        assertThat(p.getSpec().getTolerations()).anySatisfy(t -> {
            assertThat(t.getKey()).isEqualTo("dedicated");
            assertThat(t.getValue()).isEqualTo("payments");
            assertThat(t.getOperator()).isEqualTo("Equal");
        });
        assertThat(p.getSpec().getNodeName()).isEqualTo("node-a");
        assertThat(p.getMetadata().getAnnotations()).containsEntry("kubectl.kubernetes.io/default-container", "api");
        assertThat(s.eventsFor(p)).anySatisfy(e -> {
            assertThat(e.getReason()).isEqualTo("Unhealthy");
            assertThat(e.getCount()).isEqualTo(12);
            assertThat(e.getMessage()).startsWith("Liveness probe failed: Get \"http://10.0.1.40:8080/healthz\"");
        });
    }

    @Test
    void hpaQuotaConfigMapAndSecretKeysOnly() throws Exception {
        ClusterSnapshot s = Evidence.read("service");
        HorizontalPodAutoscaler h = s.hpas().get(0);
        assertThat(h.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(h.getSpec().getMinReplicas()).isEqualTo(2);
        assertThat(h.getSpec().getMaxReplicas()).isEqualTo(10);
        assertThat(h.getStatus().getCurrentReplicas()).isEqualTo(2);
        assertThat(h.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("ScalingActive");
            assertThat(c.getReason()).isEqualTo("FailedGetResourceMetric");
            assertThat(c.getMessage()).contains("no metrics returned");
        });
        ResourceQuota q = s.resourceQuotas().get(0);
        assertThat(q.getStatus().getUsed().get("limits.memory").toString()).isEqualTo("2Gi");
        assertThat(q.getStatus().getHard().get("pods").toString()).isEqualTo("10");
        assertThat(Evidence.lineAt("service", s.ref(q, "status.used.pods"))).startsWith("pods");
        assertThat(s.configMaps().get(0).getData()).containsEntry("LOG_LEVEL", "debug")
                .containsEntry("app.properties", "server.port=8080\nfeature.x=true");
        assertThat(s.secrets().get(0).getData()).containsOnlyKeys("password", "username").allSatisfy((k, v) -> assertThat(v).isEmpty());
    }
}
