package io.opsagent.core.input.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.cluster.ContainerLog;
import io.opsagent.core.cluster.ObjectKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Turns what the parsers collected into a snapshot: merges the views of one object (describe, table row, YAML) field
 * by field with the richest view winning, removes events seen twice (describe and {@code kubectl events}), fills
 * namespaces a table left out, and attaches each log to its pod and container.
 */
final class SnapshotAssembler {
    private SnapshotAssembler() {
    }

    static ClusterSnapshot assemble(String source, Collected c) {
        ClusterSnapshot.Builder b = ClusterSnapshot.builder(source);
        List<Collected.Obj> objects = mergeObjects(adoptStrayRows(c.objects, c.skipped));
        PodOwners.complete(objects);
        for (Collected.Obj o : objects) {
            b.add(o.object(), o.origin());
            if (!o.tableRow()) b.focus(new io.opsagent.core.cluster.ObjectKey(o.object().getKind(), o.object().getMetadata().getNamespace(), o.object().getMetadata().getName())); // described in detail
        }
        for (Collected.Obj e : dedupeEvents(c.events, objects)) b.add(e.object(), e.origin());
        List<Pod> pods = objects.stream().map(Collected.Obj::object).filter(Pod.class::isInstance)
                .map(Pod.class::cast).toList();
        // the same log recorded twice (two tools fetching it) is kept once
        Map<String, Boolean> seenLogs = new LinkedHashMap<>();
        for (LogSection l : c.logs) {
            ContainerLog log = resolve(l, pods);
            String key = log.namespace() + "/" + log.pod() + "/" + log.container() + "/" + log.previous() + "/"
                    + log.lines().stream().map(io.opsagent.core.cluster.LogLine::text).toList().hashCode();
            if (seenLogs.putIfAbsent(key, true) == null) {
                b.addLog(log);
                if (log.namespace() != null && log.pod() != null) b.focus(new io.opsagent.core.cluster.ObjectKey("Pod", log.namespace(), log.pod()));
            }
        }
        return b.build();
    }

    /**
     * A table row naming an object that the evidence describes in full only in another namespace, while no row
     * names it in that namespace, is taken as a mis-recorded view of that object (recorders sometimes search with
     * the wrong namespace) rather than as a second object.
     */
    private static List<Collected.Obj> adoptStrayRows(List<Collected.Obj> in, List<SkippedInput> notes) {
        Map<String, List<Collected.Obj>> byName = new LinkedHashMap<>();
        for (Collected.Obj o : in) {
            byName.computeIfAbsent(o.object().getKind() + "/" + o.object().getMetadata().getName(), k -> new ArrayList<>()).add(o);
        }
        Map<Collected.Obj, String> adopt = new java.util.IdentityHashMap<>();
        for (Collected.Obj o : in) {
            HasMetadata obj = o.object();
            String ns = obj.getMetadata().getNamespace();
            if (!o.tableRow() || ns == null) continue;
            List<Collected.Obj> same = byName.get(obj.getKind() + "/" + obj.getMetadata().getName());
            List<String> richNs = same.stream().filter(x -> !x.tableRow())
                    .map(x -> x.object().getMetadata().getNamespace()).filter(Objects::nonNull).distinct().toList();
            boolean rowInRichNs = same.stream().anyMatch(x -> x.tableRow()
                    && richNs.contains(x.object().getMetadata().getNamespace()));
            if (richNs.size() == 1 && !richNs.contains(ns) && !rowInRichNs) {
                notes.add(new SkippedInput(o.origin().file(), o.origin().line(), obj.getKind() + " "
                        + obj.getMetadata().getName() + " listed in namespace " + ns + " is taken to be the one described in "
                        + richNs.get(0)));
                adopt.put(o, richNs.get(0));
            }
        }
        adopt.forEach((o, ns) -> o.object().getMetadata().setNamespace(ns));
        return in;
    }

    private static List<Collected.Obj> mergeObjects(List<Collected.Obj> in) {
        // a namespaced object read without a namespace (a table without -n) takes the namespace of its namesake
        Map<String, List<String>> namespacesByName = new LinkedHashMap<>();
        for (Collected.Obj o : in) {
            String ns = o.object().getMetadata().getNamespace();
            if (ns != null) {
                namespacesByName.computeIfAbsent(o.object().getKind() + "/" + o.object().getMetadata().getName(),
                        k -> new ArrayList<>()).add(ns);
            }
        }
        Map<ObjectKey, List<Collected.Obj>> groups = new LinkedHashMap<>();
        for (Collected.Obj o : in) {
            HasMetadata obj = o.object();
            if (obj.getMetadata().getNamespace() == null && !Kinds.clusterScoped(obj.getKind())) {
                List<String> nss = namespacesByName.getOrDefault(obj.getKind() + "/" + obj.getMetadata().getName(), List.of());
                if (nss.stream().distinct().count() == 1) obj.getMetadata().setNamespace(nss.get(0));
            }
            groups.computeIfAbsent(ObjectKey.of(obj), k -> new ArrayList<>()).add(o);
        }
        List<Collected.Obj> out = new ArrayList<>();
        for (List<Collected.Obj> g : groups.values()) out.add(g.size() == 1 ? g.get(0) : merge(g));
        return out;
    }

    /** Merges views of one object: the richest is the base; others only fill fields it lacks. */
    private static Collected.Obj merge(List<Collected.Obj> views) {
        List<Map.Entry<Collected.Obj, JsonNode>> trees = new ArrayList<>();
        for (Collected.Obj v : views) trees.add(Map.entry(v, ManifestReader.MAPPER.valueToTree(v.object())));
        trees.sort(Comparator.comparingInt((Map.Entry<Collected.Obj, JsonNode> e) -> -leaves(e.getValue())));
        JsonNode base = trees.get(0).getValue().deepCopy();
        for (int i = 1; i < trees.size(); i++) fill(base, trees.get(i).getValue());
        Collected.Obj richest = trees.get(0).getKey();
        try {
            HasMetadata merged = ManifestReader.MAPPER.treeToValue(base, richest.object().getClass());
            return new Collected.Obj(merged, richest.origin());
        } catch (Exception e) {
            return richest;
        }
    }

    private static int leaves(JsonNode n) {
        if (n == null || n.isNull()) return 0;
        if (n.isValueNode()) return 1;
        int sum = 0;
        for (JsonNode c : n) sum += leaves(c);
        return sum;
    }

    private static void fill(JsonNode base, JsonNode other) {
        if (!(base instanceof ObjectNode b) || !other.isObject()) return;
        Iterator<Map.Entry<String, JsonNode>> it = other.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode mine = b.get(f.getKey());
            if (mine == null || mine.isNull() || (mine.isContainerNode() && mine.isEmpty())) {
                b.set(f.getKey(), f.getValue().deepCopy());
            } else if (mine.isObject() && f.getValue().isObject()) {
                fill(mine, f.getValue());
            }
        }
    }

    /** Drops repeated events (same object, reason and message), keeping the first and the highest count. */
    private static List<Collected.Obj> dedupeEvents(List<Collected.Obj> events, List<Collected.Obj> objects) {
        Map<String, List<HasMetadata>> byKindName = objects.stream().map(Collected.Obj::object)
                .collect(Collectors.groupingBy(o -> o.getKind() + "/" + o.getMetadata().getName()));
        Map<String, Collected.Obj> seen = new LinkedHashMap<>();
        for (Collected.Obj o : events) {
            Event e = (Event) o.object();
            var ref = e.getInvolvedObject();
            if (ref != null && ref.getNamespace() == null && ref.getKind() != null && !Kinds.clusterScoped(ref.getKind())) {
                List<HasMetadata> same = byKindName.getOrDefault(ref.getKind() + "/" + ref.getName(), List.of());
                List<String> nss = same.stream().map(x -> x.getMetadata().getNamespace()).filter(Objects::nonNull)
                        .distinct().toList();
                if (nss.size() == 1) {
                    ref.setNamespace(nss.get(0));
                    e.getMetadata().setNamespace(nss.get(0));
                }
            }
            if (ref != null && ref.getKind() == null && ref.getName() != null) {
                List<String> kinds = objects.stream().map(Collected.Obj::object)
                        .filter(x -> ref.getName().equals(x.getMetadata().getName())).map(HasMetadata::getKind)
                        .distinct().toList();
                if (kinds.size() == 1) ref.setKind(kinds.get(0));
            }
            String key = (ref == null ? "" : ref.getKind() + "/" + ref.getNamespace() + "/" + ref.getName())
                    + "|" + e.getType() + "|" + e.getReason() + "|" + e.getMessage();
            Collected.Obj prev = seen.get(key);
            if (prev == null) {
                seen.put(key, o);
            } else {
                // keep the latest observation (highest count), so the count and the cited line agree
                Event p = (Event) prev.object();
                if (e.getCount() != null && (p.getCount() == null || e.getCount() > p.getCount())) seen.put(key, o);
            }
        }
        return new ArrayList<>(seen.values());
    }

    /** Attaches a log to its pod: as stated, else the pod the file is named after, else the only pod. */
    private static ContainerLog resolve(LogSection l, List<Pod> pods) {
        String podName = l.pod;
        String ns = l.namespace;
        Pod pod = null;
        if (podName != null) {
            List<Pod> named = pods.stream().filter(p -> podName.equals(p.getMetadata().getName())).toList();
            Pod exact = named.stream().filter(p -> Objects.equals(ns, p.getMetadata().getNamespace())).findFirst().orElse(null);
            pod = exact != null ? exact : named.size() == 1 ? named.get(0) : null;
            if (pod == null && named.isEmpty()) {
                // a fetch that named the workload, not the pod (pod_name: network-connector): its one pod
                List<Pod> byPrefix = pods.stream().filter(p -> p.getMetadata().getName() != null
                        && p.getMetadata().getName().startsWith(podName + "-")
                        && (ns == null || Objects.equals(ns, p.getMetadata().getNamespace()))).toList();
                if (byPrefix.size() == 1) pod = byPrefix.get(0);
            }
        } else {
            String fileName = l.file.substring(l.file.lastIndexOf('/') + 1);
            pod = pods.stream().filter(p -> p.getMetadata().getName() != null && fileName.contains(p.getMetadata().getName()))
                    .max(Comparator.comparingInt(p -> p.getMetadata().getName().length())).orElse(null);
            if (pod == null && pods.size() == 1) pod = pods.get(0);
        }
        String name = pod != null ? pod.getMetadata().getName() : podName != null ? podName : podNameFromFile(l.file);
        String namespace = ns != null ? ns : pod != null ? pod.getMetadata().getNamespace() : null;
        String container = l.container;
        if (container == null && pod != null && pod.getSpec() != null && pod.getSpec().getContainers() != null
                && !pod.getSpec().getContainers().isEmpty()) {
            String dflt = pod.getMetadata().getAnnotations() == null ? null
                    : pod.getMetadata().getAnnotations().get("kubectl.kubernetes.io/default-container");
            container = dflt != null ? dflt : pod.getSpec().getContainers().stream().map(Container::getName)
                    .filter(Objects::nonNull).findFirst().orElse(null);
        }
        if (container == null && pod != null && pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null
                && pod.getStatus().getContainerStatuses().size() == 1) {
            container = pod.getStatus().getContainerStatuses().get(0).getName();
        }
        ContainerLog log = new ContainerLog(namespace, name, container == null ? "" : container, l.previous, l.file, l.lines);
        return l.search == null ? log : log.withSearch(l.search);
    }

    /** Last resort: the pod-like word of the file name (e.g. {@code logs_shop_api-7d9f6c5b4-x2x2x.txt}), else its stem. */
    private static String podNameFromFile(String file) {
        String stem = stem(file);
        String best = null;
        for (String word : stem.split("[_\\s]+")) {
            if (word.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?-[a-z0-9]{5}") && (best == null || word.length() > best.length())) {
                best = word;
            }
        }
        return best != null ? best : stem;
    }

    private static String stem(String file) {
        String n = file.substring(file.lastIndexOf('/') + 1);
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
