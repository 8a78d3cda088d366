package io.opsagent.adapters.kubernetes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.opsagent.core.cluster.ClusterSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
        Map<String, Integer> applied = new LinkedHashMap<>();
        List<String> refused = new ArrayList<>();
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
        s.pvcs().forEach(o -> apply(o, applied, refused));
        s.services().stream().filter(x -> !(x.getMetadata().getName().equals("kubernetes")
                && "default".equals(x.getMetadata().getNamespace()))).forEach(o -> apply(o, applied, refused));
        s.resourceQuotas().forEach(o -> apply(o, applied, refused));
        Stream.of(s.deployments(), s.statefulSets(), s.daemonSets(), s.cronJobs()).flatMap(List::stream)
                .forEach(o -> apply(o, applied, refused));
        s.jobs().stream().filter(j -> owners(j).noneMatch("CronJob"::equals)).forEach(o -> apply(o, applied, refused));
        s.hpas().forEach(o -> apply(o, applied, refused));
        applied.forEach((kind, n) -> progress.accept(n + " " + kind + (n == 1 ? "" : "s")));
        refused.forEach(r -> progress.accept("refused: " + r));
        return new Result(applied, refused);
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
