package io.opsagent.app.config;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.opsagent.adapters.kubernetes.EksTokenGenerator;
import io.opsagent.adapters.kubernetes.KubernetesClients;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.input.ClusterDumpReader;
import io.opsagent.core.input.InputException;
import io.opsagent.core.input.text.TextEvidenceReader;
import io.opsagent.core.tools.SnapshotProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.EksClientBuilder;

/**
 * Which cluster is read, from the settings — the same code locally and in Lambda. Exactly one of:
 * <ul>
 *   <li>{@link Setting#DUMP_DIR}: a {@code kubectl cluster-info dump} directory;</li>
 *   <li>{@link Setting#EVIDENCE_DIR}: a directory of pasted kubectl output;</li>
 *   <li>{@link Setting#KUBE_CONTEXT}: a live cluster through a kubeconfig context;</li>
 *   <li>{@link Setting#EKS_CLUSTER}: a live EKS cluster (endpoint and CA from DescribeCluster in
 *       {@link Setting#AWS_REGION}, tokens from presigned STS GetCallerIdentity, refreshed).</li>
 * </ul>
 * A live cluster reads {@link Setting#NAMESPACE} (default: the namespace hint, e.g. the asked workload's, else
 * all); with {@link Setting#IMPERSONATE} each user's calls carry {@code Impersonate-User} and
 * {@link Setting#IMPERSONATE_GROUPS}. Log search reads what {@link LogSources} chooses.
 */
public final class Clusters {
    private static final Setting[] INPUTS = {Setting.DUMP_DIR, Setting.EVIDENCE_DIR, Setting.KUBE_CONTEXT, Setting.EKS_CLUSTER};

    private Clusters() {
    }

    /** The cluster settings, for flags that replace them all (e.g. {@code --dump} over a configured context). */
    public static Setting[] inputSettings() {
        return INPUTS.clone();
    }

    /** True when one of the cluster settings is set. */
    public static boolean configured(Settings s) {
        for (Setting i : INPUTS) if (s.isSet(i)) return true;
        return false;
    }

    /**
     * Opens the configured cluster.
     *
     * @param namespaceHint the namespace a live cluster reads when {@link Setting#NAMESPACE} is unset (null: all)
     * @param fallbackDump  read when no cluster is configured (the local demo), or null to make that an error
     * @throws InputException           when a dump or evidence directory is missing or malformed
     * @throws IllegalArgumentException naming the setting when the settings are wrong (two clusters, unknown
     *                                  context, no region for EKS, bad log source...)
     */
    public static ClusterView open(Settings s, String namespaceHint, Path fallbackDump) throws InputException {
        List<Setting> set = new ArrayList<>();
        for (Setting i : INPUTS) if (s.isSet(i)) set.add(i);
        if (set.size() > 1) {
            StringBuilder m = new StringBuilder("give only one cluster to read; set are:");
            for (Setting i : set) m.append(' ').append(i.key()).append(" (").append(s.origin(i).orElse("?")).append(')');
            throw new IllegalArgumentException(m.toString());
        }
        Setting which = set.isEmpty() ? null : set.get(0);
        if (which == null && fallbackDump == null) {
            throw new IllegalArgumentException("no cluster configured: set OPSAGENT_DUMP_DIR (--dump), "
                    + "OPSAGENT_EVIDENCE_DIR (--evidence), OPSAGENT_KUBE_CONTEXT (--context) or OPSAGENT_EKS_CLUSTER");
        }
        if (which == Setting.KUBE_CONTEXT || which == Setting.EKS_CLUSTER) {
            return live(s, which, namespaceHint);
        }
        boolean evidence = which == Setting.EVIDENCE_DIR;
        Path dir = which == null ? fallbackDump : Path.of(s.get(which).orElseThrow());
        ClusterSnapshot snapshot = read(dir, evidence);
        String describe = (evidence ? "evidence " : "dump ") + dir.toAbsolutePath().normalize() + " ("
                + snapshot.namespaceNames().size() + " namespaces, " + snapshot.pods().size() + " pods)";
        return withMetrics(s, withLogs(s, SnapshotProvider.of(snapshot), dir, describe, false, new ArrayList<>(), "logs in the "
                + (evidence ? "evidence" : "dump")));
    }

    /** Reads a dump or an evidence directory; a missing one is an InputException naming it. */
    public static ClusterSnapshot read(Path dir, boolean evidence) throws InputException {
        if (!Files.isDirectory(dir)) throw new InputException(dir.toString(), "directory does not exist");
        return evidence ? new TextEvidenceReader().read(dir) : new ClusterDumpReader().read(dir);
    }

    /**
     * {@link Setting#IMPERSONATE_TOKEN_GROUPS}: {@code group} (sent as itself) or {@code group=kubernetes-group}, comma
     * separated. Kubernetes' own {@code system:} groups cannot be targets.
     */
    static Map<String, String> tokenGroups(Settings s) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String entry : s.list(Setting.IMPERSONATE_TOKEN_GROUPS)) {
            int eq = entry.indexOf('=');
            String from = (eq < 0 ? entry : entry.substring(0, eq)).strip();
            String to = (eq < 0 ? entry : entry.substring(eq + 1)).strip();
            if (from.isEmpty() || to.isEmpty() || from.contains(" ") || to.contains(" ")) {
                throw s.bad(Setting.IMPERSONATE_TOKEN_GROUPS, "'" + entry + "' is not GROUP or GROUP=KUBERNETES_GROUP");
            }
            if (to.startsWith("system:")) {
                throw s.bad(Setting.IMPERSONATE_TOKEN_GROUPS, "'" + entry + "': " + to + " is a Kubernetes system group; map token groups to groups of your own");
            }
            if (out.put(from, to) != null) throw s.bad(Setting.IMPERSONATE_TOKEN_GROUPS, "'" + from + "' is mapped twice");
        }
        return out;
    }

    private static ClusterView live(Settings s, Setting which, String namespaceHint) {
        String namespace = s.get(Setting.NAMESPACE).orElse(namespaceHint);
        boolean impersonate = s.bool(Setting.IMPERSONATE, false);
        List<String> groups = s.list(Setting.IMPERSONATE_GROUPS);
        Map<String, String> tokenGroups = tokenGroups(s);
        String podLogsChoice = LogSources.choice(s, true);
        KubernetesClient client;
        Supplier<Config> configs;
        String label;
        if (which == Setting.KUBE_CONTEXT) {
            String context = s.get(which).orElseThrow();
            client = KubernetesClients.fromKubeconfig(context, null);
            configs = () -> KubernetesClients.config(context);
            label = "context " + context;
        } else {
            client = eks(s);
            Config base = client.getConfiguration();
            configs = () -> {
                Config c = Config.empty();
                c.setMasterUrl(base.getMasterUrl());
                c.setCaCertData(base.getCaCertData());
                c.setOauthTokenProvider(base.getOauthTokenProvider()); // one refreshing token provider for all
                return c;
            };
            label = "EKS cluster " + s.get(which).orElseThrow();
        }
        List<AutoCloseable> resources = new ArrayList<>();
        LiveCluster cluster = new LiveCluster(client, configs, label, namespace, podLogsChoice.equals(LogSources.KUBERNETES),
                impersonate, groups, tokenGroups);
        resources.add(cluster);
        String describe = label + " (live, " + (namespace == null ? "all namespaces" : "namespace " + namespace)
                + (impersonate ? ", calls impersonate the asking user" + (groups.isEmpty() ? "" : " with groups "
                + String.join(",", groups)) + (tokenGroups.isEmpty() ? "" : ", token groups " + tokenGroups.keySet().stream()
                .sorted().map(g -> g.equals(tokenGroups.get(g)) ? g : g + "→" + tokenGroups.get(g)).collect(java.util.stream.Collectors.joining(",")))
                : "") + ")";
        return withMetrics(s, withLogs(s, cluster, null, describe, true, resources, "logs of unhealthy pods read with the snapshot"));
    }

    /**
     * {@code view} with its metrics read where {@link Setting#METRICS} says: Prometheus at {@link Setting#PROMETHEUS_URL}
     * (the default when that is set), or CloudWatch Container Insights of {@link Setting#EKS_CLUSTER}; the
     * {@code query_metrics} and {@code rightsize} tools then appear. Unchanged for {@code none}.
     */
    static ClusterView withMetrics(Settings s, ClusterView view) {
        String url = s.get(Setting.PROMETHEUS_URL).map(String::strip).filter(u -> !u.isEmpty()).orElse(null);
        String choice = s.get(Setting.METRICS).map(v -> v.strip().toLowerCase(java.util.Locale.ROOT)).filter(v -> !v.isEmpty())
                .orElse(url != null ? "prometheus" : "none");
        switch (choice) {
            case "none" -> {
                return view;
            }
            case "container-insights" -> {
                String eks = s.get(Setting.EKS_CLUSTER).map(String::strip).filter(v -> !v.isEmpty()).orElse(null);
                if (eks == null) {
                    view.close();
                    throw s.bad(Setting.METRICS, "container-insights reads the EKS cluster's metrics: set OPSAGENT_EKS_CLUSTER too");
                }
                var b = software.amazon.awssdk.services.cloudwatch.CloudWatchClient.builder()
                        .httpClient(UrlConnectionHttpClient.builder().build());
                AwsSettings.region(s).ifPresent(b::region);
                List<AutoCloseable> resources = new ArrayList<>(view.resources());
                var cw = b.build();
                resources.add(cw);
                return new ClusterView(SnapshotProvider.withMetrics(view.provider(),
                        new io.opsagent.adapters.metrics.ContainerInsightsMetrics(cw, eks)), view.inputDir(), view.describe(),
                        view.logSource(), view.live(), resources);
            }
            case "prometheus" -> {
                if (url == null) {
                    view.close();
                    throw s.bad(Setting.METRICS, "prometheus needs OPSAGENT_PROMETHEUS_URL (http(s)://host:9090)");
                }
            }
            default -> {
                view.close();
                throw s.bad(Setting.METRICS, "expected prometheus, container-insights or none");
            }
        }
        java.net.URI uri;
        try {
            uri = java.net.URI.create(url);
        } catch (IllegalArgumentException e) {
            view.close();
            throw s.bad(Setting.PROMETHEUS_URL, "not a URL (" + e.getMessage() + ")");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            view.close();
            throw s.bad(Setting.PROMETHEUS_URL, "expected http(s)://host:port, e.g. http://prometheus.monitoring:9090");
        }
        var metrics = new io.opsagent.adapters.metrics.PrometheusMetrics(uri, s.get(Setting.PROMETHEUS_TOKEN).orElse(null),
                java.time.Duration.ofSeconds(15));
        return new ClusterView(SnapshotProvider.withMetrics(view.provider(), metrics), view.inputDir(), view.describe(),
                view.logSource(), view.live(), view.resources());
    }

    private static ClusterView withLogs(Settings s, SnapshotProvider cluster, Path inputDir, String describe,
                                        boolean live, List<AutoCloseable> resources, String snapshotLogs) {
        try {
            String choice = LogSources.choice(s, live);
            switch (choice) {
                case LogSources.CLOUDWATCH -> {
                    LogSources.CloudWatch cw = LogSources.cloudWatch(s);
                    resources.add(cw);
                    return new ClusterView(SnapshotProvider.withLogs(cluster, cw.source()), inputDir, describe,
                            cw.source().describe(), live, resources);
                }
                case LogSources.KUBERNETES -> {
                    return new ClusterView(cluster, inputDir, describe, "Kubernetes API pod logs", live, resources);
                }
                default -> {
                    return new ClusterView(cluster, inputDir, describe, snapshotLogs, live, resources);
                }
            }
        } catch (RuntimeException e) {
            new ClusterView(cluster, inputDir, describe, "", live, resources).close();
            throw e;
        }
    }

    private static KubernetesClient eks(Settings s) {
        String name = s.get(Setting.EKS_CLUSTER).orElseThrow();
        Region region = AwsSettings.region(s).orElseThrow(() -> s.bad(Setting.AWS_REGION,
                "OPSAGENT_EKS_CLUSTER needs the cluster's region, e.g. AWS_REGION=eu-west-1"));
        AwsCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
        EksClientBuilder b = EksClient.builder().region(region).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.builder().build());
        if (s.isSet(Setting.EKS_ENDPOINT)) b.endpointOverride(LogSources.uri(s, Setting.EKS_ENDPOINT));
        try (EksClient eks = b.build()) {
            return KubernetesClients.forEks(eks, name,
                    new EksTokenGenerator(credentials, region, Clock.systemUTC()).tokenProvider(name), null);
        } catch (SdkException | IllegalStateException e) { // no credentials, no such cluster, not ACTIVE yet...
            throw s.bad(Setting.EKS_CLUSTER, "eks:DescribeCluster in " + region + " failed: " + e.getMessage());
        }
    }
}
