package io.opsagent.core.cluster;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.List;
import java.util.Optional;

/**
 * The one table of Kubernetes kinds: their names as kubectl writes them (pod, pods, po, Pod, deployment.apps…),
 * their model types and API versions, which kinds are workload controllers, and the order a bare name is looked up
 * in. Readers, analyzers, tools, the context builder and the HTTP API all use it.
 */
public final class KubeKinds {
    /**
     * An annotation the text reader puts on a described node: how many pods are not terminated on it, as
     * {@code kubectl describe node} says (its pod listing may be cut).
     */
    public static final String NON_TERMINATED_PODS = "opsagent.io/non-terminated-pods";

    private KubeKinds() {
    }

    private static final Map<String, String> CANONICAL = new HashMap<>();
    private static final Map<String, Class<? extends HasMetadata>> TYPES = new HashMap<>();
    private static final Map<String, String> API_VERSION = new HashMap<>();

    private static void kind(String kind, Class<? extends HasMetadata> type, String apiVersion, String... aliases) {
        CANONICAL.put(kind.toLowerCase(Locale.ROOT), kind);
        for (String a : aliases) CANONICAL.put(a, kind);
        TYPES.put(kind, type);
        API_VERSION.put(kind, apiVersion);
    }

    static {
        kind("Pod", Pod.class, "v1", "pods", "po");
        kind("Node", Node.class, "v1", "nodes", "no");
        kind("Namespace", Namespace.class, "v1", "namespaces", "ns");
        kind("Deployment", Deployment.class, "apps/v1", "deployments", "deploy", "deployment.apps", "deployments.apps");
        kind("ReplicaSet", ReplicaSet.class, "apps/v1", "replicasets", "rs", "replicaset.apps", "replicasets.apps");
        kind("StatefulSet", StatefulSet.class, "apps/v1", "statefulsets", "sts", "statefulset.apps", "statefulsets.apps");
        kind("DaemonSet", DaemonSet.class, "apps/v1", "daemonsets", "ds", "daemonset.apps", "daemonsets.apps");
        kind("ReplicationController", ReplicationController.class, "v1", "replicationcontrollers", "rc");
        kind("Job", Job.class, "batch/v1", "jobs", "job.batch", "jobs.batch");
        kind("CronJob", CronJob.class, "batch/v1", "cronjobs", "cj", "cronjob.batch", "cronjobs.batch");
        kind("Service", Service.class, "v1", "services", "svc");
        kind("Endpoints", Endpoints.class, "v1", "endpoint", "ep");
        kind("PersistentVolumeClaim", PersistentVolumeClaim.class, "v1", "persistentvolumeclaims", "pvc", "pvcs");
        kind("PersistentVolume", PersistentVolume.class, "v1", "persistentvolumes", "pv", "pvs");
        kind("ConfigMap", ConfigMap.class, "v1", "configmaps", "cm");
        kind("Secret", Secret.class, "v1", "secrets");
        kind("Event", Event.class, "v1", "events", "ev", "event.events.k8s.io", "events.events.k8s.io");
        kind("HorizontalPodAutoscaler", HorizontalPodAutoscaler.class, "autoscaling/v2", "horizontalpodautoscalers",
                "hpa", "horizontalpodautoscaler.autoscaling", "horizontalpodautoscalers.autoscaling");
        kind("ResourceQuota", ResourceQuota.class, "v1", "resourcequotas", "quota");
        kind("NetworkPolicy", io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class, "networking.k8s.io/v1",
                "networkpolicies", "netpol", "networkpolicy.networking.k8s.io", "networkpolicies.networking.k8s.io");
    }

    /** The kind for a kubectl resource word ("po", "deployments.apps", "Pod"); the word itself if unknown. */
    public static String canonical(String word) {
        String k = kindOf(word);
        return k != null ? k : word;
    }

    public static boolean known(String kind) {
        return kind != null && TYPES.containsKey(kind);
    }

    public static Class<? extends HasMetadata> type(String kind) {
        return TYPES.get(kind);
    }

    public static String apiVersion(String kind) {
        return API_VERSION.getOrDefault(kind, "v1");
    }

    /** True for kinds that live outside namespaces. */
    public static boolean clusterScoped(String kind) {
        return "Node".equals(kind) || "PersistentVolume".equals(kind) || "Namespace".equals(kind);
    }

    /** The workload controllers: what owns pods and rolls them out. */
    public static final List<String> CONTROLLERS = List.of("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob");

    /** What people ask about first (controllers and Services): named first among close matches. */
    public static final List<String> ASKABLE = List.of("Deployment", "StatefulSet", "DaemonSet", "CronJob", "Job", "Service");

    /** What a diagnosis may be about (its subject): the workloads, and the objects findings are about. */
    public static final java.util.Set<String> SUBJECTS = java.util.Set.of("Deployment", "StatefulSet", "DaemonSet", "Job",
            "CronJob", "Service", "Pod", "ReplicaSet", "ReplicationController", "HorizontalPodAutoscaler",
            "PersistentVolumeClaim", "Node");

    /** What the workloads list shows, in this order for one name (a CronJob before the Jobs it makes; pods last). */
    public static final List<String> LISTED = List.of("Deployment", "StatefulSet", "DaemonSet", "CronJob", "Job", "Pod");

    /** The kinds a bare name is looked up as, in this order (a Deployment wins over a Service of the same name). */
    public static final List<String> LOOKUP_ORDER = List.of("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob",
            "ReplicaSet", "Service", "Pod", "Node");

    /** The kind a kubectl word names ({@code deploy}, {@code svc}, {@code cronjobs}, {@code Pod}), or null if none. */
    public static String kindOf(String word) {
        return word == null ? null : CANONICAL.get(word.toLowerCase(Locale.ROOT));
    }

    /** The object named {@code name} in {@code namespace} (any namespace when null), trying {@link #LOOKUP_ORDER}. */
    public static Optional<HasMetadata> findByName(ClusterSnapshot s, String namespace, String name) {
        for (String k : LOOKUP_ORDER) {
            Optional<HasMetadata> o = s.find(k, namespace, name);
            if (o.isPresent()) return o;
        }
        return Optional.empty();
    }
}
