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

    /**
     * A client for a kubeconfig context ({@code KUBECONFIG} or {@code ~/.kube/config}).
     *
     * @param context the context name, or null for the current context
     * @param as      the user to impersonate, or null
     */
    public static KubernetesClient fromKubeconfig(String context, Impersonation as) {
        Config config = Config.autoConfigure(context);
        // fabric8 falls back to in-cluster defaults for an unknown context; a user asking for one wants an error
        if (context != null && (config.getCurrentContext() == null
                || !context.equals(config.getCurrentContext().getName()))) {
            throw new IllegalArgumentException("kubeconfig context '" + context + "' not found (looked in "
                    + System.getProperty("kubeconfig", System.getenv().getOrDefault("KUBECONFIG", "~/.kube/config"))
                    + "); kubectl config get-contexts lists the ones there");
        }
        return build(config, as);
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
