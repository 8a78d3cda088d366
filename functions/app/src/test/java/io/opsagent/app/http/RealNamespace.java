package io.opsagent.app.http;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.opsagent.adapters.kubernetes.real.LocalCluster;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A namespace of its own on the real API server for one test class ({@code @RegisterExtension static}): made before
 * the class's tests as {@link LocalCluster#actionsNamespace} makes it (a Deployment {@code web}, the product's identity,
 * {@code edit} for bob and carol) and taken away after them, with the admin client closed.
 */
final class RealNamespace implements BeforeAllCallback, AfterAllCallback {
    private final String name;
    private final int replicas;
    private KubernetesClient admin;

    RealNamespace(String prefix, int replicas) {
        this.name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.replicas = replicas;
    }

    String name() {
        return name;
    }

    /** The cluster admin's client (system:masters), open while the class runs. */
    KubernetesClient admin() {
        return admin;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        admin = LocalCluster.get().client("admin");
        LocalCluster.actionsNamespace(admin, name, replicas);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (admin == null) return;
        LocalCluster.removeActionsNamespace(admin, name);
        admin.close();
        System.clearProperty("kubeconfig");
    }
}
