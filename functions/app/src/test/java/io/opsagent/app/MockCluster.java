package io.opsagent.app;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Seeds fabric8's mock API server (CRUD mode) with a failing workload and points a kubeconfig context at it. */
public final class MockCluster {
    public static final String POD = "api-7d9f8c6b5-x2k4p";

    private MockCluster() {
    }

    /** Deployment shop/api with one crash-looping (OOMKilled) pod, and a Secret holding a password. */
    public static void seed(KubernetesClient client) {
        Pod pod = new PodBuilder().withNewMetadata().withName(POD).withNamespace("shop")
                .addToLabels("app", "api").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("shop/api:1.4.2")
                .addNewEnv().withName("DB_PASSWORD").withValue("hunter2-very-secret").endEnv()
                .withNewResources().addToLimits("memory", new Quantity("256Mi")).endResources()
                .endContainer().endSpec()
                .withNewStatus().withPhase("Running")
                .addNewContainerStatus().withName("app").withReady(false).withRestartCount(6)
                .withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
                .withNewLastState().withNewTerminated().withReason("OOMKilled").withExitCode(137)
                .withFinishedAt("2026-11-21T09:58:00Z").endTerminated().endLastState()
                .endContainerStatus().endStatus().build();
        client.pods().inNamespace("shop").resource(pod).create();
        client.apps().deployments().inNamespace("shop").resource(new DeploymentBuilder()
                .withNewMetadata().withName("api").withNamespace("shop").endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "api").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "api").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("shop/api:1.4.2").endContainer().endSpec()
                .endTemplate().endSpec()
                .withNewStatus().withReplicas(1).withUnavailableReplicas(1).endStatus().build()).create();
        client.secrets().inNamespace("shop").resource(new SecretBuilder().withNewMetadata().withName("db")
                .withNamespace("shop").endMetadata().addToStringData("password", "hunter2-very-secret").build()).create();
    }

    /** Writes a kubeconfig with context {@code mock} for {@code client}'s server and sets {@code -Dkubeconfig}. */
    public static Path kubeconfig(KubernetesClient client, Path dir) throws IOException {
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: %s
                    insecure-skip-tls-verify: true
                contexts:
                - name: mock
                  context: {cluster: mock, user: mock}
                current-context: mock
                users:
                - name: mock
                  user: {token: test-token}
                """.formatted(client.getConfiguration().getMasterUrl()));
        System.setProperty("kubeconfig", kubeconfig.toString());
        return kubeconfig;
    }
}
