package io.opsagent.adapters.kubernetes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.cluster.ContainerLog;
import io.opsagent.core.cluster.LogLine;
import io.opsagent.core.diagnosis.AnalysisContext;
import io.opsagent.core.cluster.ObjectKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The failures of a dump's pods, as kwok configuration for a local cluster whose node and pod status kwok simulates:
 * for each workload whose pods fail in the dump, a kwok {@code Stage} that gives its new pods the failing pod's status
 * (container states, restarts, readiness) and its most telling Warning event — but only while the spec that failed is
 * still there, so the fix a real cluster would need clears it the same way:
 * <ul>
 *   <li>OOMKilled: while the container's memory limit is the one that was exceeded (raise it: new pods run);</li>
 *   <li>an image pull failure: while the image is the one that could not be pulled;</li>
 *   <li>every other failure (crash loop, configuration error, a failing init container or probe): while the pod
 *       template is the one that failed, when its hash is known ({@link #templateHashes}: an env var added, a new
 *       image, a changed ConfigMap reference clear it), else while the image is.</li>
 * </ul>
 * And a kwok {@code ClusterLogs} per namespace and container with the dump's logs (current and previous), in the CRI
 * log format kwok serves, so {@code kubectl logs} and the agent's log tools read them through the API server.
 *
 * A node of the dump under pressure (DiskPressure, MemoryPressure, PIDPressure) keeps that condition (kwok stages per
 * node; load the dump's nodes with {@link ClusterSeeder} for it to apply).
 *
 * <p>Not simulated: pods that wait for the scheduler or a volume (the real scheduler and volume controller decide),
 * evicted pods, and a fix that changes no pod spec (adding a missing ConfigMap key: the pods stay failed until they
 * are restarted with a new image). The dump's logs are served for the pods a workload has when it is loaded; any
 * other pod (made by a fix or a restart) logs one line that says so.
 */
public final class FailureScenarios {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> PULL = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull");
    private static final List<String> EVENT_ORDER = List.of("Unhealthy", "Failed", "FailedMount", "BackOff");

    private FailureScenarios() {
    }

    /**
     * One failing workload, as simulated; or a node under pressure ({@link #node()}: no namespace or container, the
     * node's name in {@code workload}, its conditions in {@code reason}).
     */
    public record Scenario(String namespace, String workload, String container, String reason, String clearedBy) {
        /** True for a node's conditions, false for a workload's pod failure. */
        public boolean node() {
            return namespace == null;
        }
    }

    /**
     * Writes {@code scenarios.json} (kwok Stage and ClusterLogs documents, separated by {@code ---}) and the log files
     * under {@code dir}; returns the scenarios.
     */
    public static List<Scenario> write(ClusterSnapshot s, Path dir) throws IOException {
        return write(s, dir, Map.of());
    }

    /**
     * As {@link #write(ClusterSnapshot, Path)}, knowing the pod-template hash each workload's pods get in the cluster
     * ({@link #templateHashes}): a failure that is not an OOM kill or a pull failure then lasts while the pod template
     * is the one that failed (an env var added, an image or a ConfigMap reference changed: new pods run), not only
     * while the image is.
     */
    public static List<Scenario> write(ClusterSnapshot s, Path dir, Map<ObjectKey, String> templateHashes) throws IOException {
        return write(s, dir, templateHashes, Map.of());
    }

    /**
     * As {@link #write(ClusterSnapshot, Path, Map)}, knowing the pods each workload has in the cluster
     * ({@link #podsByWorkload}): only they serve the dump's logs; a pod made later (by a fix, a restart) logs one line
     * that says it is simulated, not the failed pods' errors.
     */
    public static List<Scenario> write(ClusterSnapshot s, Path dir, Map<ObjectKey, String> templateHashes,
                                       Map<ObjectKey, List<String>> pods) throws IOException {
        Files.createDirectories(dir.resolve("logs"));
        AnalysisContext ctx = new AnalysisContext(s);
        List<String> docs = new ArrayList<>();
        List<Scenario> out = new ArrayList<>();
        Set<ObjectKey> done = new LinkedHashSet<>();
        for (Pod pod : s.pods()) {
            Optional<Failure> f = failure(pod);
            if (f.isEmpty()) continue;
            ObjectKey workload = ctx.workloadOf(pod);
            if (workload == null || workload.kind().equals("Pod") || !done.add(workload)) continue;
            Optional<HasMetadata> w = s.find(workload.kind(), workload.namespace(), workload.name());
            Optional<Map<String, String>> labels = w.flatMap(FailureScenarios::podLabels);
            if (labels.isEmpty() || labels.get().isEmpty()) continue;
            Failure fail = f.get();
            String hash = templateHashes.get(workload);
            if (hash != null && !fail.key().endsWith(".resources.limits.memory") && !PULL.contains(fail.reason())) {
                String label = workload.kind().equals("Deployment") ? "pod-template-hash" : "controller-revision-hash";
                fail = new Failure(fail.container(), fail.init(), fail.reason(), ".metadata.labels[\"" + label + "\"]", hash,
                        "a change to its pod template (an env var, the image, a ConfigMap or Secret reference)");
            }
            docs.add(stage(pod, workload, labels.get(), fail, event(s, pod)).toString());
            out.add(new Scenario(workload.namespace(), workload.name(), fail.container().getName(), fail.reason(),
                    fail.clearedBy()));
        }
        for (io.fabric8.kubernetes.api.model.Node node : s.nodes()) {
            List<String> pressures = pressures(node);
            if (pressures.isEmpty()) continue;
            docs.addAll(nodeStages(node));
            out.add(new Scenario(null, node.getMetadata().getName(), null, String.join(", ", pressures),
                    "the node's conditions are simulated as in the dump; nothing clears them"));
        }
        docs.addAll(logs(s, dir.resolve("logs"), pods));
        Files.writeString(dir.resolve("scenarios.json"), String.join("\n---\n", docs) + "\n", StandardCharsets.UTF_8);
        return out;
    }

    /**
     * The pod-template hash the cluster gives the current pods of each of the dump's Deployments (its newest
     * ReplicaSet's {@code pod-template-hash}), StatefulSets and DaemonSets ({@code status.updateRevision}, the pods'
     * {@code controller-revision-hash}), once the controllers have made them (waits up to {@code wait}).
     */
    public static Map<ObjectKey, String> templateHashes(io.fabric8.kubernetes.client.KubernetesClient client,
                                                        ClusterSnapshot s, java.time.Duration wait) {
        Map<ObjectKey, String> out = new LinkedHashMap<>();
        long deadline = System.nanoTime() + wait.toNanos();
        for (var d : s.deployments()) {
            String ns = d.getMetadata().getNamespace();
            String name = d.getMetadata().getName();
            while (true) {
                var live = client.apps().deployments().inNamespace(ns).withName(name).get();
                String rev = live == null || live.getMetadata().getAnnotations() == null ? null
                        : live.getMetadata().getAnnotations().get(KubernetesActions.REVISION);
                Optional<String> hash = rev == null ? Optional.empty() : client.apps().replicaSets().inNamespace(ns).list()
                        .getItems().stream()
                        .filter(rs -> rs.getMetadata().getOwnerReferences() != null && rs.getMetadata().getOwnerReferences()
                                .stream().anyMatch(o -> o.getUid().equals(live.getMetadata().getUid())))
                        .filter(rs -> rs.getMetadata().getAnnotations() != null
                                && rev.equals(rs.getMetadata().getAnnotations().get(KubernetesActions.REVISION)))
                        .map(rs -> rs.getMetadata().getLabels() == null ? null : rs.getMetadata().getLabels().get("pod-template-hash"))
                        .filter(java.util.Objects::nonNull).findFirst();
                if (hash.isPresent()) {
                    out.put(new ObjectKey("Deployment", ns, name), hash.get());
                    break;
                }
                if (System.nanoTime() > deadline) break;
                sleep();
            }
        }
        for (HasMetadata w : java.util.stream.Stream.concat(s.statefulSets().stream(), s.daemonSets().stream()).toList()) {
            String ns = w.getMetadata().getNamespace();
            String name = w.getMetadata().getName();
            while (true) {
                String rev = w.getKind().equals("StatefulSet")
                        ? java.util.Optional.ofNullable(client.apps().statefulSets().inNamespace(ns).withName(name).get())
                                .map(x -> x.getStatus() == null ? null : x.getStatus().getUpdateRevision()).orElse(null)
                        : null; // a DaemonSet's revision is in its ControllerRevisions; its pods' failures keep the image rule
                if (rev != null) {
                    out.put(new ObjectKey(w.getKind(), ns, name), rev);
                    break;
                }
                if (w.getKind().equals("DaemonSet") || System.nanoTime() > deadline) break;
                sleep();
            }
        }
        return out;
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The failing container of a pod, what failed, and which spec field clears it. */
    private record Failure(Container container, boolean init, String reason, String key, String value, String clearedBy) {
    }

    private static Optional<Failure> failure(Pod pod) {
        if (pod.getStatus() == null || pod.getSpec() == null) return Optional.empty();
        if ("Evicted".equals(pod.getStatus().getReason())) return Optional.empty();
        List<ContainerStatus> init = nz(pod.getStatus().getInitContainerStatuses());
        List<ContainerStatus> main = nz(pod.getStatus().getContainerStatuses());
        for (boolean isInit : new boolean[] {true, false}) {
            for (ContainerStatus cs : isInit ? init : main) {
                boolean waiting = cs.getState() != null && cs.getState().getWaiting() != null
                        && !"PodInitializing".equals(cs.getState().getWaiting().getReason())
                        && !"ContainerCreating".equals(cs.getState().getWaiting().getReason());
                boolean crashed = cs.getLastState() != null && cs.getLastState().getTerminated() != null
                        && cs.getLastState().getTerminated().getExitCode() != null && cs.getLastState().getTerminated().getExitCode() != 0;
                boolean failedInit = isInit && cs.getState() != null && cs.getState().getTerminated() != null
                        && cs.getState().getTerminated().getExitCode() != null && cs.getState().getTerminated().getExitCode() != 0;
                boolean unready = !isInit && !Boolean.TRUE.equals(cs.getReady()) && cs.getState() != null
                        && cs.getState().getRunning() != null;
                if (!waiting && !crashed && !failedInit && !unready) continue;
                Container c = container(pod, cs.getName(), isInit);
                if (c == null) continue;
                String list = isInit ? ".spec.initContainers" : ".spec.containers";
                String field = list + ".[] | select( .name == \"" + c.getName() + "\" ) | ";
                boolean oom = crashed && "OOMKilled".equals(cs.getLastState().getTerminated().getReason())
                        || cs.getState() != null && cs.getState().getTerminated() != null
                        && "OOMKilled".equals(cs.getState().getTerminated().getReason());
                String memory = c.getResources() == null || c.getResources().getLimits() == null
                        || c.getResources().getLimits().get("memory") == null ? null
                        : c.getResources().getLimits().get("memory").toString();
                String reason = waiting ? cs.getState().getWaiting().getReason() : oom ? "OOMKilled"
                        : crashed || failedInit ? "Error" : "NotReady";
                if (oom && memory != null) {
                    return Optional.of(new Failure(c, isInit, reason, field + ".resources.limits.memory", memory,
                            "a memory limit other than " + memory));
                }
                return Optional.of(new Failure(c, isInit, reason, field + ".image",
                        c.getImage(), "an image other than " + c.getImage()));
            }
        }
        return Optional.empty();
    }

    private static Container container(Pod pod, String name, boolean init) {
        List<Container> cs = init ? nz(pod.getSpec().getInitContainers()) : nz(pod.getSpec().getContainers());
        return cs.stream().filter(c -> c.getName().equals(name)).findFirst().orElse(null);
    }

    private static Optional<Map<String, String>> podLabels(HasMetadata w) {
        LabelSelector sel = null;
        if (w instanceof io.fabric8.kubernetes.api.model.apps.Deployment d && d.getSpec() != null) sel = d.getSpec().getSelector();
        if (w instanceof io.fabric8.kubernetes.api.model.apps.StatefulSet d && d.getSpec() != null) sel = d.getSpec().getSelector();
        if (w instanceof io.fabric8.kubernetes.api.model.apps.DaemonSet d && d.getSpec() != null) sel = d.getSpec().getSelector();
        return Optional.ofNullable(sel).map(LabelSelector::getMatchLabels);
    }

    /** The most telling Warning event about the pod in the dump (probe, pull or mount failures, back-off). */
    private static Optional<Event> event(ClusterSnapshot s, Pod pod) {
        return s.events().stream()
                .filter(e -> "Warning".equals(e.getType()) && e.getInvolvedObject() != null
                        && "Pod".equals(e.getInvolvedObject().getKind())
                        && pod.getMetadata().getName().equals(e.getInvolvedObject().getName())
                        && java.util.Objects.equals(pod.getMetadata().getNamespace(), e.getInvolvedObject().getNamespace()))
                .min(java.util.Comparator.comparingInt(e -> {
                    int i = EVENT_ORDER.indexOf(e.getReason());
                    return i < 0 ? EVENT_ORDER.size() : i;
                }));
    }

    private static ObjectNode stage(Pod pod, ObjectKey workload, Map<String, String> labels, Failure f, Optional<Event> ev) {
        ObjectNode st = JSON.createObjectNode();
        st.put("apiVersion", "kwok.x-k8s.io/v1alpha1").put("kind", "Stage");
        st.putObject("metadata").put("name", ("opsagent-" + workload.namespace() + "-" + workload.kind() + "-"
                + workload.name()).toLowerCase(java.util.Locale.ROOT));
        ObjectNode spec = st.putObject("spec");
        spec.putObject("resourceRef").put("apiGroup", "v1").put("kind", "Pod");
        ArrayNode ex = spec.putObject("selector").putArray("matchExpressions");
        expr(ex, ".metadata.namespace", "In", workload.namespace());
        labels.forEach((k, v) -> expr(ex, ".metadata.labels[\"" + k + "\"]", "In", v));
        expr(ex, ".metadata.deletionTimestamp", "DoesNotExist");
        expr(ex, ".status.phase", "In", "Pending");
        expr(ex, f.key(), "In", f.value());
        spec.put("weight", 1000); // over kwok's pod-ready (weight 0: never chosen while this one matches)
        ObjectNode next = spec.putObject("next");
        ObjectNode status = JSON.valueToTree(pod.getStatus());
        status.remove(List.of("hostIP", "hostIPs", "nominatedNodeName"));
        next.put("statusTemplate", status.toString());
        ev.ifPresent(e -> next.putObject("event").put("type", "Warning").put("reason", e.getReason())
                .put("message", e.getMessage() == null ? "" : e.getMessage()));
        return st;
    }

    /** The pressure conditions (MemoryPressure, DiskPressure, PIDPressure) that are True on a node. */
    private static List<String> pressures(io.fabric8.kubernetes.api.model.Node node) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) return List.of();
        return node.getStatus().getConditions().stream()
                .filter(c -> c.getType().endsWith("Pressure") && "True".equals(c.getStatus()))
                .map(io.fabric8.kubernetes.api.model.NodeCondition::getType).toList();
    }

    /**
     * A node of the dump under pressure (DiskPressure, say), as kwok reports it: two stages over kwok's own node
     * stages (weight 1 over their 0), one that initializes it and one that renews its heartbeat every minute, both
     * with the dump's conditions. The node-lifecycle controller then taints it as it would a real one.
     */
    private static List<String> nodeStages(io.fabric8.kubernetes.api.model.Node node) {
        StringBuilder t = new StringBuilder("{\"conditions\": [");
        List<io.fabric8.kubernetes.api.model.NodeCondition> cs = node.getStatus().getConditions().stream()
                .filter(c -> c.getType().endsWith("Pressure") || c.getType().equals("Ready")).toList();
        for (int i = 0; i < cs.size(); i++) {
            var c = cs.get(i);
            if (i > 0) t.append(", ");
            t.append("{\"type\": ").append(quote(c.getType())).append(", \"status\": ").append(quote(c.getStatus()))
                    .append(", \"reason\": ").append(quote(c.getReason() == null ? "" : c.getReason()))
                    .append(", \"message\": ").append(quote(c.getMessage() == null ? "" : c.getMessage()))
                    .append(", \"lastHeartbeatTime\": {{ Now | Quote }}")
                    .append(", \"lastTransitionTime\": {{ or .metadata.creationTimestamp Now | Quote }}}");
        }
        t.append("], \"addresses\": [{\"type\": \"InternalIP\", \"address\": {{ NodeIP | Quote }}},"
                + " {\"type\": \"Hostname\", \"address\": {{ NodeName | Quote }}}],"
                + " \"daemonEndpoints\": {\"kubeletEndpoint\": {\"Port\": {{ NodePort }}}},"
                + " \"phase\": \"Running\"}");
        List<String> out = new ArrayList<>();
        String name = node.getMetadata().getName();
        for (boolean init : new boolean[] {true, false}) {
            ObjectNode st = JSON.createObjectNode();
            st.put("apiVersion", "kwok.x-k8s.io/v1alpha1").put("kind", "Stage");
            st.putObject("metadata").put("name", ("opsagent-node-" + (init ? "initialize-" : "heartbeat-") + name)
                    .toLowerCase(java.util.Locale.ROOT));
            ObjectNode spec = st.putObject("spec");
            spec.putObject("resourceRef").put("apiGroup", "v1").put("kind", "Node");
            ArrayNode ex = spec.putObject("selector").putArray("matchExpressions");
            expr(ex, ".metadata.name", "In", name);
            expr(ex, ".status.conditions.[] | select( .type == \"Ready\" ) | .status", init ? "NotIn" : "In", "True");
            spec.put("weight", 1);
            if (!init) spec.putObject("delay").put("durationMilliseconds", 60_000);
            spec.putObject("next").put("statusTemplate", t.toString());
            out.add(st.toString());
        }
        return out;
    }

    private static String quote(String v) {
        try {
            return JSON.writeValueAsString(v);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void expr(ArrayNode ex, String key, String op, String... values) {
        ObjectNode e = ex.addObject().put("key", key).put("operator", op);
        if (values.length > 0) {
            ArrayNode v = e.putArray("values");
            for (String x : values) v.add(x);
        }
    }

    /** The one line a pod's container logs when the dump has no log for it (a pod made after the demo was loaded). */
    static final String NO_DUMP_LOG = "opsagent: simulated container (kwok); the demo dump has no log for this pod";

    /**
     * ClusterLogs: the dump's logs in the CRI format kwok serves, per workload and container, for the pods the workload
     * had when it was loaded ({@code pods}; for every pod of its namespace when they are not known); then per
     * namespace one line ({@value #NO_DUMP_LOG}) for any other pod, as a pod made by a fix has none of the failed
     * pods' log lines. kwok takes the first ClusterLogs that matches a pod.
     */
    private static List<String> logs(ClusterSnapshot s, Path dir, Map<ObjectKey, List<String>> pods) throws IOException {
        AnalysisContext ctx = new AnalysisContext(s);
        // workload -> container -> {current, previous}
        Map<ObjectKey, Map<String, Path[]>> files = new LinkedHashMap<>();
        for (ContainerLog l : s.logs()) {
            ObjectKey w = s.find("Pod", l.namespace(), l.pod()).map(p -> ctx.workloadOf((Pod) p))
                    .orElse(new ObjectKey("Pod", l.namespace(), l.pod()));
            Path[] pair = files.computeIfAbsent(w, k -> new LinkedHashMap<>()).computeIfAbsent(l.container(), k -> new Path[2]);
            int i = l.previous() ? 1 : 0;
            if (pair[i] != null) continue; // the first pod's log of that container
            Path f = dir.resolve((l.namespace() + "." + w.kind() + "." + w.name() + "." + l.container()
                    + (l.previous() ? ".previous" : "") + ".log").toLowerCase(java.util.Locale.ROOT));
            Files.writeString(f, cri(l.lines()), StandardCharsets.UTF_8);
            pair[i] = f;
        }
        List<String> docs = new ArrayList<>();
        Set<String> namespaces = new LinkedHashSet<>();
        files.forEach((w, containers) -> {
            namespaces.add(w.namespace());
            ObjectNode d = JSON.createObjectNode();
            d.put("apiVersion", "kwok.x-k8s.io/v1alpha1").put("kind", "ClusterLogs");
            d.putObject("metadata").put("name", ("opsagent-logs-" + w.namespace() + "-" + w.kind() + "-" + w.name())
                    .toLowerCase(java.util.Locale.ROOT));
            ObjectNode spec = d.putObject("spec");
            ObjectNode sel = spec.putObject("selector");
            sel.putArray("matchNamespaces").add(w.namespace());
            List<String> names = pods.get(w);
            if (names != null && !names.isEmpty()) names.forEach(sel.putArray("matchNames")::add);
            ArrayNode logs = spec.putArray("logs");
            containers.forEach((c, pair) -> {
                ObjectNode l = logs.addObject();
                l.putArray("containers").add(c);
                l.put("logsFile", (pair[0] != null ? pair[0] : pair[1]).toAbsolutePath().toString());
                if (pair[1] != null) l.put("previousLogsFile", pair[1].toAbsolutePath().toString());
                l.put("follow", false);
            });
            docs.add(d.toString());
        });
        Path none = dir.resolve("no-dump-log.log");
        Files.writeString(none, cri(List.of(new LogLine(1, NO_DUMP_LOG))), StandardCharsets.UTF_8);
        for (String ns : namespaces) {
            ObjectNode d = JSON.createObjectNode();
            d.put("apiVersion", "kwok.x-k8s.io/v1alpha1").put("kind", "ClusterLogs");
            d.putObject("metadata").put("name", ("opsagent-logs-" + ns + "-other-pods").toLowerCase(java.util.Locale.ROOT));
            ObjectNode spec = d.putObject("spec");
            spec.putObject("selector").putArray("matchNamespaces").add(ns);
            spec.putArray("logs").addObject().put("logsFile", none.toAbsolutePath().toString()).put("follow", false);
            docs.add(d.toString());
        }
        return docs;
    }

    /**
     * The names of the pods each of the dump's workloads has in the cluster now (a Deployment's through its
     * ReplicaSets), once their number has stopped changing for a second (at most {@code wait}): the pods that get
     * the dump's logs.
     */
    public static Map<ObjectKey, List<String>> podsByWorkload(io.fabric8.kubernetes.client.KubernetesClient client,
                                                             ClusterSnapshot s, java.time.Duration wait) {
        Set<String> namespaces = new LinkedHashSet<>(s.namespaceNames());
        long deadline = System.nanoTime() + wait.toNanos();
        Map<ObjectKey, List<String>> out = Map.of();
        int lastCount = -1;
        long stableSince = System.nanoTime();
        while (true) {
            Map<ObjectKey, List<String>> now = new LinkedHashMap<>();
            int count = 0;
            for (String ns : namespaces) {
                for (Pod p : client.pods().inNamespace(ns).list().getItems()) {
                    ObjectKey w = ownerWorkload(p);
                    if (w == null) continue;
                    now.computeIfAbsent(w, k -> new ArrayList<>()).add(p.getMetadata().getName());
                    count++;
                }
            }
            out = now;
            if (count != lastCount) {
                lastCount = count;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince > 1_000_000_000L) {
                return out;
            }
            if (System.nanoTime() > deadline) return out;
            sleep();
        }
    }

    /** A pod's workload by its controller: a ReplicaSet's Deployment (its name less the pod-template hash), else the controller. */
    private static ObjectKey ownerWorkload(Pod p) {
        if (p.getMetadata().getOwnerReferences() == null) return null;
        for (var o : p.getMetadata().getOwnerReferences()) {
            if (!Boolean.TRUE.equals(o.getController())) continue;
            String ns = p.getMetadata().getNamespace();
            if (o.getKind().equals("ReplicaSet")) {
                String hash = p.getMetadata().getLabels() == null ? null : p.getMetadata().getLabels().get("pod-template-hash");
                return hash != null && o.getName().endsWith("-" + hash)
                        ? new ObjectKey("Deployment", ns, o.getName().substring(0, o.getName().length() - hash.length() - 1))
                        : new ObjectKey("ReplicaSet", ns, o.getName());
            }
            return new ObjectKey(o.getKind(), ns, o.getName());
        }
        return null;
    }

    /** Lines in the CRI log format ({@code <RFC 3339 nano> stdout F <line>}), a millisecond apart. */
    static String cri(List<LogLine> lines) {
        StringBuilder sb = new StringBuilder();
        Instant t = Instant.parse("2026-12-06T09:00:00Z");
        for (LogLine l : lines) {
            sb.append(t).append(" stdout F ").append(l.text()).append('\n');
            t = t.plusMillis(1);
        }
        return sb.toString();
    }

    private static <T> List<T> nz(List<T> l) {
        return l == null ? List.of() : l;
    }
}
