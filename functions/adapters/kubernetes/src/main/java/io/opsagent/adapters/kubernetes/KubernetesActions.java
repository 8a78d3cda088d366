package io.opsagent.adapters.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.opsagent.core.actions.Action;
import io.opsagent.core.actions.ActionException;
import io.opsagent.core.actions.ActionKind;
import io.opsagent.core.actions.ClusterActions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * {@link ClusterActions} on the Kubernetes API (fabric8): every write is one request, sent with the patch type that
 * says exactly what changes — a JSON merge patch for replicas and ConfigMap keys, a strategic merge patch for a
 * container's image or resources and the restart annotation (merged into the container of that name, which must
 * exist), a JSON Patch that replaces the pod template for a rollback, server-side apply (field manager
 * {@value #MANAGER}; fields another manager owns are taken over, as {@code kubectl apply --server-side
 * --force-conflicts}: the approver saw exactly what changes in the dry run's diff) for a manifest, a DELETE for a pod. The dry run is the same request with
 * {@code dryRun=All}. Requests on a user's behalf impersonate them ({@code as}); SubjectAccessReviews are asked with
 * the product's own identity ({@code client}), which needs {@code create} on {@code subjectaccessreviews}.
 */
public final class KubernetesActions implements ClusterActions {
    /** The pod template annotation {@code kubectl rollout restart} sets. */
    public static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";
    /** The revision annotation of Deployments and their ReplicaSets. */
    public static final String REVISION = "deployment.kubernetes.io/revision";
    /** The field manager of server-side apply and the name OpsAgent's writes carry. */
    public static final String MANAGER = "opsagent";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String[]> RESOURCES = Map.ofEntries(
            Map.entry("Deployment", new String[] {"apps/v1", "deployments"}),
            Map.entry("StatefulSet", new String[] {"apps/v1", "statefulsets"}),
            Map.entry("DaemonSet", new String[] {"apps/v1", "daemonsets"}),
            Map.entry("ConfigMap", new String[] {"v1", "configmaps"}),
            Map.entry("Pod", new String[] {"v1", "pods"}),
            Map.entry("Service", new String[] {"v1", "services"}),
            Map.entry("Job", new String[] {"batch/v1", "jobs"}),
            Map.entry("CronJob", new String[] {"batch/v1", "cronjobs"}),
            Map.entry("HorizontalPodAutoscaler", new String[] {"autoscaling/v2", "horizontalpodautoscalers"}),
            Map.entry("PodDisruptionBudget", new String[] {"policy/v1", "poddisruptionbudgets"}),
            Map.entry("NetworkPolicy", new String[] {"networking.k8s.io/v1", "networkpolicies"}),
            Map.entry("ResourceQuota", new String[] {"v1", "resourcequotas"}));

    private final KubernetesClient client;
    private final Function<Identity, KubernetesClient> as;
    private final java.util.function.UnaryOperator<Identity> onCluster;

    /**
     * @param client the product's own identity (reads, SubjectAccessReviews, following rollouts); not closed here
     * @param as     a new client impersonating an identity (closed after each use)
     */
    public KubernetesActions(KubernetesClient client, Function<Identity, KubernetesClient> as) {
        this(client, as, java.util.function.UnaryOperator.identity());
    }

    /**
     * As above, with {@code onCluster} turning a requester's identity (their token's groups) into the one the cluster
     * knows (the groups mapped, others dropped): the SubjectAccessReview asks about, and the write impersonates, that.
     */
    public KubernetesActions(KubernetesClient client, Function<Identity, KubernetesClient> as,
                             java.util.function.UnaryOperator<Identity> onCluster) {
        this.client = client;
        this.as = who -> as.apply(onCluster.apply(who));
        this.onCluster = onCluster;
    }

    /** The request an action sends. */
    private record Request(String method, String patchType, String body) {
    }

    @Override
    public JsonNode read(Action a) {
        GenericKubernetesResource r = resource(client, a).get();
        return r == null ? null : tree(r);
    }

    /** @throws ActionException (BAD_INPUT) when the action does not fit the object (no such container, revision) */
    @Override
    public DryRunResult dryRun(Action a, Identity who) {
        JsonNode before = read(a);
        try (KubernetesClient c = as.apply(who)) {
            Request req = request(a, before);
            Resource<GenericKubernetesResource> r = resource(c, a);
            JsonNode after = switch (req.method()) {
                case "DELETE" -> {
                    r.dryRun().delete();
                    yield null;
                }
                case "APPLY" -> tree(resource(c, a).dryRun().fieldManager(MANAGER).forceConflicts().serverSideApply());
                default -> tree(r.dryRun().patch(PatchContext.of(patchType(req.patchType())), req.body()));
            };
            return new DryRunResult(before, after, null);
        } catch (KubernetesClientException e) {
            return new DryRunResult(before, null, message(e));
        }
    }

    @Override
    public Access access(Action a, Identity asked) {
        Identity who = onCluster.apply(asked);
        String[] res = resourceOf(a.targetKind());
        String group = res[0].contains("/") ? res[0].substring(0, res[0].indexOf('/')) : "";
        String verb = switch (a.kind()) {
            case DELETE_POD -> "delete";
            case APPLY_MANIFEST -> read(a) == null ? "create" : "patch";
            default -> "patch";
        };
        SubjectAccessReview sar = new SubjectAccessReviewBuilder().withNewSpec().withUser(who.user())
                .withGroups(who.groups()).withNewResourceAttributes().withVerb(verb).withGroup(group)
                .withResource(res[1]).withNamespace(a.namespace()).withName(a.name()).endResourceAttributes()
                .endSpec().build();
        String request = verb + " " + res[1] + (group.isEmpty() ? "" : "." + group) + "/" + a.name() + " in namespace "
                + a.namespace();
        try {
            SubjectAccessReview answer = client.authorization().v1().subjectAccessReview().create(sar);
            boolean allowed = answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed())
                    && !Boolean.TRUE.equals(answer.getStatus().getDenied());
            String reason = answer.getStatus() == null ? null : answer.getStatus().getReason();
            return new Access(allowed, request, reason == null || reason.isBlank() ? (allowed ? null : "RBAC allows it to no rule") : reason);
        } catch (KubernetesClientException e) {
            return new Access(false, request, "the SubjectAccessReview could not be made: " + message(e));
        }
    }

    @Override
    public Sent apply(Action a, Identity who) {
        JsonNode before = read(a);
        String path = path(a);
        Request req;
        try {
            req = request(a, before);
        } catch (ActionException e) {
            return new Sent("PATCH", path, null, null, null, e.getMessage());
        }
        try (KubernetesClient c = as.apply(who)) {
            Resource<GenericKubernetesResource> r = resource(c, a);
            String version = switch (req.method()) {
                case "DELETE" -> {
                    r.delete();
                    yield null;
                }
                case "APPLY" -> r.fieldManager(MANAGER).forceConflicts().serverSideApply().getMetadata().getResourceVersion();
                default -> r.patch(PatchContext.of(patchType(req.patchType())), req.body()).getMetadata().getResourceVersion();
            };
            return new Sent(req.method().equals("APPLY") ? "PATCH" : req.method(), path, req.patchType(), req.body(), version, null);
        } catch (KubernetesClientException e) {
            return new Sent(req.method().equals("APPLY") ? "PATCH" : req.method(), path, req.patchType(), req.body(), null, message(e));
        }
    }

    @Override
    public Rollout awaitRollout(Action a, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "not read yet";
        String uidBefore = null;
        Map<String, Long> refusedSince = new java.util.HashMap<>();
        if (a.kind() == ActionKind.DELETE_POD) {
            // the pod read before the delete is gone, or a new one of that name was made (a StatefulSet's)
            last = "deleting";
        }
        while (true) {
            GenericKubernetesResource r = resource(client, a).get();
            JsonNode o = r == null ? null : tree(r);
            switch (a.targetKind()) {
                case "Deployment", "StatefulSet", "DaemonSet" -> {
                    if (a.kind() == ActionKind.APPLY_MANIFEST && o == null) {
                        return new Rollout("failed", a.target() + " does not exist");
                    }
                    if (o == null) return new Rollout("failed", a.target() + " was deleted");
                    String[] verdict = rolloutStatus(a.targetKind(), o);
                    if (verdict[0] != null) return new Rollout(verdict[0], verdict[1]);
                    last = verdict[1];
                    // the new pods failing already: no need to wait for the progress deadline (Argo Rollouts' analysis)
                    String failing = failingNewPods(a, o, refusedSince);
                    if (failing != null) return new Rollout("failed", "the new pods fail: " + failing + " (" + last + ")");
                }
                case "Pod" -> {
                    if (o == null) return new Rollout("succeeded", "pod " + a.name() + " deleted");
                    if (o.path("metadata").path("deletionTimestamp").isMissingNode()
                            && (uidBefore == null || !uidBefore.equals(o.path("metadata").path("uid").asText()))) {
                        if (uidBefore != null) return new Rollout("succeeded", "pod " + a.name() + " made again by its controller");
                    }
                    if (uidBefore == null) uidBefore = o.path("metadata").path("uid").asText();
                    last = "pod " + a.name() + " is terminating";
                }
                default -> {
                    return o == null ? new Rollout("failed", a.target() + " does not exist")
                            : new Rollout("succeeded", a.target() + " stored (resourceVersion "
                            + o.path("metadata").path("resourceVersion").asText() + ")");
                }
            }
            if (System.nanoTime() > deadline) return new Rollout("timeout", "not done after " + timeout.toSeconds() + " s: " + last);
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Rollout("timeout", "interrupted: " + last);
            }
        }
    }

    /** How long a ReplicaSet's refusal to create pods must last before the rollout is judged failed by it. */
    static final Duration REFUSAL_GRACE = Duration.ofSeconds(15);

    private static final java.util.Set<String> FAILING = java.util.Set.of("CrashLoopBackOff", "ImagePullBackOff",
            "ErrImagePull", "CreateContainerConfigError", "CreateContainerError", "InvalidImageName", "RunContainerError");

    /**
     * A pod of the workload's current template (a Deployment's newest ReplicaSet, a StatefulSet's or DaemonSet's
     * update revision) that is failing: a container waiting with a failure reason, or restarted after a non-zero
     * exit; e.g. {@code pod api-7c9-x2: container app OOMKilled (exit 137)}. Null when none is.
     */
    private String failingNewPods(Action a, JsonNode o, Map<String, Long> refusedSince) {
        // until the controller has seen this generation, the revision annotation (and a StatefulSet's updateRevision)
        // still names the old template: its pods are the ones being replaced, not the new ones
        if (o.path("status").path("observedGeneration").asLong(-1) < o.path("metadata").path("generation").asLong(0)) {
            return null;
        }
        JsonNode selector = o.path("spec").path("selector").path("matchLabels");
        if (!selector.isObject() || selector.isEmpty()) return null;
        Map<String, String> labels = new TreeMap<>();
        selector.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        String hashLabel = null;
        String hash = null;
        if (a.targetKind().equals("Deployment")) {
            String rev = o.path("metadata").path("annotations").path(REVISION).asText(null);
            JsonNode rs = rev == null ? null : revisions(a.namespace(), a.name()).get(Integer.valueOf(rev));
            hash = rs == null ? null : rs.path("metadata").path("labels").path("pod-template-hash").asText(null);
            hashLabel = "pod-template-hash";
        } else {
            hash = o.path("status").path("updateRevision").asText(null);
            hashLabel = "controller-revision-hash";
        }
        if (hash == null) return null;
        if (a.targetKind().equals("Deployment")) {
            // the new ReplicaSet cannot make its pods at all (a full quota, an admission refusal)
            String rev = o.path("metadata").path("annotations").path(REVISION).asText(null);
            JsonNode rs = revisions(a.namespace(), a.name()).get(Integer.valueOf(rev));
            // only when it lasts: a quota's usage is counted by a controller, after the fact, so a pod made while an
            // old one is still counted is refused once and made on the ReplicaSet's next try
            String name = rs.path("metadata").path("name").asText();
            boolean refused = false;
            for (JsonNode c : rs.path("status").path("conditions")) {
                if ("ReplicaFailure".equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
                    refused = true;
                    long since = refusedSince.computeIfAbsent(name, k -> System.nanoTime());
                    if (System.nanoTime() - since >= REFUSAL_GRACE.toNanos()) {
                        return "ReplicaSet " + name + " cannot create its pods (" + c.path("reason").asText() + "): "
                                + c.path("message").asText();
                    }
                }
            }
            if (!refused) refusedSince.remove(name);
        }
        labels.put(hashLabel, hash);
        for (var pod : client.pods().inNamespace(a.namespace()).withLabels(labels).list().getItems()) {
            if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) continue;
            for (var cs : pod.getStatus().getContainerStatuses()) {
                var waiting = cs.getState() == null ? null : cs.getState().getWaiting();
                var last = cs.getLastState() == null ? null : cs.getLastState().getTerminated();
                if (last != null && last.getExitCode() != null && last.getExitCode() != 0) {
                    return "pod " + pod.getMetadata().getName() + ": container " + cs.getName() + " "
                            + (last.getReason() == null ? "exited" : last.getReason()) + " (exit " + last.getExitCode() + ")";
                }
                if (waiting != null && FAILING.contains(waiting.getReason())) {
                    return "pod " + pod.getMetadata().getName() + ": container " + cs.getName() + " " + waiting.getReason();
                }
            }
        }
        return null;
    }

    /**
     * {@code kubectl rollout status}: {null, progress} while rolling out, {succeeded|failed, detail} when done.
     */
    static String[] rolloutStatus(String kind, JsonNode o) {
        JsonNode spec = o.path("spec");
        JsonNode st = o.path("status");
        long generation = o.path("metadata").path("generation").asLong();
        long observed = st.path("observedGeneration").asLong(-1);
        if (observed < generation) return new String[] {null, "waiting for the controller to see generation " + generation};
        int want = spec.path("replicas").asInt(1);
        switch (kind) {
            case "Deployment" -> {
                for (JsonNode c : st.path("conditions")) {
                    if ("Progressing".equals(c.path("type").asText()) && "ProgressDeadlineExceeded".equals(c.path("reason").asText())) {
                        return new String[] {"failed", "ProgressDeadlineExceeded: " + c.path("message").asText()};
                    }
                }
                int updated = st.path("updatedReplicas").asInt(0);
                int replicas = st.path("replicas").asInt(0);
                int available = st.path("availableReplicas").asInt(0);
                String p = updated + " of " + want + " updated, " + available + " available, " + replicas + " in all";
                if (updated < want) return new String[] {null, p};
                if (replicas > updated) return new String[] {null, p + " (old pods still terminating)"};
                if (available < updated) return new String[] {null, p};
                return new String[] {"succeeded", "rolled out: " + p};
            }
            case "StatefulSet" -> {
                int updated = st.path("updatedReplicas").asInt(0);
                int ready = st.path("readyReplicas").asInt(0);
                String p = updated + " of " + want + " updated, " + ready + " ready";
                if (updated < want || ready < want) return new String[] {null, p};
                if (!st.path("currentRevision").asText().equals(st.path("updateRevision").asText())) return new String[] {null, p};
                return new String[] {"succeeded", "rolled out: " + p};
            }
            default -> {
                int desired = st.path("desiredNumberScheduled").asInt(0);
                int updated = st.path("updatedNumberScheduled").asInt(0);
                int available = st.path("numberAvailable").asInt(0);
                String p = updated + " of " + desired + " updated, " + available + " available";
                if (updated < desired || available < desired) return new String[] {null, p};
                return new String[] {"succeeded", "rolled out: " + p};
            }
        }
    }

    @Override
    public Integer previousRevision(String namespace, String deployment) {
        TreeMap<Integer, JsonNode> revisions = revisions(namespace, deployment);
        var d = client.apps().deployments().inNamespace(namespace).withName(deployment).get();
        if (d == null) return null;
        String cur = d.getMetadata().getAnnotations() == null ? null : d.getMetadata().getAnnotations().get(REVISION);
        Integer current = cur == null ? (revisions.isEmpty() ? null : revisions.lastKey()) : Integer.valueOf(cur);
        return current == null ? null : revisions.lowerKey(current);
    }

    /** A Deployment's ReplicaSets by revision. */
    private TreeMap<Integer, JsonNode> revisions(String namespace, String deployment) {
        TreeMap<Integer, JsonNode> out = new TreeMap<>();
        var d = client.apps().deployments().inNamespace(namespace).withName(deployment).get();
        if (d == null) return out;
        for (var rs : client.apps().replicaSets().inNamespace(namespace).list().getItems()) {
            boolean owned = rs.getMetadata().getOwnerReferences() != null && rs.getMetadata().getOwnerReferences().stream()
                    .anyMatch(o -> d.getMetadata().getUid().equals(o.getUid()));
            String rev = rs.getMetadata().getAnnotations() == null ? null : rs.getMetadata().getAnnotations().get(REVISION);
            if (owned && rev != null && rev.matches("[0-9]{1,9}")) out.put(Integer.valueOf(rev), JSON.valueToTree(rs));
        }
        return out;
    }

    /** The request of an action on the object as it is now ({@code before}). */
    private Request request(Action a, JsonNode before) {
        JsonNode p = a.params();
        ObjectNode body = JSON.createObjectNode();
        switch (a.kind()) {
            case SCALE -> {
                body.putObject("spec").put("replicas", p.get("replicas").asInt());
                return new Request("PATCH", "merge", write(body));
            }
            case RESTART -> {
                body.putObject("spec").putObject("template").putObject("metadata").putObject("annotations")
                        .put(RESTARTED_AT, p.get("restartedAt").asText());
                return new Request("PATCH", "strategic", write(body));
            }
            case SET_IMAGE, SET_RESOURCES -> {
                String container = p.get("container").asText();
                List<String> names = new ArrayList<>();
                before.path("spec").path("template").path("spec").path("containers").forEach(c -> names.add(c.path("name").asText()));
                if (!names.contains(container)) {
                    throw new ActionException(ActionException.Reason.BAD_INPUT, a.targetKind() + " " + a.namespace() + "/"
                            + a.name() + " has no container '" + container + "'; containers: " + names);
                }
                ObjectNode c = body.putObject("spec").putObject("template").putObject("spec").putArray("containers").addObject();
                c.put("name", container);
                if (a.kind() == ActionKind.SET_IMAGE) {
                    c.put("image", p.get("image").asText());
                } else {
                    ObjectNode res = c.putObject("resources");
                    if (p.has("requests")) res.set("requests", p.get("requests"));
                    if (p.has("limits")) res.set("limits", p.get("limits"));
                }
                return new Request("PATCH", "strategic", write(body));
            }
            case ROLLBACK -> {
                int revision = p.get("revision").asInt();
                TreeMap<Integer, JsonNode> revs = revisions(a.namespace(), a.name());
                JsonNode rs = revs.get(revision);
                if (rs == null) {
                    throw new ActionException(ActionException.Reason.BAD_INPUT, "deployment " + a.namespace() + "/" + a.name()
                            + " has no revision " + revision + "; revisions: " + revs.keySet());
                }
                ObjectNode template = rs.path("spec").path("template").deepCopy();
                if (template.path("metadata").path("labels") instanceof ObjectNode l) l.remove("pod-template-hash");
                ArrayNode patch = JSON.createArrayNode();
                patch.addObject().put("op", "replace").put("path", "/spec/template").set("value", template);
                return new Request("PATCH", "json", write(patch));
            }
            case PATCH_CONFIGMAP -> {
                ObjectNode data = body.putObject("data");
                if (p.get("value").isNull()) data.putNull(p.get("key").asText());
                else data.put(p.get("key").asText(), p.get("value").asText());
                return new Request("PATCH", "merge", write(body));
            }
            case DELETE_POD -> {
                return new Request("DELETE", null, null);
            }
            case APPLY_MANIFEST -> {
                return new Request("APPLY", "apply", write(p.get("manifest")));
            }
            default -> throw new IllegalStateException(a.kind().toString());
        }
    }

    private Resource<GenericKubernetesResource> resource(KubernetesClient c, Action a) {
        String[] res = resourceOf(a.targetKind());
        if (a.kind() == ActionKind.APPLY_MANIFEST) {
            GenericKubernetesResource g = Serialization.unmarshal(write(a.params().get("manifest")), GenericKubernetesResource.class);
            return c.genericKubernetesResources(res[0], a.targetKind()).inNamespace(a.namespace()).resource(g);
        }
        return c.genericKubernetesResources(res[0], a.targetKind()).inNamespace(a.namespace()).withName(a.name());
    }

    private static String[] resourceOf(String kind) {
        String[] r = RESOURCES.get(kind);
        if (r == null) throw new ActionException(ActionException.Reason.BAD_INPUT, "cannot change a " + kind);
        return r;
    }

    /** The API path of the target, e.g. {@code /apis/apps/v1/namespaces/shop/deployments/web}. */
    static String path(Action a) {
        String[] r = resourceOf(a.targetKind());
        return (r[0].contains("/") ? "/apis/" : "/api/") + r[0] + "/namespaces/" + a.namespace() + "/" + r[1] + "/" + a.name();
    }

    private static PatchType patchType(String t) {
        return switch (t) {
            case "merge" -> PatchType.JSON_MERGE;
            case "strategic" -> PatchType.STRATEGIC_MERGE;
            case "json" -> PatchType.JSON;
            default -> throw new IllegalArgumentException("patch type " + t);
        };
    }

    private static JsonNode tree(Object o) {
        try {
            return JSON.readTree(Serialization.asJson(o));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String write(JsonNode n) {
        try {
            return JSON.writeValueAsString(n);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The API server's message ({@code deployments.apps "web" is forbidden: User "bob" cannot patch ...}). */
    static String message(KubernetesClientException e) {
        if (e.getStatus() != null && e.getStatus().getMessage() != null) {
            return e.getCode() + ": " + e.getStatus().getMessage();
        }
        return LiveClusterReader.why(e);
    }
}
