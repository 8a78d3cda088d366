package io.opsagent.adapters.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.opsagent.core.cluster.Origin;
import java.util.Locale;
import java.util.Map;

/**
 * Origin of an object read from the Kubernetes API. {@link #file()} is {@code api:} plus the object's REST path
 * (e.g. {@code api:/api/v1/namespaces/shop/pods/web-1}); {@link #ref(String)} appends {@code :} and the field path
 * ({@code api:/api/v1/namespaces/shop/pods/web-1:status.containerStatuses[0].lastState.terminated.reason}), the same
 * shape as a dump's {@code file:field} references.
 */
public record ApiOrigin(String path) implements Origin {

    /** Kind to API group/version prefix and plural resource name. */
    private static final Map<String, String[]> RESOURCES = Map.ofEntries(
            Map.entry("Pod", new String[] {"/api/v1", "pods"}),
            Map.entry("Service", new String[] {"/api/v1", "services"}),
            Map.entry("Endpoints", new String[] {"/api/v1", "endpoints"}),
            Map.entry("PersistentVolumeClaim", new String[] {"/api/v1", "persistentvolumeclaims"}),
            Map.entry("PersistentVolume", new String[] {"/api/v1", "persistentvolumes"}),
            Map.entry("ConfigMap", new String[] {"/api/v1", "configmaps"}),
            Map.entry("Secret", new String[] {"/api/v1", "secrets"}),
            Map.entry("Event", new String[] {"/api/v1", "events"}),
            Map.entry("ResourceQuota", new String[] {"/api/v1", "resourcequotas"}),
            Map.entry("Node", new String[] {"/api/v1", "nodes"}),
            Map.entry("Namespace", new String[] {"/api/v1", "namespaces"}),
            Map.entry("ReplicationController", new String[] {"/api/v1", "replicationcontrollers"}),
            Map.entry("Deployment", new String[] {"/apis/apps/v1", "deployments"}),
            Map.entry("ReplicaSet", new String[] {"/apis/apps/v1", "replicasets"}),
            Map.entry("StatefulSet", new String[] {"/apis/apps/v1", "statefulsets"}),
            Map.entry("DaemonSet", new String[] {"/apis/apps/v1", "daemonsets"}),
            Map.entry("Job", new String[] {"/apis/batch/v1", "jobs"}),
            Map.entry("CronJob", new String[] {"/apis/batch/v1", "cronjobs"}),
            Map.entry("HorizontalPodAutoscaler", new String[] {"/apis/autoscaling/v2", "horizontalpodautoscalers"}));

    /** The origin of {@code object}, from its kind, namespace and name. */
    public static ApiOrigin of(HasMetadata object) {
        return new ApiOrigin(pathOf(object.getKind(), object.getMetadata().getNamespace(),
                object.getMetadata().getName()));
    }

    /** The REST path of an object: {@code /api/v1/namespaces/NS/pods/NAME} or {@code /api/v1/nodes/NAME}. */
    public static String pathOf(String kind, String namespace, String name) {
        String[] r = RESOURCES.get(kind);
        String prefix = r != null ? r[0] : "/apis/unknown";
        String plural = r != null ? r[1] : kind.toLowerCase(Locale.ROOT) + "s";
        String ns = namespace == null || namespace.isEmpty() ? "" : "/namespaces/" + namespace;
        return prefix + ns + "/" + plural + "/" + name;
    }

    @Override
    public String file() {
        return "api:" + path;
    }

    @Override
    public String ref(String fieldPath) {
        return fieldPath == null || fieldPath.isEmpty() ? file() : file() + ":" + fieldPath;
    }
}
