package io.opsagent.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.opsagent.app.MockCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ask --context}: the same agent on a live cluster (fabric8's mock API server), through a kubeconfig. */
@EnableKubernetesMockClient(crud = true)
class AskLiveClusterTest {
    KubernetesClient client;

    @TempDir
    Path tmp;

    @AfterEach
    void forgetKubeconfig() {
        System.clearProperty("kubeconfig");
    }

    @Test
    void answersFromTheLiveClusterCitingTheApi() throws Exception {
        MockCluster.seed(client);
        MockCluster.kubeconfig(client, tmp);

        Cli.Run r = Cli.run("ask", "--context", "mock", "--in-memory", "-w", "shop/api", "why is it failing?");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("OOMKilled").contains("[api:/api/v1/namespaces/shop/pods/api-7d9f8c6b5-x2k4p:");
        assertThat(r.err()).contains("→ diagnose");
    }

    @Test
    void upOnAContextShowsTheLiveClusterAndItsLogSource() throws Exception {
        MockCluster.kubeconfig(client, tmp);
        Cli.Run r = Cli.run(java.util.Map.of("OPSAGENT_KUBE_CONTEXT", "mock", "OPSAGENT_IMPERSONATE", "yes"),
                "up", "--show-config", "-n", "shop");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("OPSAGENT_KUBE_CONTEXT=mock  (environment)").contains("OPSAGENT_NAMESPACE=shop  (--namespace)")
                .contains("cluster: context mock (live, namespace shop, calls impersonate the asking user)")
                .contains("logs:    Kubernetes API pod logs");
    }

    @Test
    void anUnknownContextIsBadInput() throws Exception {
        Path kubeconfig = tmp.resolve("empty");
        Files.writeString(kubeconfig, "apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n");
        System.setProperty("kubeconfig", kubeconfig.toString());
        Cli.Run r = Cli.run("ask", "--context", "nope", "--in-memory", "-w", "shop/api", "why?");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("kubeconfig context 'nope' not found");
    }
}
