package io.opsagent.adapters.kubernetes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Write operations on workloads: scale, rollout restart, rollback, set image, patch a ConfigMap. Each returns a
 * {@link Change} describing it.
 *
 * <p><b>Patch types.</b> Scale and rollout restart send a JSON merge patch (RFC 7386). Set image, rollback and
 * ConfigMap patches send a JSON Patch (RFC 6902; {@code kubectl rollout undo} uses one too): a merge patch cannot
 * replace one element of a list or remove a key portably (fabric8's mock server merges lists element-wise and
 * stores nulls), and a JSON Patch's {@code test} operations make the write fail if the object changed since it was
 * read. Strategic merge patch and server-side apply are not used.
 *
 * <p><b>Dry run</b> is computed client-side: the object is read, the patch and the before/after are computed, and
 * nothing is sent. (The API server's {@code dryRun=All} is not used because fabric8's mock server applies such a
 * patch anyway, so it could not be tested here; a client-side dry run also needs only {@code get} permission.)
 *
 * <p>Not exposed as agent tools: the approval flow is the only intended caller.
 */
public final class KubernetesWriter {

    /** The pod template annotation {@code kubectl rollout restart} sets. */
    public static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";
    /** The revision annotation of Deployments and their ReplicaSets. */
    public static final String REVISION = "deployment.kubernetes.io/revision";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);
    private static final PatchContext JSON_PATCH = PatchContext.of(PatchType.JSON);

    private final KubernetesClient client;
    private final Clock clock;

    public KubernetesWriter(KubernetesClient client) {
        this(client, Clock.systemUTC());
    }

    /** @param clock gives the {@code restartedAt} time */
    public KubernetesWriter(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /** Sets {@code spec.replicas} of a Deployment. */
    public Change scale(String namespace, String deployment, int replicas, boolean dryRun) {
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas must not be negative, was " + replicas);
        }
        Deployment d = deployment(namespace, deployment);
        ObjectNode patch = JSON.createObjectNode();
        patch.putObject("spec").put("replicas", replicas);
        return patch(namespace, deployment, "scale", patch, "replicas=" + d.getSpec().getReplicas(),
                "replicas=" + replicas, dryRun);
    }

    /** Restarts a Deployment's pods by setting the pod template annotation {@value #RESTARTED_AT} to now. */
    public Change rolloutRestart(String namespace, String deployment, boolean dryRun) {
        Deployment d = deployment(namespace, deployment);
        String now = clock.instant().toString();
        Map<String, String> ann = d.getSpec().getTemplate().getMetadata() == null ? null
                : d.getSpec().getTemplate().getMetadata().getAnnotations();
        String before = ann == null ? null : ann.get(RESTARTED_AT);
        ObjectNode patch = JSON.createObjectNode();
        patch.putObject("spec").putObject("template").putObject("metadata").putObject("annotations")
                .put(RESTARTED_AT, now);
        return patch(namespace, deployment, "rollout-restart", patch, RESTARTED_AT + "=" + before,
                RESTARTED_AT + "=" + now, dryRun);
    }

    /**
     * Rolls a Deployment back to {@code revision} (its ReplicaSet's {@value #REVISION} annotation), or to the
     * previous revision when {@code revision} is null: the ReplicaSet's pod template (without its
     * {@code pod-template-hash} label) replaces the Deployment's whole template, guarded by a test of the
     * Deployment's resourceVersion.
     */
    public Change rollback(String namespace, String deployment, Long revision, boolean dryRun) {
        Deployment d = deployment(namespace, deployment);
        TreeMap<Long, ReplicaSet> byRevision = new TreeMap<>();
        for (ReplicaSet rs : client.apps().replicaSets().inNamespace(namespace).list().getItems()) {
            if (ownedBy(rs, d)) {
                revisionOf(rs.getMetadata().getAnnotations()).ifPresent(r -> byRevision.put(r, rs));
            }
        }
        long current = revisionOf(d.getMetadata().getAnnotations())
                .orElse(byRevision.isEmpty() ? 0L : byRevision.lastKey());
        Long target = revision != null ? revision : byRevision.lowerKey(current);
        if (target == null || !byRevision.containsKey(target)) {
            throw new IllegalArgumentException("no ReplicaSet of deployment " + namespace + "/" + deployment
                    + " has revision " + (revision != null ? revision : "before " + current)
                    + "; revisions found: " + byRevision.keySet());
        }
        if (target == current) {
            throw new IllegalArgumentException("deployment " + namespace + "/" + deployment
                    + " is already at revision " + current);
        }
        PodTemplateSpec template = byRevision.get(target).getSpec().getTemplate();
        ObjectNode templateJson = JSON.valueToTree(template);
        JsonNode labels = templateJson.path("metadata").path("labels");
        if (labels instanceof ObjectNode l) {
            l.remove("pod-template-hash");
        }
        ArrayNode patch = JSON.createArrayNode();
        patch.addObject().put("op", "test").put("path", "/metadata/resourceVersion")
                .put("value", d.getMetadata().getResourceVersion());
        patch.addObject().put("op", "replace").put("path", "/spec/template").set("value", templateJson);
        return patch(namespace, deployment, "rollback", patch, "revision " + current + " " + images(d.getSpec()
                .getTemplate()), "revision " + target + " " + images(template), dryRun);
    }

    /** Sets the image of one container of a Deployment (a JSON Patch that first tests the container's name). */
    public Change setImage(String namespace, String deployment, String container, String image, boolean dryRun) {
        Objects.requireNonNull(image, "image");
        Deployment d = deployment(namespace, deployment);
        List<Container> containers = d.getSpec().getTemplate().getSpec().getContainers();
        Container c = containers.stream().filter(x -> x.getName().equals(container)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("deployment " + namespace + "/" + deployment
                        + " has no container '" + container + "'; containers: "
                        + containers.stream().map(Container::getName).toList()));
        int index = containers.indexOf(c);
        String base = "/spec/template/spec/containers/" + index;
        ArrayNode patch = JSON.createArrayNode();
        patch.addObject().put("op", "test").put("path", base + "/name").put("value", container);
        patch.addObject().put("op", "replace").put("path", base + "/image").put("value", image);
        return patch(namespace, deployment, "set-image", patch, container + "=" + c.getImage(),
                container + "=" + image, dryRun);
    }

    /** Sets (non-null value) or removes (null value) keys of a ConfigMap's {@code data}. */
    public Change patchConfigMap(String namespace, String name, Map<String, String> data, boolean dryRun) {
        ConfigMap cm = client.configMaps().inNamespace(namespace).withName(name).get();
        if (cm == null) {
            throw new IllegalArgumentException("configmap " + namespace + "/" + name + " not found");
        }
        Map<String, String> before = new TreeMap<>();
        Map<String, String> after = new TreeMap<>();
        ArrayNode patch = JSON.createArrayNode();
        Map<String, String> current = cm.getData() == null ? Map.of() : cm.getData();
        if (cm.getData() == null) {
            patch.addObject().put("op", "add").put("path", "/data").putObject("value");
        }
        new TreeMap<>(data).forEach((k, v) -> {
            before.put(k, current.get(k));
            after.put(k, v);
            String path = "/data/" + k.replace("~", "~0").replace("/", "~1");
            if (v != null) {
                patch.addObject().put("op", "add").put("path", path).put("value", v);
            } else if (current.containsKey(k)) {
                patch.addObject().put("op", "remove").put("path", path);
            }
        });
        String json = write(patch);
        if (!dryRun) {
            client.configMaps().inNamespace(namespace).withName(name).patch(JSON_PATCH, json);
        }
        return new Change(namespace + "/ConfigMap/" + name, "patch-configmap", "json", json, before.toString(),
                after.toString(), dryRun);
    }

    /**
     * Patches the deployment (unless {@code dryRun}): an array is a JSON Patch (RFC 6902), an object a JSON merge
     * patch (RFC 7386), as the API server reads them.
     */
    private Change patch(String namespace, String deployment, String action, JsonNode patch, String before,
                         String after, boolean dryRun) {
        boolean jsonPatch = patch.isArray();
        String json = write(patch);
        if (!dryRun) {
            client.apps().deployments().inNamespace(namespace).withName(deployment)
                    .patch(jsonPatch ? JSON_PATCH : MERGE, json);
        }
        return new Change(namespace + "/Deployment/" + deployment, action, jsonPatch ? "json" : "merge", json, before,
                after, dryRun);
    }

    private Deployment deployment(String namespace, String name) {
        Deployment d = client.apps().deployments().inNamespace(namespace).withName(name).get();
        if (d == null) {
            throw new IllegalArgumentException("deployment " + namespace + "/" + name + " not found");
        }
        return d;
    }

    private static boolean ownedBy(ReplicaSet rs, Deployment d) {
        return rs.getMetadata().getOwnerReferences() != null && rs.getMetadata().getOwnerReferences().stream()
                .anyMatch(o -> "Deployment".equals(o.getKind()) && d.getMetadata().getName().equals(o.getName())
                        && (o.getUid() == null || d.getMetadata().getUid() == null
                        || o.getUid().equals(d.getMetadata().getUid())));
    }

    private static Optional<Long> revisionOf(Map<String, String> annotations) {
        if (annotations == null || annotations.get(REVISION) == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(annotations.get(REVISION).strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String images(PodTemplateSpec t) {
        return t.getSpec().getContainers().stream().sorted(Comparator.comparing(Container::getName))
                .map(c -> c.getName() + "=" + c.getImage()).toList().toString();
    }

    private static String write(JsonNode patch) {
        try {
            return JSON.writeValueAsString(patch);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise patch", e);
        }
    }
}
