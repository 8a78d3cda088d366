package io.opsagent.adapters.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.opsagent.core.cluster.ClusterSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Loads the desired state of a cluster snapshot (a dump) into a real cluster, by server-side apply: namespaces,
 * ConfigMaps, Secrets (their keys, with placeholder values: a snapshot never holds values), ServiceAccounts the pods
 * name, PersistentVolumeClaims, Services, ResourceQuotas, Deployments, StatefulSets, DaemonSets, CronJobs, Jobs not
 * owned by a CronJob, and HorizontalPodAutoscalers. Status, ids, owners and cluster-assigned fields (cluster IPs,
 * bound volumes, controller-made selectors) are left out: the cluster's controllers make the pods, ReplicaSets and
 * status again, for real. Nodes, pods and events are not loaded (the cluster has its own).
 *
 * <p>Three things are made so the cluster ends where the dump was: a claim the dump shows bound gets a volume (and
 * its StorageClass) to bind to; Deployments are applied oldest first, and in a namespace with a quota each one's pods
 * are made before the next, so the quota refuses the pods it refused in the dump; an HPA gets the dump's status (the
 * local cluster has no metrics, and its HPA controller is off).
 *
 * <p>Applying again changes nothing that is already as wanted (field manager {@value #MANAGER}).
 */
public final class ClusterSeeder {
    /** The field manager of every object applied. */
    public static final String MANAGER = "opsagent-seed";
    /** The value every Secret key gets. */
    public static final String PLACEHOLDER = "opsagent-demo-placeholder";
    private static final String PLACEHOLDER_BASE64 = java.util.Base64.getEncoder()
            .encodeToString(PLACEHOLDER.getBytes(java.nio.charset.StandardCharsets.UTF_8));

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> CLUSTER_NAMESPACES = Set.of("kube-system", "kube-public", "kube-node-lease", "default");

    private final KubernetesClient client;

    public ClusterSeeder(KubernetesClient client) {
        this.client = client;
    }

    /** What was applied, and what the cluster refused (with its reason). */
    public record Result(Map<String, Integer> applied, List<String> refused) {
        public int total() {
            return applied.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** Applies the snapshot's objects; {@code progress} hears one line per kind. Never stops at a refusal. */
    public Result seed(ClusterSnapshot s, Consumer<String> progress) {
        return seed(s, false, progress);
    }

    /**
     * As {@link #seed(ClusterSnapshot, Consumer)}; with {@code nodes}, first the dump's nodes too, as kwok nodes (for
     * a local cluster whose nodes kwok simulates): their names, labels, taints, capacity and allocatable, so the
     * scheduler places (or cannot place) the pods as in the dump. The cluster's other kwok nodes are then deleted, or
     * cordoned where pods other than a DaemonSet's run on them.
     */
    public Result seed(ClusterSnapshot s, boolean nodes, Consumer<String> progress) {
        Map<String, Integer> applied = new LinkedHashMap<>();
        List<String> refused = new ArrayList<>();
        if (nodes && !s.nodes().isEmpty()) nodes(s, applied, refused, progress);
        Set<String> namespaces = new LinkedHashSet<>(s.namespaceNames());
        for (String ns : namespaces) {
            if (CLUSTER_NAMESPACES.contains(ns)) continue;
            apply(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build(), applied, refused);
        }
        s.configMaps().stream().filter(c -> !c.getMetadata().getName().equals("kube-root-ca.crt"))
                .forEach(o -> apply(o, applied, refused));
        s.secrets().stream().filter(x -> !"kubernetes.io/service-account-token".equals(x.getType()))
                .forEach(o -> apply(o, applied, refused));
        serviceAccounts(s).forEach(o -> apply(o, applied, refused));
        volumesOfBoundClaims(s, applied, refused);
        s.pvcs().forEach(o -> apply(o, applied, refused));
        s.services().stream().filter(x -> !(x.getMetadata().getName().equals("kubernetes")
                && "default".equals(x.getMetadata().getNamespace()))).forEach(o -> apply(o, applied, refused));
        s.resourceQuotas().forEach(o -> apply(o, applied, refused));
        Set<String> quotaed = new LinkedHashSet<>();
        s.resourceQuotas().forEach(q -> quotaed.add(q.getMetadata().getNamespace()));
        quotasComputed(s.resourceQuotas());
        // oldest first, as they were made: in a namespace with a quota, which pods the quota lets in depends on it
        s.deployments().stream().sorted(Comparator.comparing(ClusterSeeder::created)).forEach(d -> {
            apply(d, applied, refused);
            if (quotaed.contains(d.getMetadata().getNamespace())) podsMadeOrRefused(d);
        });
        Stream.of(s.statefulSets(), s.daemonSets(), s.cronJobs()).flatMap(List::stream)
                .forEach(o -> apply(o, applied, refused));
        s.jobs().stream().filter(j -> owners(j).noneMatch("CronJob"::equals)).forEach(o -> apply(o, applied, refused));
        s.hpas().forEach(o -> {
            apply(o, applied, refused);
            status(o, refused);
        });
        applied.forEach((kind, n) -> progress.accept(n + " " + kind + (n == 1 ? "" : "s")));
        refused.forEach(r -> progress.accept("refused: " + r));
        return new Result(applied, refused);
    }

    /** The annotation by which kwok knows the nodes it simulates. */
    public static final String KWOK_NODE = "kwok.x-k8s.io/node";
    /** Taints the node-lifecycle controller sets from a node's conditions: it sets them again here. */
    private static final Set<String> CONTROLLER_TAINTS = Set.of("node.kubernetes.io/not-ready",
            "node.kubernetes.io/unreachable", "node.kubernetes.io/unschedulable");

    private void nodes(ClusterSnapshot s, Map<String, Integer> applied, List<String> refused, Consumer<String> progress) {
        Set<String> names = new LinkedHashSet<>();
        for (Node n : s.nodes()) {
            String name = n.getMetadata().getName();
            names.add(name);
            if (client.nodes().withName(name).get() != null) continue;
            Map<String, String> annotations = new LinkedHashMap<>();
            annotations.put(KWOK_NODE, "fake");
            Node node = new NodeBuilder().withNewMetadata().withName(name).withLabels(n.getMetadata().getLabels())
                    .withAnnotations(annotations).endMetadata()
                    .withNewSpec().withTaints(taints(n))
                    .withProviderID(n.getSpec() == null ? null : n.getSpec().getProviderID()).endSpec()
                    .withNewStatus().withCapacity(room(s, n, n.getStatus().getCapacity(), progress))
                    .withAllocatable(room(s, n, n.getStatus().getAllocatable(), null))
                    .withNodeInfo(n.getStatus().getNodeInfo())
                    // as a kubelet registers: not ready yet (else the controller lifts the not-ready taint at once)
                    .addNewCondition().withType("Ready").withStatus("False").withReason("KubeletNotReady")
                    .withMessage("registered; kwok has not reported it yet").endCondition().endStatus().build();
            try {
                client.nodes().resource(node).create();
                applied.merge("Node", 1, Integer::sum);
            } catch (KubernetesClientException e) {
                refused.add("Node " + name + ": " + (e.getStatus() != null && e.getStatus().getMessage() != null
                        ? e.getStatus().getMessage() : e.getMessage()));
            }
        }
        for (Node other : client.nodes().list().getItems()) {
            String name = other.getMetadata().getName();
            if (names.contains(name) || other.getMetadata().getAnnotations() == null
                    || !"fake".equals(other.getMetadata().getAnnotations().get(KWOK_NODE))) {
                continue;
            }
            boolean busy = client.pods().inAnyNamespace().withField("spec.nodeName", name).list().getItems().stream()
                    .anyMatch(p -> p.getMetadata().getOwnerReferences() == null || p.getMetadata().getOwnerReferences()
                            .stream().noneMatch(o -> "DaemonSet".equals(o.getKind())));
            if (busy) {
                client.nodes().withName(name).edit(x -> new NodeBuilder(x).editSpec().withUnschedulable(true).endSpec().build());
                progress.accept("node " + name + " cordoned (pods run on it): the dump's nodes take its new pods");
            } else {
                client.nodes().withName(name).delete();
                progress.accept("node " + name + " deleted: the dump's nodes replace it");
            }
        }
    }

    /**
     * A node's capacity or allocatable, with room for the pods the dump shows on it: cpu and memory raised to 1.25
     * times what those pods request where the dump's own figures are lower (a dump, generated ones especially, can
     * hold more than its nodes would admit; the scheduler here admits only what fits, and the pods it could not place
     * would be failures the dump does not have).
     */
    private static Map<String, Quantity> room(ClusterSnapshot s, Node n, Map<String, Quantity> given, Consumer<String> progress) {
        Map<String, Quantity> out = new LinkedHashMap<>(given == null ? Map.of() : given);
        for (String r : List.of("cpu", "memory")) {
            java.math.BigDecimal requested = s.pods().stream()
                    .filter(p -> p.getSpec() != null && n.getMetadata().getName().equals(p.getSpec().getNodeName()))
                    .filter(p -> p.getStatus() == null || !List.of("Succeeded", "Failed").contains(p.getStatus().getPhase()))
                    .flatMap(p -> p.getSpec().getContainers().stream())
                    .map(c -> c.getResources() == null || c.getResources().getRequests() == null ? null
                            : c.getResources().getRequests().get(r))
                    .filter(java.util.Objects::nonNull).map(Quantity::getAmountInBytes)
                    .reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add);
            java.math.BigDecimal want = requested.multiply(java.math.BigDecimal.valueOf(125, 2));
            Quantity have = out.get(r);
            if (have != null && Quantity.getAmountInBytes(have).compareTo(want) >= 0) continue;
            Quantity raised = r.equals("cpu")
                    ? new Quantity(want.movePointRight(3).setScale(0, java.math.RoundingMode.CEILING) + "m")
                    : new Quantity(want.divide(java.math.BigDecimal.valueOf(1024 * 1024), 0, java.math.RoundingMode.CEILING) + "Mi");
            out.put(r, raised);
            if (progress != null) {
                progress.accept("node " + n.getMetadata().getName() + ": " + r + " " + (have == null ? "(none)" : have)
                        + " raised to " + raised + " (the dump's pods on it request " + (r.equals("cpu")
                        ? requested.movePointRight(3).setScale(0, java.math.RoundingMode.CEILING) + "m"
                        : requested.divide(java.math.BigDecimal.valueOf(1024 * 1024), 0, java.math.RoundingMode.CEILING) + "Mi") + ")");
            }
        }
        return out;
    }

    /**
     * The dump's taints, but the ones the node-lifecycle controller keeps in line with the node's conditions, and
     * {@code not-ready} as a kubelet registers a node: no pod is placed on it before kwok reports it ready with its
     * conditions (the controller then sets the condition taints, disk-pressure say, in the same update).
     */
    private static List<io.fabric8.kubernetes.api.model.Taint> taints(Node n) {
        List<io.fabric8.kubernetes.api.model.Taint> out = new ArrayList<>();
        out.add(new TaintBuilder().withKey("node.kubernetes.io/not-ready").withEffect("NoSchedule").build());
        if (n.getSpec() != null && n.getSpec().getTaints() != null) {
            n.getSpec().getTaints().stream().filter(t -> !CONTROLLER_TAINTS.contains(t.getKey()))
                    .map(t -> new TaintBuilder(t).withTimeAdded(null).build()).forEach(out::add);
        }
        return out;
    }

    private static String created(HasMetadata o) {
        return o.getMetadata().getCreationTimestamp() == null ? "" : o.getMetadata().getCreationTimestamp();
    }

    /**
     * A claim the dump shows bound gets a volume to bind to (the cluster has no storage provisioner): a
     * PersistentVolume of the dump's volume name, size, access modes and class, pre-bound to the claim, and its
     * StorageClass when the cluster has none of that name (static volumes only). A claim the dump shows pending
     * gets nothing, so it stays pending as it was.
     */
    private void volumesOfBoundClaims(ClusterSnapshot s, Map<String, Integer> applied, List<String> refused) {
        Set<String> classes = new LinkedHashSet<>();
        for (PersistentVolumeClaim c : s.pvcs()) {
            if (c.getStatus() == null || !"Bound".equals(c.getStatus().getPhase()) || c.getSpec().getVolumeName() == null) {
                continue;
            }
            String name = c.getSpec().getVolumeName();
            String cls = c.getSpec().getStorageClassName();
            if (cls != null && classes.add(cls) && client.storage().v1().storageClasses().withName(cls).get() == null) {
                apply(new StorageClassBuilder().withNewMetadata().withName(cls).endMetadata()
                        .withProvisioner("kubernetes.io/no-provisioner").withVolumeBindingMode("Immediate")
                        .withReclaimPolicy("Retain").build(), applied, refused);
            }
            PersistentVolume existing = client.persistentVolumes().withName(name).get();
            if (existing != null && existing.getStatus() != null && "Released".equals(existing.getStatus().getPhase())) {
                // its claim was deleted (the demo loaded before): free the name for the new claim
                client.persistentVolumes().withName(name).withTimeout(30, TimeUnit.SECONDS).delete();
                client.persistentVolumes().withName(name).waitUntilCondition(java.util.Objects::isNull, 30, TimeUnit.SECONDS);
            }
            Quantity size = c.getStatus().getCapacity() != null && c.getStatus().getCapacity().get("storage") != null
                    ? c.getStatus().getCapacity().get("storage") : c.getSpec().getResources().getRequests().get("storage");
            apply(new PersistentVolumeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
                    .withCapacity(Map.of("storage", size)).withAccessModes(c.getSpec().getAccessModes())
                    .withStorageClassName(cls).withPersistentVolumeReclaimPolicy("Retain")
                    .withNewHostPath().withPath("/var/lib/opsagent-simulated/" + name).endHostPath()
                    .withNewClaimRef().withApiVersion("v1").withKind("PersistentVolumeClaim")
                    .withNamespace(c.getMetadata().getNamespace()).withName(c.getMetadata().getName()).endClaimRef()
                    .endSpec().build(), applied, refused);
        }
    }

    /** Waits (up to 15 s) until the quota controller has computed every quota: until then, admission refuses pods. */
    private void quotasComputed(List<ResourceQuota> quotas) {
        for (ResourceQuota q : quotas) {
            try {
                client.resourceQuotas().inNamespace(q.getMetadata().getNamespace()).withName(q.getMetadata().getName())
                        .waitUntilCondition(x -> x != null && x.getStatus() != null && x.getStatus().getHard() != null
                                && !x.getStatus().getHard().isEmpty(), 15, TimeUnit.SECONDS);
            } catch (KubernetesClientException | IllegalStateException e) {
                return; // not computed in time: the pods are still made, the quota counts them later
            }
        }
    }

    /** Waits (up to 15 s) until the Deployment's pods are made or the quota refused one (FailedCreate). */
    private void podsMadeOrRefused(Deployment d) {
        String ns = d.getMetadata().getNamespace();
        int want = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        Map<String, String> labels = d.getSpec().getSelector() == null ? null : d.getSpec().getSelector().getMatchLabels();
        if (labels == null || labels.isEmpty()) return;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            int pods = client.pods().inNamespace(ns).withLabels(labels).list().getItems().size();
            boolean refusedOne = client.apps().replicaSets().inNamespace(ns).withLabels(labels).list().getItems().stream()
                    .anyMatch(rs -> rs.getStatus() != null && rs.getStatus().getConditions() != null && rs.getStatus()
                            .getConditions().stream().anyMatch(c -> "ReplicaFailure".equals(c.getType())));
            if (pods >= want || refusedOne) return;
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The dump's status of an object the cluster has no controller for here (an HPA: no metrics pipeline). */
    private void status(HasMetadata o, List<String> refused) {
        JsonNode status = JSON.valueToTree(o).get("status");
        if (status == null || status.isNull() || status.isEmpty()) return;
        ObjectNode patch = JSON.createObjectNode();
        patch.set("status", status);
        try {
            client.resource(desired(o)).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
        } catch (KubernetesClientException e) {
            refused.add(o.getKind() + " " + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName()
                    + " status: " + (e.getStatus() != null && e.getStatus().getMessage() != null
                    ? e.getStatus().getMessage() : e.getMessage()));
        }
    }

    private static Stream<String> owners(HasMetadata o) {
        return o.getMetadata().getOwnerReferences() == null ? Stream.empty()
                : o.getMetadata().getOwnerReferences().stream().map(r -> r.getKind());
    }

    /** The ServiceAccounts the workloads' pod templates name (other than {@code default}). */
    private static List<HasMetadata> serviceAccounts(ClusterSnapshot s) {
        Set<String> seen = new LinkedHashSet<>();
        Stream.of(s.deployments().stream().map(d -> pair(d, d.getSpec().getTemplate().getSpec())),
                        s.statefulSets().stream().map(d -> pair(d, d.getSpec().getTemplate().getSpec())),
                        s.daemonSets().stream().map(d -> pair(d, d.getSpec().getTemplate().getSpec())),
                        s.cronJobs().stream().map(d -> pair(d, d.getSpec().getJobTemplate().getSpec().getTemplate().getSpec())),
                        s.jobs().stream().map(d -> pair(d, d.getSpec().getTemplate().getSpec())))
                .flatMap(x -> x)
                .filter(p -> p.spec() != null && p.spec().getServiceAccountName() != null
                        && !p.spec().getServiceAccountName().equals("default"))
                .forEach(p -> seen.add(p.ns() + "/" + p.spec().getServiceAccountName()));
        List<HasMetadata> out = new ArrayList<>();
        for (String k : seen) {
            String[] nsName = k.split("/", 2);
            out.add(new ServiceAccountBuilder().withNewMetadata().withNamespace(nsName[0]).withName(nsName[1])
                    .endMetadata().build());
        }
        return out;
    }

    private record NsSpec(String ns, PodSpec spec) {
    }

    private static NsSpec pair(HasMetadata o, PodSpec spec) {
        return new NsSpec(o.getMetadata().getNamespace(), spec);
    }

    private void apply(HasMetadata o, Map<String, Integer> applied, List<String> refused) {
        String what = o.getKind() + " " + (o.getMetadata().getNamespace() == null ? "" : o.getMetadata().getNamespace() + "/")
                + o.getMetadata().getName();
        try {
            HasMetadata desired = desired(o);
            client.resource(desired).fieldManager(MANAGER).forceConflicts().serverSideApply();
            applied.merge(o.getKind(), 1, Integer::sum);
        } catch (KubernetesClientException e) {
            refused.add(what + ": " + (e.getStatus() != null && e.getStatus().getMessage() != null
                    ? e.getStatus().getMessage() : e.getMessage()));
        } catch (RuntimeException e) {
            refused.add(what + ": " + e);
        }
    }

    /** The object as a user would have written it: no status, ids, owners or cluster-assigned fields. */
    static HasMetadata desired(HasMetadata o) {
        ObjectNode n = JSON.valueToTree(o);
        n.remove("status");
        ObjectNode m = (ObjectNode) n.get("metadata");
        for (String f : List.of("uid", "resourceVersion", "creationTimestamp", "generation", "managedFields",
                "ownerReferences", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds")) {
            m.remove(f);
        }
        if (m.has("annotations")) {
            ObjectNode a = (ObjectNode) m.get("annotations");
            List<String> drop = new ArrayList<>();
            a.fieldNames().forEachRemaining(k -> {
                if (k.startsWith("deployment.kubernetes.io/") || k.equals("kubectl.kubernetes.io/last-applied-configuration")
                        || k.startsWith("pv.kubernetes.io/") || k.startsWith("volume.")) {
                    drop.add(k);
                }
            });
            drop.forEach(a::remove);
        }
        ObjectNode spec = n.has("spec") && n.get("spec").isObject() ? (ObjectNode) n.get("spec") : null;
        switch (o.getKind()) {
            case "Service" -> {
                if (spec != null) {
                    spec.remove(List.of("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy", "healthCheckNodePort"));
                    if (spec.has("ports")) spec.get("ports").forEach(p -> ((ObjectNode) p).remove("nodePort"));
                }
            }
            case "PersistentVolumeClaim" -> {
                if (spec != null) spec.remove("volumeName");
            }
            case "Job" -> {
                // the controller's selector and labels come back when the Job is made again
                if (spec != null) {
                    spec.remove("selector");
                    spec.remove("manualSelector");
                    stripJobLabels(m);
                    if (spec.path("template").path("metadata").isObject()) {
                        stripJobLabels((ObjectNode) spec.get("template").get("metadata"));
                    }
                }
            }
            case "Secret" -> {
                ObjectNode data = JSON.createObjectNode();
                n.path("data").fieldNames().forEachRemaining(k -> data.put(k, PLACEHOLDER_BASE64));
                n.path("stringData").fieldNames().forEachRemaining(k -> data.put(k, PLACEHOLDER_BASE64));
                n.remove("stringData");
                n.set("data", data);
            }
            default -> { }
        }
        return Serialization.unmarshal(n.toString(), HasMetadata.class);
    }

    private static void stripJobLabels(ObjectNode meta) {
        if (!meta.has("labels")) return;
        ObjectNode l = (ObjectNode) meta.get("labels");
        for (String k : List.of("controller-uid", "job-name", "batch.kubernetes.io/controller-uid", "batch.kubernetes.io/job-name")) {
            l.remove(k);
        }
    }
}
