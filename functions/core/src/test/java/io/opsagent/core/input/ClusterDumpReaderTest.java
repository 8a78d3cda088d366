package io.opsagent.core.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.cluster.ContainerLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterDumpReaderTest {

    @TempDir
    Path dir;

    private void write(String rel, String content) throws IOException {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    private void minimalDump() throws IOException {
        write("nodes.json", """
                {"kind":"NodeList","apiVersion":"v1","items":[{"metadata":{"name":"node-a"},
                 "status":{"conditions":[{"type":"Ready","status":"True"}]}}]}""");
        write("shop/pods.json", """
                {"kind":"PodList","apiVersion":"v1","items":[
                 {"metadata":{"name":"web-1","namespace":"shop"},"status":{"phase":"Running"}},
                 {"metadata":{"name":"api-1","namespace":"shop"},"status":{"phase":"Running",
                  "containerStatuses":[{"name":"app","restartCount":4,
                   "lastState":{"terminated":{"reason":"OOMKilled","exitCode":137}}}]}}]}""");
        write("shop/events.json", """
                {"kind":"EventList","items":[{"metadata":{"name":"api-1.1","namespace":"shop"},
                 "involvedObject":{"kind":"Pod","namespace":"shop","name":"api-1"},
                 "reason":"BackOff","type":"Warning","count":7,"message":"Back-off restarting failed container"}]}""");
        write("shop/secrets.json", """
                {"kind":"SecretList","items":[{"metadata":{"name":"db","namespace":"shop",
                 "annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\\"data\\":{\\"password\\":\\"aHVudGVyMg==\\"}}"}},
                 "type":"Opaque","data":{"password":"aHVudGVyMg=="},"stringData":{"token":"plain-token"}}]}""");
        write("shop/ingresses.json", """
                {"kind":"IngressList","items":[{"metadata":{"name":"ing","namespace":"shop"}}]}""");
        write("shop/api-1/logs.txt", """
                ==== START logs for container migrate of pod shop/api-1 ====
                migration done
                ==== END logs for container migrate of pod shop/api-1 ====
                ==== START logs for container app of pod shop/api-1 ====
                starting
                java.lang.OutOfMemoryError: Java heap space
                ==== END logs for container app of pod shop/api-1 ====
                """);
    }

    @Test
    void readsObjectsWithCitableOrigins() throws Exception {
        minimalDump();
        ClusterSnapshot s = new ClusterDumpReader().read(dir);
        assertThat(s.nodes()).hasSize(1);
        assertThat(s.pods()).extracting(p -> p.getMetadata().getName()).containsExactly("web-1", "api-1");
        Pod api = s.pods().get(1);
        assertThat(api.getKind()).isEqualTo("Pod");
        assertThat(api.getStatus().getContainerStatuses().get(0).getLastState().getTerminated().getReason())
                .isEqualTo("OOMKilled");
        assertThat(s.ref(api, "status.containerStatuses[0].lastState.terminated.reason"))
                .isEqualTo("shop/pods.json:items[1].status.containerStatuses[0].lastState.terminated.reason");
        assertThat(s.eventsFor(api)).singleElement().satisfies(e -> {
            assertThat(e.getCount()).isEqualTo(7);
            assertThat(s.ref(e, "message")).isEqualTo("shop/events.json:items[0].message");
        });
    }

    @Test
    void readsEveryContainerLogWithFileLineNumbers() throws Exception {
        minimalDump();
        ClusterSnapshot s = new ClusterDumpReader().read(dir);
        assertThat(s.logsFor("shop", "api-1")).extracting(ContainerLog::container).containsExactly("migrate", "app");
        ContainerLog app = s.logsFor("shop", "api-1", "app").get(0);
        assertThat(app.lines()).hasSize(2);
        assertThat(app.ref(app.lines().get(1))).isEqualTo("shop/api-1/logs.txt:6");
        assertThat(app.lines().get(1).text()).isEqualTo("java.lang.OutOfMemoryError: Java heap space");
    }

    @Test
    void secretValuesNeverEnterTheSnapshot() throws Exception {
        minimalDump();
        ClusterSnapshot s = new ClusterDumpReader().read(dir);
        assertThat(s.secrets()).singleElement().satisfies(sec -> {
            assertThat(sec.getData()).containsOnlyKeys("password", "token").allSatisfy((k, v) -> assertThat(v).isEmpty());
            assertThat(sec.getStringData()).isNullOrEmpty();
            assertThat(sec.getMetadata().getAnnotations()).doesNotContainKey("kubectl.kubernetes.io/last-applied-configuration");
            assertThat(sec.toString()).doesNotContain("aHVudGVyMg==").doesNotContain("plain-token");
        });
    }

    @Test
    void namespaceFilterAndUnknownListsAreAccepted() throws Exception {
        minimalDump();
        write("other/pods.json", "{\"kind\":\"PodList\",\"items\":[{\"metadata\":{\"name\":\"x\",\"namespace\":\"other\"}}]}");
        ClusterSnapshot s = new ClusterDumpReader().read(dir, "shop");
        assertThat(s.pods()).noneMatch(p -> p.getMetadata().getNamespace().equals("other"));
        assertThat(s.nodes()).hasSize(1);
        assertThatThrownBy(() -> new ClusterDumpReader().read(dir, "nope"))
                .isInstanceOf(InputException.class).hasMessageContaining("namespace 'nope' is not in this dump");
    }

    @Test
    void malformedJsonNamesTheFileAndLine() throws Exception {
        minimalDump();
        write("shop/deployments.json", "{\"kind\":\"DeploymentList\",\n\"items\":[{\"metadata\":}]}");
        assertThatThrownBy(() -> new ClusterDumpReader().read(dir))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("shop/deployments.json")
                .hasMessageContaining("malformed JSON at line 2");
    }

    @Test
    void notAListAndWrongTypeAreClearErrors() throws Exception {
        write("shop/pods.json", "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"x\"}}");
        assertThatThrownBy(() -> new ClusterDumpReader().read(dir))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("shop/pods.json").hasMessageContaining("\"items\" array");
        write("shop/pods.json", "{\"kind\":\"PodList\",\"items\":[{\"metadata\":{\"name\":\"x\"},\"spec\":{\"containers\":\"oops\"}}]}");
        assertThatThrownBy(() -> new ClusterDumpReader().read(dir))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("shop/pods.json: items[0] is not a valid Pod");
    }

    @Test
    void missingOrEmptyDirectoryIsBadInput() throws Exception {
        assertThatThrownBy(() -> new ClusterDumpReader().read(dir.resolve("absent")))
                .isInstanceOf(InputException.class).hasMessageContaining("directory does not exist");
        assertThatThrownBy(() -> new ClusterDumpReader().read(dir))
                .isInstanceOf(InputException.class).hasMessageContaining("no cluster dump found");
        Path file = dir.resolve("f.txt");
        Files.writeString(file, "x");
        assertThatThrownBy(() -> new ClusterDumpReader().read(file))
                .isInstanceOf(InputException.class).hasMessageContaining("is not a directory");
    }
}
