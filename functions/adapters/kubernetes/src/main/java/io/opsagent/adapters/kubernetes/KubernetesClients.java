package io.opsagent.adapters.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.OAuthTokenProvider;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.Cluster;

/**
 * Builds fabric8 clients: locally from a kubeconfig context, in AWS for an EKS cluster. Either may impersonate an
 * end user.
 */
public final class KubernetesClients {

    private KubernetesClients() {
    }

    /** The context of the local cluster ({@code ./opsagent cluster up}). */
    public static final String LOCAL_CONTEXT = "opsagent-local";

    /**
     * A client for a kubeconfig context ({@code KUBECONFIG} or {@code ~/.kube/config}; for {@value #LOCAL_CONTEXT}
     * when those do not have it, the local cluster's own kubeconfig: {@link #localKubeconfig()}).
     *
     * @param context the context name, or null for the current context
     * @param as      the user to impersonate, or null
     */
    public static KubernetesClient fromKubeconfig(String context, Impersonation as) {
        return build(config(context), as);
    }

    /**
     * The configuration of a kubeconfig context; a new one per call (callers may change it).
     *
     * @throws IllegalArgumentException naming the context and where it was looked for when it is not there
     */
    public static Config config(String context) {
        Config config = Config.autoConfigure(context);
        if (context == null || found(config, context)) return config;
        java.nio.file.Path local = localKubeconfig();
        if (LOCAL_CONTEXT.equals(context)) {
            if (!java.nio.file.Files.isRegularFile(local)) {
                throw new IllegalArgumentException("kubeconfig context '" + context + "' not found: the local cluster"
                        + " has no kubeconfig at " + local + " yet; start it with: ./opsagent cluster up");
            }
            config = Config.fromKubeconfig(context, local.toFile());
            if (found(config, context)) return config;
        }
        // fabric8 falls back to in-cluster defaults for an unknown context; a user asking for one wants an error
        throw new IllegalArgumentException("kubeconfig context '" + context + "' not found (looked in "
                + System.getProperty("kubeconfig", System.getenv().getOrDefault("KUBECONFIG", "~/.kube/config"))
                + "); kubectl config get-contexts lists the ones there");
    }

    private static boolean found(Config config, String context) {
        return config.getCurrentContext() != null && context.equals(config.getCurrentContext().getName());
    }

    /**
     * Where {@code ./opsagent cluster up} writes the local cluster's kubeconfig: {@code OPSAGENT_CLUSTER_DIR}, else
     * {@code $OPSAGENT_DATA_DIR/cluster}, else {@code ~/.opsagent/data/cluster}, then {@code /kubeconfig}.
     */
    public static java.nio.file.Path localKubeconfig() {
        String dir = System.getenv("OPSAGENT_CLUSTER_DIR");
        if (dir == null || dir.isBlank()) {
            return io.opsagent.core.util.DataDirs.defaultDataDir().resolve("cluster").resolve("kubeconfig");
        }
        return java.nio.file.Path.of(dir).resolve("kubeconfig");
    }

    /**
     * The configuration for an EKS cluster: endpoint and CA from {@code eks:DescribeCluster}, bearer tokens from
     * {@code tokens} (e.g. {@link EksTokenGenerator#tokenProvider}).
     *
     * @throws IllegalStateException naming the cluster when it has no endpoint or CA yet (e.g. still CREATING)
     */
    public static Config eksConfig(EksClient eks, String clusterName, OAuthTokenProvider tokens) {
        Cluster cluster = eks.describeCluster(r -> r.name(clusterName)).cluster();
        if (cluster.endpoint() == null || cluster.certificateAuthority() == null
                || cluster.certificateAuthority().data() == null) {
            throw new IllegalStateException("EKS cluster " + clusterName + " has no endpoint or certificate authority"
                    + " yet (status " + cluster.statusAsString() + ")");
        }
        Config config = Config.empty();
        config.setMasterUrl(cluster.endpoint());
        config.setCaCertData(cluster.certificateAuthority().data());
        config.setOauthTokenProvider(tokens);
        return config;
    }

    /** A client for an EKS cluster; see {@link #eksConfig}. */
    public static KubernetesClient forEks(EksClient eks, String clusterName, OAuthTokenProvider tokens,
                                          Impersonation as) {
        return build(eksConfig(eks, clusterName, tokens), as);
    }

    /** A client for {@code config}, impersonating {@code as} when not null. */
    public static KubernetesClient build(Config config, Impersonation as) {
        if (as != null) {
            as.applyTo(config);
        }
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
