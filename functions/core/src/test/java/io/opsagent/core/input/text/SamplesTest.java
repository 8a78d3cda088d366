package io.opsagent.core.input.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.cluster.ContainerLog;
import io.opsagent.core.cluster.LogLine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The five recorded scenarios of ../shared/evidence-samples parse into the objects a person reads in them. */
class SamplesTest {
    private static final Path SAMPLES = Path.of(System.getProperty("opsagent.root", ".")).resolve("../shared/evidence-samples");

    private static ClusterSnapshot read(String scenario) throws Exception {
        Path dir = SAMPLES.resolve(scenario);
        assertThat(Files.isDirectory(dir)).as("shared evidence samples missing at " + dir.toAbsolutePath()).isTrue();
        return new TextEvidenceReader().read(dir);
    }

    private static Pod pod(ClusterSnapshot s, String namespace, String name) {
        return s.pods().stream().filter(p -> p.getMetadata().getName().equals(name)
                && namespace.equals(p.getMetadata().getNamespace())).findFirst().orElseThrow();
    }

    private static List<String> fileLines(String scenario, String file) throws Exception {
        return Files.readAllLines(SAMPLES.resolve(scenario).resolve(file));
    }

    @Test
    void oomKilledPod() throws Exception {
        ClusterSnapshot s = read("test_ask_holmes__02_what_is_wrong_with_pod");
        Pod p = pod(s, "app-02", "giant-narwhal-6958c5bdd8-69gtn");
        ContainerStatus cs = p.getStatus().getContainerStatuses().get(0);
        assertThat(cs.getName()).isEqualTo("main");
        assertThat(cs.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
        assertThat(cs.getLastState().getTerminated().getReason()).isEqualTo("OOMKilled");
        assertThat(cs.getLastState().getTerminated().getExitCode()).isEqualTo(137);
        assertThat(cs.getRestartCount()).isEqualTo(16);
        assertThat(p.getSpec().getContainers().get(0).getResources().getLimits().get("memory").toString()).isEqualTo("50Mi");
        assertThat(p.getSpec().getContainers().get(0).getCommand()).containsExactly("sh", "-c", "tail /dev/zero");
        assertThat(p.getStatus().getQosClass()).isEqualTo("Burstable");
        List<Event> backoff = s.eventsFor(p).stream().filter(e -> "BackOff".equals(e.getReason())).toList();
        assertThat(backoff).hasSize(1);
        assertThat(backoff.get(0).getCount()).isEqualTo(256);
        assertThat(backoff.get(0).getType()).isEqualTo("Warning");
        // the cited line holds the field
        String ref = s.ref(p, "status.containerStatuses[0].lastState.terminated.reason");
        String file = ref.substring(0, ref.lastIndexOf(':'));
        int line = Integer.parseInt(ref.substring(ref.lastIndexOf(':') + 1));
        assertThat(fileLines("test_ask_holmes__02_what_is_wrong_with_pod", file).get(line - 1)).contains("OOMKilled");
        // the NotFound describe in namespace default and the no-data log queries yield nothing
        assertThat(s.pods()).extracting(x -> x.getMetadata().getNamespace()).doesNotContain("default");
        assertThat(s.logs()).isEmpty();
    }

    @Test
    void crashingPodLogLineKeepsItsFileLineNumber() throws Exception {
        ClusterSnapshot s = read("test_ask_holmes__09_crashpod");
        List<ContainerLog> logs = s.logsFor("default", "payment-processing-worker-747ccfb9db-78qds");
        assertThat(logs).hasSize(1);
        ContainerLog log = logs.get(0);
        assertThat(log.container()).isEqualTo("payment-processing-container");
        assertThat(log.previous()).isFalse();
        LogLine line = log.lines().stream().filter(l -> l.text().contains("DEPLOY_ENV is undefined")).findFirst().orElseThrow();
        assertThat(line.text()).isEqualTo("Environment variable DEPLOY_ENV is undefined");
        assertThat(fileLines("test_ask_holmes__09_crashpod", "kubectl_logs.txt").get(line.number() - 1))
                .isEqualTo("Environment variable DEPLOY_ENV is undefined");
        assertThat(log.ref(line)).isEqualTo("kubectl_logs.txt:" + line.number());
        assertThat(log.lines()).hasSize(1);
        Pod p = pod(s, "default", "payment-processing-worker-747ccfb9db-78qds");
        assertThat(p.getMetadata().getOwnerReferences().get(0).getKind()).isEqualTo("ReplicaSet");
        assertThat(p.getMetadata().getOwnerReferences().get(0).getName()).isEqualTo("payment-processing-worker-747ccfb9db");
        ContainerStatus cs = p.getStatus().getContainerStatuses().get(0);
        assertThat(cs.getLastState().getTerminated().getReason()).isEqualTo("Completed");
        assertThat(cs.getLastState().getTerminated().getExitCode()).isZero();
        assertThat(p.getSpec().getContainers().get(0).getArgs()).hasSize(2);
        assertThat(p.getMetadata().getLabels()).containsEntry("pod-template-hash", "747ccfb9db");
    }

    @Test
    void pendingPodWithNodeSelector() throws Exception {
        ClusterSnapshot s = read("test_ask_holmes__13b_pending_node_selector_detailed");
        Pod p = pod(s, "app-13b", "user-profile-import");
        assertThat(p.getSpec().getNodeSelector()).containsEntry("label", "someLabel");
        assertThat(p.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(p.getSpec().getNodeName()).isNull();
        assertThat(p.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("PodScheduled");
            assertThat(c.getStatus()).isEqualTo("False");
        });
        Event e = s.eventsFor(p).stream().filter(x -> "FailedScheduling".equals(x.getReason())).findFirst().orElseThrow();
        assertThat(e.getMessage()).startsWith("0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.");
        assertThat(e.getSource().getComponent()).isEqualTo("default-scheduler");
        assertThat(s.nodes()).hasSize(2);
        assertThat(s.pods()).hasSize(1);
        assertThat(s.nodes()).allSatisfy(n -> assertThat(n.getMetadata().getLabels()).doesNotContainKey("label"));
        assertThat(s.nodes().get(0).getStatus().getConditions().get(0).getStatus()).isEqualTo("True");
        assertThat(s.ref(p, "spec.nodeSelector")).isEqualTo("kubectl_describe.txt:33");
    }

    @Test
    void pendingPvcWithMissingStorageClass() throws Exception {
        ClusterSnapshot s = read("test_ask_holmes__24b_misconfigured_pvc_detailed");
        assertThat(s.pvcs()).hasSize(1);
        PersistentVolumeClaim pvc = s.pvcs().get(0);
        assertThat(pvc.getMetadata().getNamespace()).isEqualTo("app-24b");
        assertThat(pvc.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(pvc.getSpec().getStorageClassName()).isEqualTo("standard-v2");
        List<Event> events = s.eventsFor(pvc);
        assertThat(events).isNotEmpty().allSatisfy(e -> {
            assertThat(e.getReason()).isEqualTo("ProvisioningFailed");
            assertThat(e.getMessage()).isEqualTo("storageclass.storage.k8s.io \"standard-v2\" not found");
        });
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.getCount()).isEqualTo(42);
            assertThat(s.ref(e, "count")).isEqualTo("kubectl_describe_persistentvolumeclaim_redis-standard-pvc_app-24b.txt:18");
        });
        Pod p = pod(s, "app-24b", "redis-747ffc844f-f9ghd");
        // the recorded search listed the pod under namespace "default": taken as the described pod, not a second one
        assertThat(s.pods()).hasSize(1);
        assertThat(p.getSpec().getVolumes()).anySatisfy(v ->
                assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("redis-standard-pvc"));
        assertThat(p.getSpec().getContainers().get(0).getPorts().get(0).getContainerPort()).isEqualTo(6379);
        assertThat(p.getSpec().getContainers().get(0).getResources().getRequests().get("cpu").toString()).isEqualTo("100m");
        assertThat(s.eventsFor(p)).anySatisfy(e -> assertThat(e.getMessage()).contains("unbound immediate PersistentVolumeClaims"));
    }

    @Test
    void imagePullBackOff() throws Exception {
        ClusterSnapshot s = read("test_investigate__04_image_pull_backoff");
        Pod p = pod(s, "default", "customer-relations-webapp-5d98ffcfd-tz4nc");
        ContainerStatus cs = p.getStatus().getContainerStatuses().get(0);
        assertThat(cs.getState().getWaiting().getReason()).isEqualTo("ErrImagePull");
        assertThat(cs.getImage()).isEqualTo("yourcompany/crw:latest");
        assertThat(s.eventsFor(p)).extracting(Event::getMessage)
                .contains("Error: ImagePullBackOff", "Error: ErrImagePull")
                .anySatisfy(m -> assertThat(m).startsWith("Failed to pull image \"yourcompany/crw:latest\": ")
                        .contains("pull access denied"));
        // "kubectl logs" failed: the error text is not a log
        assertThat(s.logs()).isEmpty();
        // the alert record repeats the pod's events with times; each event is kept once, citing the describe
        Event pullFailed = s.eventsFor(p).stream().filter(e -> e.getMessage().contains("pull access denied")).findFirst().orElseThrow();
        assertThat(s.eventsFor(p).stream().filter(e -> e.getMessage().contains("pull access denied"))).hasSize(1);
        assertThat(pullFailed.getCount()).isEqualTo(3);
        assertThat(s.ref(pullFailed, "message")).isEqualTo("kubectl_describe.txt:56");
    }
}
