package io.opsagent.core.input.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.opsagent.core.cluster.ClusterSnapshot;
import org.junit.jupiter.api.Test;

/** kubectl get tables: pods (-o wide, -A, --show-labels), events (-A), nodes. */
class TablesTest {

    private static Pod pod(ClusterSnapshot s, String name) {
        return s.pods().stream().filter(p -> p.getMetadata().getName().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void podRowsBecomeMinimalPods() throws Exception {
        ClusterSnapshot s = Evidence.read("tables");
        assertThat(s.pods()).hasSize(5);
        Pod api = pod(s, "api-6b7d9f8c5-2x7kq");
        assertThat(api.getMetadata().getNamespace()).isEqualTo("payments");
        assertThat(api.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(api.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason()).isEqualTo("CreateContainerConfigError");
        assertThat(api.getSpec().getNodeName()).isEqualTo("node-a");
        assertThat(api.getMetadata().getLabels()).containsEntry("app", "api");
        Pod worker = pod(s, "worker-0");
        assertThat(worker.getStatus().getPhase()).isEqualTo("Running");
        assertThat(worker.getStatus().getContainerStatuses().get(0).getRestartCount()).isEqualTo(3);
        assertThat(worker.getStatus().getContainerStatuses().get(0).getReady()).isTrue();
        assertThat(pod(s, "migrate-db-x8k2p").getStatus().getPhase()).isEqualTo("Failed");
        assertThat(pod(s, "migrate-db-x8k2p").getStatus().getContainerStatuses().get(0).getState().getTerminated().getReason()).isEqualTo("Error");
        Pod frontend = pod(s, "frontend-7c9d8b6f4-k2j3h");
        assertThat(frontend.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(frontend.getStatus().getInitContainerStatuses().get(0).getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
        Pod cache = pod(s, "cache-5f6d7c8b9-zzzzz");
        assertThat(cache.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(cache.getSpec().getNodeName()).isNull();
        assertThat(s.ref(cache, "status.phase")).isEqualTo("get-pods-all.txt:6");
    }

    @Test
    void eventRowsWithNamespaceColumn() throws Exception {
        ClusterSnapshot s = Evidence.read("tables");
        Event failed = s.eventsFor("Pod", "payments", "api-6b7d9f8c5-2x7kq").get(0);
        assertThat(failed.getType()).isEqualTo("Warning");
        assertThat(failed.getReason()).isEqualTo("Failed");
        assertThat(failed.getMessage()).isEqualTo("Error: secret \"api-credentials\" not found");
        assertThat(s.ref(failed, "message")).isEqualTo("get-events-all.txt:2");
        Event sched = s.eventsFor("Pod", "web", "cache-5f6d7c8b9-zzzzz").get(0);
        assertThat(sched.getMessage()).startsWith("0/3 nodes are available: 3 Insufficient memory.");
        Event nodeEvent = s.eventsFor("Node", null, "node-c").get(0);
        assertThat(nodeEvent.getReason()).isEqualTo("NodeNotReady");
        assertThat(nodeEvent.getInvolvedObject().getNamespace()).isNull();
    }

    @Test
    void nodeRowsGiveReadyAndSchedulingDisabled() throws Exception {
        ClusterSnapshot s = Evidence.read("tables");
        assertThat(s.nodes()).hasSize(3);
        Node b = s.nodes().stream().filter(n -> n.getMetadata().getName().equals("node-b")).findFirst().orElseThrow();
        assertThat(b.getSpec().getUnschedulable()).isTrue();
        assertThat(b.getStatus().getConditions().get(0).getStatus()).isEqualTo("True");
        Node c = s.nodes().stream().filter(n -> n.getMetadata().getName().equals("node-c")).findFirst().orElseThrow();
        assertThat(c.getStatus().getConditions()).singleElement().satisfies(x -> {
            assertThat(x.getType()).isEqualTo("Ready");
            assertThat(x.getStatus()).isEqualTo("False");
        });
    }

    @Test
    void tableRowDoesNotOverwriteDescribe() throws Exception {
        ClusterSnapshot s = new TextEvidenceReader().readText("pasted.txt", """
                $ kubectl get pods -n shop
                NAME      READY   STATUS             RESTARTS      AGE
                web-1     0/1     CrashLoopBackOff   4 (1m ago)    5m

                $ kubectl describe pod web-1 -n shop
                Name:             web-1
                Namespace:        shop
                Node:             node-a/10.0.0.1
                Status:           Running
                IP:               10.0.0.9
                Containers:
                  web:
                    Image:          nginx:1.27
                    State:          Waiting
                      Reason:       CrashLoopBackOff
                    Last State:     Terminated
                      Reason:       Error
                      Exit Code:    1
                    Ready:          False
                    Restart Count:  4
                QoS Class:        BestEffort
                Events:           <none>
                """);
        assertThat(s.pods()).singleElement().satisfies(p -> {
            assertThat(p.getStatus().getContainerStatuses()).singleElement().satisfies(cs -> {
                assertThat(cs.getName()).isEqualTo("web");
                assertThat(cs.getLastState().getTerminated().getExitCode()).isEqualTo(1);
            });
            assertThat(p.getSpec().getNodeName()).isEqualTo("node-a");
            assertThat(p.getStatus().getPodIP()).isEqualTo("10.0.0.9");
        });
        assertThat(s.ref(s.pods().get(0), "status.containerStatuses[0].restartCount")).isEqualTo("pasted.txt:20");
    }

    @Test
    void getAllPrintsOneTablePerKindWithKindPrefixedNames() throws Exception {
        ClusterSnapshot s = new TextEvidenceReader().readText("all.txt", """
                $ kubectl get all -n shop
                NAME                         READY   STATUS    RESTARTS   AGE
                pod/cart-7d4b9c8f6-abcde     0/1     Pending   0          3m
                pod/db-0                     1/1     Running   0          2d

                NAME           TYPE        CLUSTER-IP      EXTERNAL-IP   PORT(S)    AGE
                service/cart   ClusterIP   172.20.10.11    <none>        80/TCP     2d

                NAME                   READY   UP-TO-DATE   AVAILABLE   AGE
                deployment.apps/cart   0/1     1            0           2d

                NAME                              DESIRED   CURRENT   READY   AGE
                replicaset.apps/cart-7d4b9c8f6    1         1         0       3m

                NAME                  READY   AGE
                statefulset.apps/db   1/1     2d
                """);
        assertThat(s.pods()).extracting(p -> p.getMetadata().getName()).containsExactly("cart-7d4b9c8f6-abcde", "db-0");
        assertThat(s.services()).singleElement().satisfies(x -> assertThat(x.getSpec().getType()).isEqualTo("ClusterIP"));
        assertThat(s.deployments()).singleElement().satisfies(d -> {
            assertThat(d.getSpec().getReplicas()).isEqualTo(1);
            assertThat(d.getStatus().getAvailableReplicas()).isZero();
        });
        assertThat(s.replicaSets()).singleElement().satisfies(r -> assertThat(r.getStatus().getReadyReplicas()).isZero());
        assertThat(s.statefulSets()).singleElement().satisfies(x -> assertThat(x.getStatus().getReadyReplicas()).isEqualTo(1));
        assertThat(s.pods()).allSatisfy(p -> assertThat(p.getMetadata().getNamespace()).isEqualTo("shop"));
    }

    @Test
    void largeTableReadsQuickly() throws Exception {
        StringBuilder sb = new StringBuilder("NAMESPACE   NAME            READY   STATUS    RESTARTS   AGE\n");
        for (int i = 0; i < 5000; i++) {
            sb.append(String.format("ns-%-7d  app-%05d-abcde  1/1     Running   0          1d%n", i % 50, i));
        }
        long start = System.nanoTime();
        ClusterSnapshot s = new TextEvidenceReader().readText("big.txt", sb.toString());
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(s.pods()).hasSize(5000);
        assertThat(millis).as("ms to read 5000 rows").isLessThan(5000);
    }

    @Test
    void topAndCustomColumnsTablesGiveNoObjects() throws Exception {
        TextEvidenceReader reader = new TextEvidenceReader();
        ClusterSnapshot s = reader.readText("top.txt", """
                $ kubectl top pods -n shop
                NAME          CPU(cores)   MEMORY(bytes)
                api-1         250m         480Mi

                $ kubectl get pods -n shop -o custom-columns=NAME:.metadata.name,NODE:.spec.nodeName
                NAME    NODE
                api-1   node-a

                $ kubectl get pods -n shop
                NAME    READY   STATUS    RESTARTS   AGE
                api-1   1/1     Running   0          1d
                """);
        assertThat(s.pods()).singleElement().satisfies(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Running"));
        assertThat(reader.skipped()).extracting(SkippedInput::line).contains(6);
    }
}
