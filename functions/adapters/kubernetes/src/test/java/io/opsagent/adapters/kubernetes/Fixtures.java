package io.opsagent.adapters.kubernetes;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/** Seeds a mock cluster with a broken workload: deployment web whose pod was OOMKilled. */
final class Fixtures {
    static final String NS = "shop";

    private Fixtures() {
    }

    static void seed(KubernetesClient client) {
        String uid = client.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder()
                .withNewMetadata().withName("web").withNamespace(NS).withUid("dep-uid")
                .addToAnnotations("deployment.kubernetes.io/revision", "2").endMetadata()
                .withNewSpec().withReplicas(2)
                .withNewSelector().addToMatchLabels("app", "web").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("shop/web:2.0")
                .withNewResources().addToLimits("memory", new io.fabric8.kubernetes.api.model.Quantity("64Mi"))
                .endResources().endContainer().endSpec().endTemplate().endSpec()
                .build()).create().getMetadata().getUid();
        for (int rev = 1; rev <= 2; rev++) {
            client.apps().replicaSets().inNamespace(NS).resource(new ReplicaSetBuilder()
                    .withNewMetadata().withName("web-rs" + rev).withNamespace(NS)
                    .addToAnnotations("deployment.kubernetes.io/revision", String.valueOf(rev))
                    .addNewOwnerReference().withKind("Deployment").withName("web").withUid(uid)
                    .withApiVersion("apps/v1").endOwnerReference().endMetadata()
                    .withNewSpec().withReplicas(rev == 2 ? 2 : 0)
                    .withNewSelector().addToMatchLabels("app", "web").endSelector()
                    .withNewTemplate().withNewMetadata().addToLabels("app", "web")
                    .addToLabels("pod-template-hash", "h" + rev).endMetadata()
                    .withNewSpec().addNewContainer().withName("app").withImage("shop/web:" + rev + ".0")
                    .endContainer().endSpec().endTemplate().endSpec().build()).create();
        }
        client.pods().inNamespace(NS).resource(new PodBuilder()
                .withNewMetadata().withName("web-7d9f8c6b5-abcde").withNamespace(NS).addToLabels("app", "web")
                .addNewOwnerReference().withKind("ReplicaSet").withName("web-rs2").withUid("rs2")
                .withApiVersion("apps/v1").endOwnerReference().endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("shop/web:2.0")
                .withNewResources().addToLimits("memory", new io.fabric8.kubernetes.api.model.Quantity("64Mi"))
                .endResources().endContainer().endSpec()
                .withNewStatus().withPhase("Running")
                .addNewContainerStatus().withName("app").withRestartCount(5).withReady(false)
                .withImage("shop/web:2.0")
                .withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
                .withNewLastState().withNewTerminated().withReason("OOMKilled").withExitCode(137).endTerminated()
                .endLastState().endContainerStatus().endStatus()
                .build()).create();
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder()
                .withNewMetadata().withName("web-config").withNamespace(NS).endMetadata()
                .addToData("LOG_LEVEL", "info").addToData("POOL", "10").build()).create();
        client.secrets().inNamespace(NS).resource(new SecretBuilder()
                .withNewMetadata().withName("db").withNamespace(NS).endMetadata()
                .withData(Map.of("password", "c3VwZXItc2VjcmV0LXZhbHVl")).build()).create();
        client.secrets().inNamespace("other").resource(new SecretBuilder()
                .withNewMetadata().withName("elsewhere").withNamespace("other").endMetadata()
                .withStringData(Map.of("token", "plain-token-value")).build()).create();
    }
}
