package io.opsagent.core.input.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.opsagent.core.cluster.ClusterSnapshot;
import org.junit.jupiter.api.Test;

/** kubectl get -o yaml / -o json: single objects, multi-document YAML, JSON Lists. */
class ManifestTest {

    @Test
    void deploymentYamlWithFieldLines() throws Exception {
        ClusterSnapshot s = Evidence.read("yaml");
        Deployment d = s.deployments().get(0);
        assertThat(d.getMetadata().getName()).isEqualTo("orders");
        assertThat(d.getStatus().getConditions()).anySatisfy(c -> assertThat(c.getReason()).isEqualTo("ProgressDeadlineExceeded"));
        assertThat(s.ref(d, "status.conditions[1].reason")).isEqualTo("deployment.yaml:37");
        assertThat(Evidence.lineAt("yaml", s.ref(d, "status.conditions[1].message"))).contains("has timed out progressing");
        assertThat(s.ref(d, "")).isEqualTo("deployment.yaml:1");
    }

    @Test
    void multiDocumentYamlGivesEveryObjectWithItsOwnLines() throws Exception {
        ClusterSnapshot s = Evidence.read("yaml");
        assertThat(s.services()).extracting(x -> x.getMetadata().getName()).containsExactly("orders");
        Pod p = s.pods().get(0);
        assertThat(p.getStatus().getContainerStatuses().get(0).getLastState().getTerminated().getReason()).isEqualTo("OOMKilled");
        assertThat(Evidence.lineAt("yaml", s.ref(p, "status.containerStatuses[0].lastState.terminated.exitCode")))
                .contains("exitCode: 137");
        assertThat(Evidence.lineAt("yaml", s.ref(s.services().get(0), "spec.selector"))).contains("selector:");
    }

    @Test
    void secretValuesNeverEnterTheSnapshot() throws Exception {
        ClusterSnapshot s = Evidence.read("yaml");
        Secret secret = s.secrets().get(0);
        assertThat(secret.getData()).containsOnlyKeys("password", "username").allSatisfy((k, v) -> assertThat(v).isEmpty());
        assertThat(secret.getMetadata().getAnnotations()).doesNotContainKey("kubectl.kubernetes.io/last-applied-configuration");
        String all = ManifestReader.MAPPER.writeValueAsString(s.objects().toList())
                + ManifestReader.MAPPER.writeValueAsString(s.events());
        assertThat(all).doesNotContain("c3VwZXJzZWNyZXQ=").doesNotContain("b3JkZXJz");
    }

    @Test
    void jsonListWithEndpointsAndEvents() throws Exception {
        ClusterSnapshot s = Evidence.read("yaml");
        assertThat(s.endpoints()).singleElement().satisfies(e -> assertThat(e.getSubsets()).isEmpty());
        assertThat(s.eventsFor("Pod", "shop", "orders-6f7d8c9b5-h2k4d")).singleElement()
                .satisfies(e -> assertThat(e.getCount()).isEqualTo(42));
        assertThat(Evidence.lineAt("yaml", s.ref(s.events().get(0), "reason"))).contains("\"reason\": \"BackOff\"");
    }

    @Test
    void pastedJsonObjectAfterCommandLine() throws Exception {
        ClusterSnapshot s = new TextEvidenceReader().readText("chat", """
                $ kubectl get pod api-0 -n prod -o json
                {
                  "apiVersion": "v1",
                  "kind": "Pod",
                  "metadata": {"name": "api-0", "namespace": "prod"},
                  "status": {"phase": "Failed", "reason": "Evicted",
                             "message": "The node was low on resource: memory."}
                }
                """);
        Pod p = s.pods().get(0);
        assertThat(p.getStatus().getReason()).isEqualTo("Evicted");
        assertThat(s.ref(p, "status.reason")).isEqualTo("chat:6");
    }
}
