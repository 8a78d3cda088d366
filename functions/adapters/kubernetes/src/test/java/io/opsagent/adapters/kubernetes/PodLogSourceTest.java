package io.opsagent.adapters.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.opsagent.core.cluster.ContainerLog;
import io.opsagent.core.logs.search.LogQuery;
import io.opsagent.core.logs.search.LogSearch;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Logs are not served by the CRUD mock: expectations (non-CRUD mode) answer the log endpoint. */
@EnableKubernetesMockClient
class PodLogSourceTest {

    KubernetesMockServer server;
    KubernetesClient client;

    static Pod pod(String name, int restarts) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("shop").endMetadata()
                .withNewSpec().addNewContainer().withName("app").endContainer().endSpec()
                .withNewStatus().addNewContainerStatus().withName("app").withRestartCount(restarts).withReady(restarts == 0)
                .endContainerStatus().endStatus().build();
    }

    @BeforeEach
    void expectations() {
        server.expect().get().withPath("/api/v1/namespaces/shop/pods")
                .andReturn(200, new PodListBuilder().withItems(pod("web-7d9f8c6b5-abcde", 1), pod("db-0", 0)).build())
                .always();
    }

    PodLogSource source(PodLogSource.Limits limits) {
        return new PodLogSource(client, "shop", limits);
    }

    @Test
    void readsCurrentAndPreviousLogsWithLineRefs() {
        server.expect().get().withPath("/api/v1/namespaces/shop/pods/web-7d9f8c6b5-abcde/log?pretty=false&container=app&tailLines=2000&limitBytes=1048576")
                .andReturn(200, "starting\nERROR pool exhausted\n").always();
        server.expect().get().withPath("/api/v1/namespaces/shop/pods/web-7d9f8c6b5-abcde/log?pretty=false&container=app&previous=true&tailLines=2000")
                .andReturn(200, "java.lang.OutOfMemoryError: Java heap space\n").always();

        List<ContainerLog> logs = source(PodLogSource.Limits.DEFAULT)
                .logs(LogQuery.builder().workload("web").build()).toList();

        assertThat(logs).extracting(ContainerLog::previous).containsExactly(false, true);
        ContainerLog current = logs.get(0);
        assertThat(current.lines()).extracting(l -> l.text()).containsExactly("starting", "ERROR pool exhausted");
        assertThat(current.ref(current.lines().get(1)))
                .isEqualTo("api:/api/v1/namespaces/shop/pods/web-7d9f8c6b5-abcde/log?container=app:2");
        assertThat(logs.get(1).file()).endsWith("?container=app&previous=true");
        assertThat(server.getRequestCount()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aNotReadyPodsLogIsOneRequestWithoutWaitingForThePodToBecomeReady() throws Exception {
        server.expect().get().withPath("/api/v1/namespaces/shop/pods/web-7d9f8c6b5-abcde/log?pretty=false&container=app&tailLines=2000&limitBytes=1048576")
                .andReturn(200, "ERROR pool exhausted\n").always();
        server.expect().get().withPath("/api/v1/namespaces/shop/pods/web-7d9f8c6b5-abcde/log?pretty=false&container=app&previous=true&tailLines=2000")
                .andReturn(200, "OOM\n").always();
        while (server.takeRequest(10, TimeUnit.MILLISECONDS) != null) {
            // what came before
        }
        List<ContainerLog> logs = source(PodLogSource.Limits.DEFAULT)
                .logsOf(pod("web-7d9f8c6b5-abcde", 1), LogQuery.builder().build(), 10);
        assertThat(logs).extracting(l -> l.lines().get(0).text()).containsExactly("ERROR pool exhausted", "OOM");
        List<String> paths = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(300, TimeUnit.MILLISECONDS)) != null) {
            paths.add(r.getPath());
        }
        assertThat(paths).as("the two log reads only: no list or watch of the pod first").hasSize(2)
                .allSatisfy(p -> assertThat(p).contains("/log?"));
    }

    @Test
    void sinceTimeAndTailAreSentAndSearchFindsTheLine() {
        server.expect().get().withPath("/api/v1/namespaces/shop/pods/db-0/log?pretty=false&container=app&sinceTime=2026-11-21T10:00:00Z&tailLines=5&limitBytes=100&timestamps=true")
                .andReturn(200, "2026-11-21T10:00:01.000000001Z ok\n2026-11-21T10:00:02.5Z FATAL disk full\n2026-11-21T10:00:03Z ok\n").always();
        PodLogSource src = source(new PodLogSource.Limits(5, 100, 10));

        var result = LogSearch.search(src, LogQuery.builder().pod("db-0").keywords("disk")
                .from(Instant.parse("2026-11-21T10:00:00Z")).build());

        assertThat(result.totalMatches()).isEqualTo(1);
        assertThat(result.render()).contains("FATAL disk full").contains("api:/api/v1/namespaces/shop/pods/db-0/log?container=app:2");
    }

    @Test
    void logsAreCutAtTheByteLimit() {
        server.expect().get().withPath("/api/v1/namespaces/shop/pods/db-0/log?pretty=false&container=app&tailLines=5&limitBytes=10")
                .andReturn(200, "0123456789abcdef\nmore\n").always();

        List<ContainerLog> logs = source(new PodLogSource.Limits(5, 10, 10))
                .logs(LogQuery.builder().pod("db-0").build()).toList();

        assertThat(logs).hasSize(1);
        assertThat(logs.get(0).lines()).extracting(l -> l.text()).containsExactly("0123456789");
    }

    @Test
    void readerAttachesTheLogsOfUnhealthyPodsOnly() throws Exception {
        server.expect().get().withPath("/api/v1/namespaces/shop/pods/web-7d9f8c6b5-abcde/log?pretty=false&container=app&tailLines=2000&limitBytes=1048576")
                .andReturn(200, "starting\n").always();
        server.expect().get().withPath("/api/v1/namespaces/shop/pods/web-7d9f8c6b5-abcde/log?pretty=false&container=app&previous=true&tailLines=2000")
                .andReturn(200, "java.lang.OutOfMemoryError: Java heap space\n").always();
        LiveClusterReader reader = new LiveClusterReader(client, "mock", source(PodLogSource.Limits.DEFAULT));

        io.opsagent.core.cluster.ClusterSnapshot s = reader.read("shop");

        assertThat(s.pods()).hasSize(2);
        assertThat(s.logs()).extracting(ContainerLog::pod).containsOnly("web-7d9f8c6b5-abcde");
        assertThat(s.logsFor("shop", "web-7d9f8c6b5-abcde", "app")).extracting(ContainerLog::previous)
                .containsExactly(false, true);
        assertThat(s.logs().get(1).lines().get(0).text()).contains("OutOfMemoryError");
        int requests = server.getRequestCount();
        java.util.List<String> paths = new java.util.ArrayList<>();
        for (int i = 0; i < requests; i++) {
            paths.add(server.takeRequest().getPath());
        }
        assertThat(paths).noneMatch(p -> p.contains("/pods/db-0/log"));
    }
}
