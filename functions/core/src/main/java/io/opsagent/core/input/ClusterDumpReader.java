package io.opsagent.core.input;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.cluster.ContainerLog;
import io.opsagent.core.cluster.JsonOrigin;
import io.opsagent.core.cluster.LogLine;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the directory written by {@code kubectl cluster-info dump --all-namespaces --output-directory=DIR}:
 * {@code DIR/nodes.json}, {@code DIR/<ns>/<resource>.json} (Kubernetes List objects) and
 * {@code DIR/<ns>/<pod>/logs.txt} (every container's log between START/END marker lines).
 *
 * <p>References are relative to DIR: {@code default/pods.json:items[3]}, {@code default/api-1/logs.txt:412}.
 */
public final class ClusterDumpReader {

    /** File name (without .json) → model type. Unknown List files fall back to their {@code kind}. */
    private static final Map<String, Class<? extends HasMetadata>> BY_FILE = Map.ofEntries(
            Map.entry("nodes", Node.class),
            Map.entry("namespaces", Namespace.class),
            Map.entry("pods", Pod.class),
            Map.entry("deployments", Deployment.class),
            Map.entry("replicasets", ReplicaSet.class),
            Map.entry("statefulsets", StatefulSet.class),
            Map.entry("daemonsets", DaemonSet.class),
            Map.entry("replication-controllers", ReplicationController.class),
            Map.entry("replicationcontrollers", ReplicationController.class),
            Map.entry("jobs", Job.class),
            Map.entry("cronjobs", CronJob.class),
            Map.entry("services", Service.class),
            Map.entry("endpoints", Endpoints.class),
            Map.entry("pvcs", PersistentVolumeClaim.class),
            Map.entry("persistentvolumeclaims", PersistentVolumeClaim.class),
            Map.entry("pvs", PersistentVolume.class),
            Map.entry("persistentvolumes", PersistentVolume.class),
            Map.entry("configmaps", ConfigMap.class),
            Map.entry("secrets", Secret.class),
            Map.entry("events", Event.class),
            Map.entry("horizontalpodautoscalers", HorizontalPodAutoscaler.class),
            Map.entry("hpas", HorizontalPodAutoscaler.class),
            Map.entry("resourcequotas", ResourceQuota.class));

    private static final Map<String, Class<? extends HasMetadata>> BY_KIND = Map.ofEntries(
            Map.entry("node", Node.class), Map.entry("namespace", Namespace.class), Map.entry("pod", Pod.class),
            Map.entry("deployment", Deployment.class), Map.entry("replicaset", ReplicaSet.class),
            Map.entry("statefulset", StatefulSet.class), Map.entry("daemonset", DaemonSet.class),
            Map.entry("replicationcontroller", ReplicationController.class), Map.entry("job", Job.class),
            Map.entry("cronjob", CronJob.class), Map.entry("service", Service.class),
            Map.entry("endpoints", Endpoints.class), Map.entry("persistentvolumeclaim", PersistentVolumeClaim.class),
            Map.entry("persistentvolume", PersistentVolume.class), Map.entry("configmap", ConfigMap.class),
            Map.entry("secret", Secret.class), Map.entry("event", Event.class),
            Map.entry("horizontalpodautoscaler", HorizontalPodAutoscaler.class),
            Map.entry("resourcequota", ResourceQuota.class));

    static final Pattern START = Pattern.compile("^==== START logs for container (\\S+) of pod ([^/\\s]+)/(\\S+) ====\\s*$");
    static final Pattern END = Pattern.compile("^==== END logs for container (\\S+) of pod ([^/\\s]+)/(\\S+) ====\\s*$");

    private final ObjectMapper mapper = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** Reads a whole dump. */
    public ClusterSnapshot read(Path dir) throws InputException {
        return read(dir, null);
    }

    /**
     * Reads a dump, optionally only one namespace (cluster-scoped {@code nodes.json} is always read).
     *
     * @throws InputException if the directory is missing, is not a dump, or a file in it is malformed
     */
    public ClusterSnapshot read(Path dir, String onlyNamespace) throws InputException {
        if (!Files.exists(dir)) {
            throw new InputException(dir.toString(), "directory does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw new InputException(dir.toString(), "is not a directory (expected a kubectl cluster-info dump)");
        }
        ClusterSnapshot.Builder b = ClusterSnapshot.builder(dir.toString());
        boolean sawAny = false;
        try (Stream<Path> top = Files.list(dir)) {
            for (Path p : top.sorted().toList()) {
                String name = p.getFileName().toString();
                if (Files.isRegularFile(p) && name.endsWith(".json")) {
                    readList(dir, p, b);
                    sawAny = true;
                } else if (Files.isDirectory(p) && !name.startsWith(".")) {
                    if (onlyNamespace != null && !onlyNamespace.equals(name)) {
                        continue;
                    }
                    sawAny |= readNamespace(dir, p, b);
                }
            }
        } catch (IOException e) {
            throw new InputException(dir.toString(), "cannot read directory: " + e.getMessage(), e);
        }
        if (!sawAny) {
            throw new InputException(dir.toString(), "no cluster dump found (expected nodes.json and "
                    + "<namespace>/pods.json as written by kubectl cluster-info dump --output-directory)");
        }
        if (onlyNamespace != null) {
            if (!Files.isDirectory(dir.resolve(onlyNamespace))) {
                throw new InputException(dir.resolve(onlyNamespace).toString(),
                        "namespace '" + onlyNamespace + "' is not in this dump");
            }
        }
        return b.build();
    }

    private boolean readNamespace(Path root, Path nsDir, ClusterSnapshot.Builder b) throws InputException, IOException {
        boolean any = false;
        try (Stream<Path> entries = Files.list(nsDir)) {
            for (Path p : entries.sorted().toList()) {
                String name = p.getFileName().toString();
                if (Files.isRegularFile(p) && name.endsWith(".json")) {
                    readList(root, p, b);
                    any = true;
                } else if (Files.isDirectory(p)) {
                    Path logs = p.resolve("logs.txt");
                    if (Files.isRegularFile(logs)) {
                        readLogs(root, logs, b);
                        any = true;
                    }
                }
            }
        }
        return any;
    }

    private void readList(Path root, Path file, ClusterSnapshot.Builder b) throws InputException {
        String rel = relative(root, file);
        JsonNode tree;
        try {
            tree = mapper.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr();
            throw new InputException(rel, "malformed JSON" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InputException(rel, "cannot read: " + e.getMessage(), e);
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            return; // an empty file: nothing of this kind
        }
        if (!tree.isObject() || !tree.has("items") || !tree.get("items").isArray()) {
            throw new InputException(rel, "expected a Kubernetes List object with an \"items\" array");
        }
        String base = file.getFileName().toString().replaceFirst("\\.json$", "").toLowerCase(Locale.ROOT);
        Class<? extends HasMetadata> listType = BY_FILE.get(base);
        if (listType == null && tree.hasNonNull("kind")) {
            listType = BY_KIND.get(tree.get("kind").asText().replaceFirst("List$", "").toLowerCase(Locale.ROOT));
        }
        JsonNode items = tree.get("items");
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            Class<? extends HasMetadata> type = listType;
            if (item.hasNonNull("kind")) {
                Class<? extends HasMetadata> byKind = BY_KIND.get(item.get("kind").asText().toLowerCase(Locale.ROOT));
                if (byKind != null) {
                    type = byKind;
                }
            }
            if (type == null) {
                continue; // a kind the analyzers do not read (ingresses, ...): accepted and ignored
            }
            if (!item.isObject() || !item.hasNonNull("metadata")) {
                throw new InputException(rel, "items[" + i + "] has no metadata");
            }
            HasMetadata obj;
            try {
                obj = mapper.treeToValue(item, type);
            } catch (JsonProcessingException | IllegalArgumentException e) {
                throw new InputException(rel, "items[" + i + "] is not a valid " + type.getSimpleName() + ": "
                        + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
            }
            b.add(obj, new JsonOrigin(rel, "items[" + i + "]"));
        }
    }

    private void readLogs(Path root, Path file, ClusterSnapshot.Builder b) throws InputException {
        String rel = relative(root, file);
        String curContainer = null;
        String curNs = null;
        String curPod = null;
        List<LogLine> lines = new ArrayList<>();
        int n = 0;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.startsWith("==== ")) {
                    Matcher s = START.matcher(line);
                    if (s.matches()) {
                        if (curContainer != null) {
                            b.addLog(new ContainerLog(curNs, curPod, curContainer, false, rel, lines));
                        }
                        curContainer = s.group(1);
                        curNs = s.group(2);
                        curPod = s.group(3);
                        lines = new ArrayList<>();
                        continue;
                    }
                    Matcher e = END.matcher(line);
                    if (e.matches()) {
                        if (curContainer != null) {
                            b.addLog(new ContainerLog(curNs, curPod, curContainer, false, rel, lines));
                        }
                        curContainer = null;
                        lines = new ArrayList<>();
                        continue;
                    }
                }
                if (curContainer != null) {
                    lines.add(new LogLine(n, line));
                }
            }
        } catch (java.nio.charset.MalformedInputException e) {
            throw new InputException(rel, "is not UTF-8 text (line " + (n + 1) + ")");
        } catch (IOException e) {
            throw new InputException(rel, "cannot read: " + e.getMessage(), e);
        }
        if (curContainer != null) { // no END marker: keep what was read
            b.addLog(new ContainerLog(curNs, curPod, curContainer, false, rel, lines));
        }
    }

    private static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }
}
