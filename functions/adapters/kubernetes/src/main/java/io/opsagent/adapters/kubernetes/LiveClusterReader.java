package io.opsagent.adapters.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.cluster.LogGap;
import io.opsagent.core.cluster.ContainerLog;
import io.opsagent.core.logs.search.LogQuery;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;

/**
 * Reads a {@link ClusterSnapshot} from the Kubernetes API: pods, deployments, replicasets, statefulsets, daemonsets,
 * jobs, cronjobs, services, endpoints, PVCs, configmaps, secrets (keys only), events, HPAs (autoscaling/v2),
 * resource quotas (in one namespace or all) and nodes. Each object gets an {@link ApiOrigin}.
 *
 * <p>Secret values are replaced by empty strings as soon as each list arrives, before the snapshot is built.
 * A resource the caller may not list (HTTP 403) is skipped and noted in {@link #lastSkipped()}.
 */
public final class LiveClusterReader {

    private final KubernetesClient client;
    private final String source;
    private final PodLogSource logs;
    private volatile List<String> lastSkipped = List.of();

    /**
     * @param client the client (kubeconfig context or EKS); the reader does not close it
     * @param source a description of the cluster for the snapshot (e.g. the context name)
     */
    public LiveClusterReader(KubernetesClient client, String source) {
        this(client, source, null);
    }

    /**
     * A reader that also attaches pod logs to the snapshot, so log-based analyzers see them: first of the unhealthy
     * pods (a container not ready or restarted: current and previous instance), then of the running ones (an
     * application that logs its failures while it passes its probes); at most {@code logs.limits().maxLogs()}
     * container logs per read.
     *
     * @param logs the log source, or null for no logs
     */
    public LiveClusterReader(KubernetesClient client, String source, PodLogSource logs) {
        this.client = client;
        this.source = source;
        this.logs = logs;
    }

    /** Reads the state of {@code namespace}, or of every namespace when it is null or blank (nodes always). */
    public ClusterSnapshot read(String namespace) {
        String ns = namespace == null || namespace.isBlank() ? null : namespace.strip();
        ClusterSnapshot.Builder b = ClusterSnapshot.builder("api:" + source + (ns == null ? "" : "/" + ns));
        List<String> skipped = new java.util.ArrayList<>();
        add(b, skipped, "nodes", () -> client.nodes().list().getItems());
        add(b, skipped, "pods", () -> list(client.pods(), ns));
        add(b, skipped, "deployments", () -> list(client.apps().deployments(), ns));
        add(b, skipped, "replicasets", () -> list(client.apps().replicaSets(), ns));
        add(b, skipped, "statefulsets", () -> list(client.apps().statefulSets(), ns));
        add(b, skipped, "daemonsets", () -> list(client.apps().daemonSets(), ns));
        add(b, skipped, "jobs", () -> list(client.batch().v1().jobs(), ns));
        add(b, skipped, "cronjobs", () -> list(client.batch().v1().cronjobs(), ns));
        add(b, skipped, "services", () -> list(client.services(), ns));
        add(b, skipped, "endpoints", () -> list(client.endpoints(), ns));
        add(b, skipped, "persistentvolumeclaims", () -> list(client.persistentVolumeClaims(), ns));
        add(b, skipped, "configmaps", () -> list(client.configMaps(), ns));
        add(b, skipped, "secrets", () -> secretsKeysOnly(list(client.secrets(), ns)));
        add(b, skipped, "events", () -> list(client.v1().events(), ns));
        add(b, skipped, "horizontalpodautoscalers",
                () -> list(client.autoscaling().v2().horizontalPodAutoscalers(), ns));
        add(b, skipped, "resourcequotas", () -> list(client.resourceQuotas(), ns));
        add(b, skipped, "networkpolicies", () -> list(client.network().v1().networkPolicies(), ns));
        if (logs != null) {
            addLogs(b, skipped);
        }
        lastSkipped = List.copyOf(skipped);
        return b.build();
    }

    /** How long reading the logs of one snapshot may take in all; logs not read by then are gaps. */
    static final java.time.Duration LOGS_DEADLINE = java.time.Duration.ofSeconds(15);
    /** Log reads at once. */
    static final int LOG_READERS = 4;

    /**
     * The logs of the pods, the unhealthy ones first, read {@value #LOG_READERS} at a time within {@link #LOGS_DEADLINE}; a log that
     * could not be read (or was not read in time) is recorded in the snapshot as a {@link LogGap}, with why.
     */
    private void addLogs(ClusterSnapshot.Builder b, List<String> skipped) {
        ClusterSnapshot partial = b.build();
        LogQuery all = LogQuery.builder().build();
        // the unhealthy pods first; then the running ones, whose logs alone may show what is wrong (a dependency
        // refused, expired credentials), while the budget lasts
        List<Pod> pods = new java.util.ArrayList<>(partial.pods().stream().filter(LiveClusterReader::unhealthy).toList());
        List<Pod> running = partial.pods().stream()
                .filter(p -> !unhealthy(p) && p.getStatus() != null && "Running".equals(p.getStatus().getPhase())).toList();
        // one pod of each controller first (a budget too small for all still sees every workload), then the others
        Set<String> sampled = new java.util.HashSet<>();
        List<Pod> later = new java.util.ArrayList<>();
        for (Pod p : running) {
            (sampled.add(controllerOf(p)) ? pods : later).add(p);
        }
        pods.addAll(later);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
                Math.max(1, Math.min(LOG_READERS, pods.size())), r -> {
                    Thread t = new Thread(r, "opsagent-log-read");
                    t.setDaemon(true);
                    return t;
                });
        java.util.concurrent.atomic.AtomicInteger budget = new java.util.concurrent.atomic.AtomicInteger(logs.limits().maxLogs());
        List<LogGap> gaps = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        List<java.util.concurrent.Future<List<ContainerLog>>> reads = new java.util.ArrayList<>();
        for (Pod pod : pods) {
            reads.add(pool.submit(() -> {
                int left = budget.get();
                if (left <= 0) return List.of();
                List<ContainerLog> got = logs.logsOf(pod, all, left, gaps);
                budget.addAndGet(-got.size());
                return got;
            }));
        }
        long deadline = System.nanoTime() + LOGS_DEADLINE.toNanos();
        int added = 0;
        for (int i = 0; i < pods.size(); i++) {
            Pod pod = pods.get(i);
            try {
                long wait = Math.max(0, deadline - System.nanoTime());
                for (ContainerLog l : reads.get(i).get(wait, java.util.concurrent.TimeUnit.NANOSECONDS)) {
                    if (added++ < logs.limits().maxLogs()) b.addLog(l); // reads at once may overshoot the budget a little
                }
            } catch (java.util.concurrent.TimeoutException e) {
                reads.get(i).cancel(true);
                gaps.add(new LogGap(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), "*", false,
                        PodLogSource.file(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), "*", false),
                        "not read within " + LOGS_DEADLINE.toSeconds() + " s (the logs of " + pods.size() + " pods were due)"));
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable c = e.getCause();
                skipped.add("pods/log of " + pod.getMetadata().getName() + " (" + c.getMessage() + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        pool.shutdownNow();
        synchronized (gaps) {
            for (LogGap g : gaps) {
                b.addLogGap(g);
                skipped.add("pods/log of " + g.pod() + " container " + g.container() + " (" + g.reason() + ")");
            }
        }
    }

    private static String controllerOf(Pod p) {
        return p.getMetadata().getOwnerReferences() == null ? p.getMetadata().getUid()
                : p.getMetadata().getOwnerReferences().stream().filter(o -> Boolean.TRUE.equals(o.getController()))
                .map(o -> o.getUid()).findFirst().orElse(p.getMetadata().getUid());
    }

    private static boolean unhealthy(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null
                && pod.getStatus().getContainerStatuses().stream().anyMatch(s -> !Boolean.TRUE.equals(s.getReady())
                || (s.getRestartCount() != null && s.getRestartCount() > 0));
    }

    /** Resources the last {@link #read} could not list (forbidden or not served), e.g. {@code nodes (403)}. */
    public List<String> lastSkipped() {
        return lastSkipped;
    }

    private static <T extends HasMetadata, L extends KubernetesResourceList<T>, R extends Resource<T>> List<T> list(
            io.fabric8.kubernetes.client.dsl.MixedOperation<T, L, R> op, String ns) {
        return ns == null ? op.inAnyNamespace().list().getItems() : op.inNamespace(ns).list().getItems();
    }

    /** Replaces every secret by a copy holding its keys only; the originals are not referenced afterwards. */
    static List<Secret> secretsKeysOnly(List<Secret> secrets) {
        return secrets.stream().map(s -> {
            Map<String, String> keys = new LinkedHashMap<>();
            if (s.getData() != null) s.getData().keySet().forEach(k -> keys.put(k, ""));
            if (s.getStringData() != null) s.getStringData().keySet().forEach(k -> keys.put(k, ""));
            s.setData(keys);
            s.setStringData(null);
            if (s.getMetadata().getAnnotations() != null) {
                s.getMetadata().getAnnotations().remove("kubectl.kubernetes.io/last-applied-configuration");
            }
            return s;
        }).toList();
    }

    /**
     * fabric8's message ("Operation: [list] for kind: [Node] ... failed.") with what actually failed underneath: a
     * refused connection, a certificate the cluster's CA did not sign (a cluster made again with new keys), a timeout.
     */
    static String why(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String top = String.valueOf(e.getMessage()).strip();
        if (root == e || root.getMessage() == null) return top;
        String cause = root.getClass().getSimpleName() + ": " + root.getMessage().strip();
        return top.isEmpty() ? cause : top + " (" + cause + ")";
    }

    private static void add(ClusterSnapshot.Builder b, List<String> skipped, String resource,
                            java.util.function.Supplier<List<? extends HasMetadata>> lister) {
        List<? extends HasMetadata> items;
        try {
            items = lister.get();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403 || e.getCode() == 404) {
                skipped.add(resource + " (" + e.getCode() + ")");
                b.addUnreadable(resource + " (" + e.getCode() + ")"); // said to the user: not an empty list
                return;
            }
            throw new KubernetesClientException("listing " + resource + " failed: " + why(e), e);
        }
        for (HasMetadata o : items) {
            b.add(o, ApiOrigin.of(o));
        }
    }
}
