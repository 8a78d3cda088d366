package io.opsagent.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.cluster.PodStatus;
import io.opsagent.core.diagnosis.Diagnosis;
import io.opsagent.core.diagnosis.Finding;
import io.opsagent.core.diagnosis.Severity;
import io.opsagent.core.input.InputException;
import io.opsagent.core.redact.Redactor;
import io.opsagent.core.diagnosis.CachingDiagnosis;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.HashSet;
import java.util.stream.Stream;

/**
 * The workloads of the snapshot (Deployments, StatefulSets, DaemonSets, CronJobs, Jobs not owned by a CronJob, and
 * pods none of those accounts for, as pasted evidence often holds only pods) with a status from the deterministic diagnosis: critical (a critical finding), warning (a warning finding or
 * fewer ready than desired), healthy. A snapshot is fixed, so its list is computed once (a live cluster's new
 * snapshot gets a new {@code Workloads}: see {@link WorkloadRoutes}).
 */
final class Workloads {
    private static final List<String> KINDS = io.opsagent.core.cluster.KubeKinds.LISTED;
    private static final int MAX_EVENTS = 50;

    private final ClusterSnapshot snapshot;
    private final Redactor redactor;
    private final CachingDiagnosis diagnosis;
    private volatile Map<String, Entry> entries;
    /** Entries of objects asked for by kind that the list does not hold (Services…), made on demand. */
    private final Map<String, Entry> others = new java.util.concurrent.ConcurrentHashMap<>();

    /** One workload with its diagnosis. */
    record Entry(HasMetadata object, List<Finding> findings, String status, Integer ready, Integer desired) {
        String key() {
            return object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
        }
    }

    /** @param diagnosis the conversation engine's ({@link io.opsagent.core.agent.ConversationEngine#diagnosis()}) */
    Workloads(ClusterSnapshot snapshot, Redactor redactor, CachingDiagnosis diagnosis) {
        this.snapshot = snapshot;
        this.redactor = redactor;
        this.diagnosis = diagnosis;
    }

    /** The snapshot these workloads were read from. */
    ClusterSnapshot snapshot() {
        return snapshot;
    }

    /** The first line of a message (client exceptions carry the whole response), at most 300 characters. */
    static String firstLine(String message) {
        if (message == null) return "no reason given";
        String s = message.strip();
        int nl = s.indexOf('\n');
        if (nl >= 0) s = s.substring(0, nl);
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    /** Every workload, by namespace then name. */
    List<Entry> list() {
        return List.copyOf(entries().values());
    }

    Optional<Entry> find(String namespace, String name) {
        return Optional.ofNullable(entries().get(namespace + "/" + name));
    }

    private Map<String, Entry> entries() {
        Map<String, Entry> e = entries;
        if (e == null) {
            synchronized (this) {
                if (entries == null) entries = compute();
                e = entries;
            }
        }
        return e;
    }

    private Map<String, Entry> compute() {
        List<HasMetadata> objects = new ArrayList<>();
        Stream.of(snapshot.deployments(), snapshot.statefulSets(), snapshot.daemonSets(), snapshot.cronJobs(), snapshot.jobs())
                .flatMap(List::stream)
                .map(o -> (HasMetadata) o)
                .forEach(objects::add); // Jobs too, a CronJob's (with their owner) and those whose CronJob is gone
        // pods no listed workload accounts for (pasted evidence often holds only pods) are listed on their own
        Set<String> covered = new HashSet<>();
        for (HasMetadata o : objects) {
            try {
                diagnosis.engine().subject(snapshot, o.getMetadata().getNamespace(), lookup(o)).pods()
                        .forEach(p -> covered.add(p.getMetadata().getNamespace() + "/" + p.getMetadata().getName()));
            } catch (InputException | RuntimeException e) {
                // a workload without pods covers none
            }
        }
        snapshot.pods().stream()
                .filter(p -> !covered.contains(p.getMetadata().getNamespace() + "/" + p.getMetadata().getName()))
                .forEach(objects::add);
        Map<String, Entry> out = new LinkedHashMap<>();
        objects.stream()
                .sorted(Comparator.comparing((HasMetadata o) -> String.valueOf(o.getMetadata().getNamespace()))
                        .thenComparing(o -> o.getMetadata().getName())
                        .thenComparing(o -> KINDS.indexOf(o.getKind())))
                .forEach(o -> out.putIfAbsent(o.getMetadata().getNamespace() + "/" + o.getMetadata().getName(), entry(o)));
        return out;
    }

    /**
     * The object named the way the diagnosis finds it: its bare name when a bare name finds it (so the list, the
     * prompts and the tools share one cache entry), else {@code kind/name} (a Service named like a Deployment).
     */
    private String lookup(HasMetadata o) {
        return io.opsagent.core.diagnosis.WorkloadResolver.lookupName(snapshot, o.getMetadata().getNamespace(),
                o.getKind(), o.getMetadata().getName());
    }

    /**
     * The workload {@code ns/name}; with {@code kind}, the object of that kind (any kind a user asks about: a
     * Service, a CronJob's Job, a pod), listed or not.
     */
    Optional<Entry> find(String namespace, String name, String kind) {
        if (kind == null) return find(namespace, name);
        Entry listed = entries().get(namespace + "/" + name);
        if (listed != null && listed.object().getKind().equals(kind)) return Optional.of(listed);
        return snapshot.find(kind, namespace, name).map(o -> others.computeIfAbsent(kind + "/" + namespace + "/" + name,
                k -> entry(o)));
    }

    private Entry entry(HasMetadata o) {
        List<Finding> findings;
        try {
            Diagnosis d = diagnosis.diagnose(snapshot, o.getMetadata().getNamespace(), lookup(o));
            findings = d.findings().stream().map(redactor::redact)
                    .sorted(Comparator.comparing((Finding f) -> !f.rootCause()).thenComparing(Finding::severity))
                    .toList();
        } catch (InputException e) {
            findings = List.of();
        }
        JsonNode tree = Json.MAPPER.valueToTree(o);
        Integer desired = null;
        Integer ready = null;
        switch (o.getKind()) {
            case "Deployment", "StatefulSet" -> {
                desired = tree.path("spec").path("replicas").isNumber() ? tree.path("spec").path("replicas").asInt() : 1;
                ready = tree.path("status").path("readyReplicas").asInt(0);
            }
            case "DaemonSet" -> {
                desired = tree.path("status").path("desiredNumberScheduled").asInt(0);
                ready = tree.path("status").path("numberReady").asInt(0);
            }
            case "Job" -> {
                desired = tree.path("spec").path("completions").isNumber() ? tree.path("spec").path("completions").asInt() : 1;
                ready = tree.path("status").path("succeeded").asInt(0);
            }
            case "Pod" -> {
                desired = tree.path("spec").path("containers").size();
                int r = 0;
                for (JsonNode c : tree.path("status").path("containerStatuses")) if (c.path("ready").asBoolean()) r++;
                ready = r;
            }
            default -> { } // CronJob: no replica counts
        }
        boolean critical = findings.stream().anyMatch(f -> f.severity() == Severity.CRITICAL);
        boolean warning = findings.stream().anyMatch(f -> f.severity() == Severity.WARNING)
                || (ready != null && desired != null && ready < desired);
        return new Entry(o, findings, critical ? "critical" : warning ? "warning" : "healthy", ready, desired);
    }

    /** The list item shape. */
    ObjectNode summary(Entry e) {
        ObjectNode n = Json.object().put("namespace", e.object().getMetadata().getNamespace())
                .put("kind", e.object().getKind()).put("name", e.object().getMetadata().getName())
                .put("status", e.status());
        if (e.object().getMetadata().getOwnerReferences() != null) {
            e.object().getMetadata().getOwnerReferences().stream().filter(r -> Boolean.TRUE.equals(r.getController())
                    || r.getKind().equals("CronJob")).findFirst()
                    .ifPresent(r -> n.put("owner", r.getKind() + "/" + r.getName()));
        }
        if (e.ready() == null) n.putNull("ready"); else n.put("ready", e.ready());
        if (e.desired() == null) n.putNull("desired"); else n.put("desired", e.desired());
        n.put("findings", e.findings().size());
        if (e.findings().isEmpty()) {
            n.putNull("topFinding");
        } else {
            Finding f = e.findings().get(0);
            n.putObject("topFinding").put("category", f.category().name()).put("severity", f.severity().json())
                    .put("summary", f.summary());
        }
        return n;
    }

    /** The detail shape: the summary plus pods, recent events (warnings first) and findings with evidence. */
    ObjectNode detail(Entry e) {
        ObjectNode n = summary(e);
        HasMetadata o = e.object();
        // what a chat session about this object is opened with: ns/name, or ns/kind/name when the name alone finds another
        String l = lookup(o);
        n.put("workload", o.getMetadata().getNamespace() + "/" + (l.contains("/") ? o.getKind() + "/" + o.getMetadata().getName() : l));
        List<Pod> pods;
        try {
            pods = diagnosis.engine().subject(snapshot, o.getMetadata().getNamespace(), lookup(o)).pods();
        } catch (InputException ex) {
            pods = List.of();
        }
        ArrayNode podArray = n.putArray("pods");
        pods.stream().sorted(Comparator.comparing(p -> p.getMetadata().getName())).forEach(p -> podArray.add(pod(p)));
        ArrayNode events = n.putArray("events");
        events(o, pods).forEach(ev -> events.add(event(ev)));
        ArrayNode findings = n.putArray("findings");
        e.findings().forEach(f -> findings.add((JsonNode) Json.MAPPER.valueToTree(f)));
        return n;
    }

    private ObjectNode pod(Pod p) {
        return Json.object().put("name", p.getMetadata().getName())
                .put("phase", p.getStatus() == null ? "Unknown" : Objects.requireNonNullElse(p.getStatus().getPhase(), "Unknown"))
                .put("status", PodStatus.display(p))
                .put("ready", PodStatus.readyCount(p)).put("restarts", PodStatus.restarts(p))
                .put("node", p.getSpec() == null ? null : p.getSpec().getNodeName())
                .put("ref", snapshot.ref(p, "status"));
    }

    private List<Event> events(HasMetadata o, List<Pod> pods) {
        List<Event> all = new ArrayList<>(snapshot.eventsFor(o));
        String uid = o.getMetadata().getUid();
        String name = o.getMetadata().getName();
        snapshot.replicaSets().stream()
                .filter(rs -> Objects.equals(rs.getMetadata().getNamespace(), o.getMetadata().getNamespace()))
                .filter(rs -> rs.getMetadata().getOwnerReferences() != null && rs.getMetadata().getOwnerReferences().stream()
                        .anyMatch(r -> o.getKind().equals(r.getKind()) && (Objects.equals(uid, r.getUid()) || name.equals(r.getName()))))
                .forEach(rs -> all.addAll(snapshot.eventsFor(rs)));
        if (o.getKind().equals("CronJob")) {
            snapshot.jobs().stream().filter(j -> Objects.equals(j.getMetadata().getNamespace(), o.getMetadata().getNamespace()))
                    .filter(j -> j.getMetadata().getOwnerReferences() != null && j.getMetadata().getOwnerReferences().stream()
                            .anyMatch(r -> "CronJob".equals(r.getKind()) && name.equals(r.getName())))
                    .forEach(j -> all.addAll(snapshot.eventsFor(j)));
        }
        pods.forEach(p -> all.addAll(snapshot.eventsFor(p)));
        return all.stream().distinct()
                .sorted(Comparator.comparing((Event ev) -> !"Warning".equals(ev.getType()))
                        .thenComparing(Workloads::lastSeen, Comparator.nullsLast(Comparator.reverseOrder())))
                .limit(MAX_EVENTS).toList();
    }

    private static String lastSeen(Event e) {
        if (e.getLastTimestamp() != null) return e.getLastTimestamp();
        if (e.getEventTime() != null && e.getEventTime().getTime() != null) return e.getEventTime().getTime();
        return e.getFirstTimestamp();
    }

    private ObjectNode event(Event e) {
        String object = e.getInvolvedObject() == null ? null
                : e.getInvolvedObject().getKind() + "/" + e.getInvolvedObject().getName();
        return Json.object().put("type", e.getType()).put("reason", e.getReason())
                .put("message", e.getMessage() == null ? null : redactor.redact(e.getMessage()))
                .put("object", object).put("count", e.getCount() == null ? 1 : e.getCount())
                .put("lastSeen", lastSeen(e)).put("ref", snapshot.ref(e, ""));
    }
}
