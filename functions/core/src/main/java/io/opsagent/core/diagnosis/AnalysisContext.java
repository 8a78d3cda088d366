package io.opsagent.core.diagnosis;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.cluster.ContainerLog;
import io.opsagent.core.cluster.LogLine;
import io.opsagent.core.cluster.ObjectKey;
import io.opsagent.core.cluster.TextOrigin;
import io.opsagent.core.diagnosis.logs.LogErrorClassifier;
import io.opsagent.core.diagnosis.logs.LogSignal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What analyzers read: the snapshot, plus shared helpers for ownership (pod → ReplicaSet → Deployment, pod → Job →
 * CronJob, with name-prefix and selector fall-backs when ownerReferences are missing, as in text evidence),
 * selectors, de-duplicated events, logs and their decisive lines, and evidence citations.
 *
 * <p>It also records, per finding, the objects the finding is about ({@link #subjects}) so that the engine can link
 * symptoms to causes and scope a diagnosis to a workload.
 */
public class AnalysisContext {
    private static final Pattern RS_HASH = Pattern.compile("-[a-z0-9]{6,10}$");
    private static final Pattern POD_SUFFIX = Pattern.compile("-[a-z0-9]{5}$");
    private static final Pattern ORDINAL = Pattern.compile("-\\d+$");
    private static final Pattern DEPLOYMENT_POD = Pattern.compile(
            "^(.+-[bcdfghjklmnpqrstvwxz2456789]{6,10})-[bcdfghjklmnpqrstvwxz2456789]{5}$");

    private final ClusterSnapshot snapshot;
    private final Function<ContainerLog, List<LogSignal>> classifier;
    private final Map<ContainerLog, List<LogSignal>> signalCache = new IdentityHashMap<>();
    private final Map<String, Set<ObjectKey>> subjects = new HashMap<>();
    private final Map<String, Set<ObjectKey>> related = new HashMap<>();
    private final Map<String, Set<String>> tags = new HashMap<>();
    private final Map<Pod, List<ObjectKey>> chainCache = new IdentityHashMap<>();
    private Instant now;
    private Map<String, List<Event>> eventIndex;
    private Map<String, List<HasMetadata>> objectIndex;

    public AnalysisContext(ClusterSnapshot snapshot) {
        this(snapshot, new LogErrorClassifier()::classify);
    }

    /** @param classifier finds the decisive lines of a log (normally {@link LogErrorClassifier#classify}) */
    public AnalysisContext(ClusterSnapshot snapshot, Function<ContainerLog, List<LogSignal>> classifier) {
        this.snapshot = snapshot;
        this.classifier = classifier;
    }

    public ClusterSnapshot snapshot() {
        return snapshot;
    }

    // ---------------------------------------------------------------- evidence

    /** DESCRIBE when {@code object} was read from pasted text, else {@code otherwise}. */
    public EvidenceSource sourceOf(Object object, EvidenceSource otherwise) {
        return snapshot.origin(object) instanceof TextOrigin ? EvidenceSource.DESCRIBE : otherwise;
    }

    /** Evidence citing one field of an object. */
    public Evidence evidence(HasMetadata object, String fieldPath, EvidenceSource source, String text) {
        return new Evidence(sourceOf(object, source), snapshot.ref(object, fieldPath == null ? "" : fieldPath),
                text == null ? "" : text);
    }

    /** Evidence citing a (merged) event. */
    public Evidence evidence(EventGroup g) {
        return new Evidence(sourceOf(g.latest(), EvidenceSource.EVENT), snapshot.ref(g.latest(), "message"),
                g.describe());
    }

    /** Evidence citing a log line. */
    public Evidence evidence(ContainerLog log, LogLine line) {
        return new Evidence(EvidenceSource.LOG, log.ref(line), line.text());
    }

    // ---------------------------------------------------------------- events

    /** Events about an object, merged by type, reason and message, most frequent warnings first. */
    public List<EventGroup> events(String kind, String namespace, String name) {
        Map<String, List<Event>> byKey = new LinkedHashMap<>();
        for (Event e : eventsAbout(kind, namespace, name)) {
            String key = e.getType() + "|" + e.getReason() + "|" + (e.getMessage() == null ? "" : e.getMessage().strip());
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
        }
        List<EventGroup> out = new ArrayList<>();
        for (List<Event> es : byKey.values()) {
            int count = 0;
            for (Event e : es) count += countOf(e);
            out.add(new EventGroup(latest(es), count, List.copyOf(es)));
        }
        out.sort((a, b) -> {
            if (a.warning() != b.warning()) return a.warning() ? -1 : 1;
            return Integer.compare(b.count(), a.count());
        });
        return out;
    }

    public List<EventGroup> events(HasMetadata o) {
        return events(o.getKind(), o.getMetadata().getNamespace(), o.getMetadata().getName());
    }

    /** Warning events about an object with one of {@code reasons} (all warnings when none given). */
    public List<EventGroup> warnings(HasMetadata o, String... reasons) {
        return events(o).stream().filter(EventGroup::warning)
                .filter(g -> reasons.length == 0 || List.of(reasons).contains(g.reason())).toList();
    }

    /** Same as {@link ClusterSnapshot#eventsFor(String, String, String)}, through an index built once. */
    private List<Event> eventsAbout(String kind, String namespace, String name) {
        if (eventIndex == null) {
            eventIndex = new HashMap<>();
            for (Event e : snapshot.events()) {
                if (e.getInvolvedObject() == null || e.getInvolvedObject().getKind() == null
                        || e.getInvolvedObject().getName() == null) {
                    continue;
                }
                eventIndex.computeIfAbsent(e.getInvolvedObject().getKind().toLowerCase(Locale.ROOT) + "/"
                        + e.getInvolvedObject().getName(), k -> new ArrayList<>()).add(e);
            }
        }
        return eventIndex.getOrDefault(kind.toLowerCase(Locale.ROOT) + "/" + name, List.of()).stream()
                .filter(e -> namespace == null || e.getInvolvedObject().getNamespace() == null
                        || namespace.equals(e.getInvolvedObject().getNamespace()))
                .toList();
    }

    private static int countOf(Event e) {
        if (e.getSeries() != null && e.getSeries().getCount() != null) return Math.max(1, e.getSeries().getCount());
        return e.getCount() == null || e.getCount() < 1 ? 1 : e.getCount();
    }

    private static Event latest(List<Event> es) {
        Event best = es.get(es.size() - 1);
        Instant bt = eventTime(best);
        for (Event e : es) {
            Instant t = eventTime(e);
            if (t != null && (bt == null || t.isAfter(bt))) {
                best = e;
                bt = t;
            }
        }
        return best;
    }

    static Instant eventTime(Event e) {
        Instant t = parse(e.getLastTimestamp());
        if (t == null && e.getEventTime() != null) t = parse(e.getEventTime().getTime());
        if (t == null) t = parse(e.getFirstTimestamp());
        return t;
    }

    /** Parses a Kubernetes timestamp, null when absent or unparseable. */
    public static Instant parse(String ts) {
        if (ts == null || ts.isBlank()) return null;
        try {
            return OffsetDateTime.parse(ts).toInstant();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The latest time seen in the snapshot (events, container states, conditions); null if none is known. */
    public Instant now() {
        if (now == null) {
            List<Instant> ts = new ArrayList<>();
            snapshot.events().forEach(e -> ts.add(eventTime(e)));
            for (Pod p : snapshot.pods()) {
                if (p.getStatus() == null) continue;
                if (p.getStatus().getConditions() != null) {
                    p.getStatus().getConditions().forEach(c -> ts.add(parse(c.getLastTransitionTime())));
                }
                for (PodContainer c : PodContainer.of(p)) {
                    if (c.status() == null || c.status().getState() == null) continue;
                    if (c.running()) ts.add(parse(c.status().getState().getRunning().getStartedAt()));
                    if (c.latestTermination() != null) ts.add(parse(c.latestTermination().getFinishedAt()));
                }
            }
            now = ts.stream().filter(Objects::nonNull).max(Instant::compareTo).orElse(Instant.EPOCH);
        }
        return Instant.EPOCH.equals(now) ? null : now;
    }

    // ---------------------------------------------------------------- logs

    /** The logs of one container: the previous instance's first (when read), then the current one. */
    public List<ContainerLog> logs(Pod pod, String container) {
        List<ContainerLog> l = new ArrayList<>(snapshot.logsFor(pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(), container));
        if (l.isEmpty() && container != null && !container.isEmpty()) {
            // a log recorded without its container's name (kubectl logs --all-containers, a pod known only from a
            // listing): it belongs to the pod, so it is read as its first container's
            List<PodContainer> cs = PodContainer.of(pod);
            if (!cs.isEmpty() && container.equals(cs.get(0).name())) {
                l.addAll(snapshot.logsFor(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), ""));
            }
        }
        l.sort((a, b) -> Boolean.compare(b.previous(), a.previous()));
        return l;
    }

    /** Decisive lines of a log according to {@link LogErrorClassifier}, most decisive first (cached). */
    public List<LogSignal> signals(ContainerLog log) {
        return signalCache.computeIfAbsent(log, l -> {
            try {
                List<LogSignal> s = classifier.apply(l);
                return s == null ? List.of() : List.copyOf(s);
            } catch (RuntimeException e) {
                return List.of(); // a classifier bug must not hide the other findings
            }
        });
    }

    /**
     * Why a container exited, from its log: the classifier's decisive lines, else (fallback) the last non-blank
     * lines before the exit. Prefers the previous instance's log.
     */
    public Optional<LogExplanation> explainExit(Pod pod, String container) {
        // a running container's current log is of a healthy instance: it cannot explain the previous exit
        boolean running = java.util.stream.Stream.concat(PodContainer.of(pod).stream(), PodContainer.initOf(pod).stream())
                .anyMatch(c -> c.name().equals(container) && c.running());
        List<ContainerLog> logs = logs(pod, container).stream().filter(l -> l.previous() || !running).toList();
        for (ContainerLog log : logs) {
            List<LogSignal> s = signals(log);
            if (!s.isEmpty()) return Optional.of(LogExplanation.of(log, s));
        }
        for (ContainerLog log : logs) {
            List<LogLine> last = lastLines(log, 2);
            if (!last.isEmpty()) return Optional.of(LogExplanation.lastLines(log, last));
        }
        return Optional.empty();
    }

    private static List<LogLine> lastLines(ContainerLog log, int n) {
        List<LogLine> out = new ArrayList<>();
        List<LogLine> lines = log.lines();
        for (int i = lines.size() - 1; i >= 0 && out.size() < n; i--) {
            if (!lines.get(i).text().isBlank()) out.add(0, lines.get(i));
        }
        return out;
    }

    // ---------------------------------------------------------------- ownership

    /** The pod and its owners, nearest first (Pod, ReplicaSet, Deployment; Pod, Job, CronJob; ...). */
    public List<ObjectKey> ownerChain(Pod pod) {
        return chainCache.computeIfAbsent(pod, this::computeOwnerChain);
    }

    private List<ObjectKey> computeOwnerChain(Pod pod) {
        List<ObjectKey> chain = new ArrayList<>();
        chain.add(key(pod));
        String ns = pod.getMetadata().getNamespace();
        ObjectKey owner = directOwner(pod);
        while (owner != null && chain.size() < 5) {
            chain.add(owner);
            owner = ownerOf(owner, ns);
        }
        return List.copyOf(chain);
    }

    /**
     * The workload a person would name for this pod: Deployment, StatefulSet, DaemonSet, Job (not its CronJob), a
     * bare ReplicaSet, or the pod itself.
     */
    public ObjectKey workloadOf(Pod pod) {
        List<ObjectKey> chain = ownerChain(pod);
        ObjectKey w = chain.get(0);
        for (ObjectKey k : chain) {
            if (k.kind().equals("CronJob")) break;
            w = k;
        }
        return w;
    }

    /** {@code deployment/api} for kubectl commands about the pod's workload ({@code pod/x} for a bare pod). */
    public String kubectlTarget(Pod pod) {
        ObjectKey w = workloadOf(pod);
        return w.kind().toLowerCase(Locale.ROOT) + "/" + w.name();
    }

    /**
     * Like {@link ClusterSnapshot#find}, through an index built once: an object by kind (case-insensitive), namespace
     * (null matches any) and name.
     */
    public Optional<HasMetadata> find(String kind, String namespace, String name) {
        if (objectIndex == null) {
            objectIndex = new HashMap<>();
            snapshot.objects().forEach(o -> objectIndex.computeIfAbsent(o.getKind().toLowerCase(Locale.ROOT) + "/"
                    + o.getMetadata().getName(), k -> new ArrayList<>()).add(o));
        }
        return objectIndex.getOrDefault(kind.toLowerCase(Locale.ROOT) + "/" + name, List.of()).stream()
                .filter(o -> namespace == null || o.getMetadata().getNamespace() == null
                        || namespace.equals(o.getMetadata().getNamespace()))
                .findFirst();
    }

    /** The owners of any object, nearest first (a ReplicaSet's Deployment, a Job's CronJob). */
    public List<ObjectKey> ownersOf(ObjectKey k) {
        List<ObjectKey> out = new ArrayList<>();
        ObjectKey o = ownerOf(k, k.namespace());
        while (o != null && out.size() < 4) {
            out.add(o);
            o = ownerOf(o, k.namespace());
        }
        return out;
    }

    private ObjectKey directOwner(Pod pod) {
        ObjectKey byRef = controllerRef(pod.getMetadata().getOwnerReferences(), pod.getMetadata().getNamespace());
        if (byRef != null) return byRef;
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        // fall-backs: selectors, then name prefixes
        for (ReplicaSet rs : snapshot.replicaSets()) {
            if (sameNs(rs, ns) && matches(rs.getSpec() == null ? null : rs.getSpec().getSelector(), pod)) return key(rs);
        }
        for (StatefulSet s : snapshot.statefulSets()) {
            if (sameNs(s, ns) && (matches(s.getSpec() == null ? null : s.getSpec().getSelector(), pod)
                    || ORDINAL.matcher(name).find() && name.replaceFirst("-\\d+$", "").equals(s.getMetadata().getName()))) {
                return key(s);
            }
        }
        for (DaemonSet d : snapshot.daemonSets()) {
            if (sameNs(d, ns) && matches(d.getSpec() == null ? null : d.getSpec().getSelector(), pod)) return key(d);
        }
        for (Job j : snapshot.jobs()) {
            if (sameNs(j, ns) && (matches(j.getSpec() == null ? null : j.getSpec().getSelector(), pod)
                    || name.startsWith(j.getMetadata().getName() + "-") && POD_SUFFIX.matcher(name).find()
                    && name.length() == j.getMetadata().getName().length() + 6)) {
                return key(j);
            }
        }
        for (Deployment d : snapshot.deployments()) {
            if (sameNs(d, ns) && (matches(d.getSpec() == null ? null : d.getSpec().getSelector(), pod)
                    || name.startsWith(d.getMetadata().getName() + "-")
                    && name.substring(d.getMetadata().getName().length()).matches("-[a-z0-9]{6,10}-[a-z0-9]{5}"))) {
                String hash = pod.getMetadata().getLabels() == null ? null
                        : pod.getMetadata().getLabels().get("pod-template-hash");
                if (hash != null) return new ObjectKey("ReplicaSet", ns, d.getMetadata().getName() + "-" + hash);
                return key(d);
            }
        }
        // a Deployment's pod without any owner object in the snapshot: name-hash-suffix with pod-template-hash
        String hash = pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get("pod-template-hash");
        if (hash != null && name.contains("-" + hash + "-")) {
            return new ObjectKey("ReplicaSet", ns, name.substring(0, name.indexOf("-" + hash + "-")) + "-" + hash);
        }
        // <deployment>-<template hash>-<suffix>, both from the alphabet Kubernetes uses for generated names
        java.util.regex.Matcher m = DEPLOYMENT_POD.matcher(name);
        if (m.matches()) return new ObjectKey("ReplicaSet", ns, m.group(1));
        return null;
    }

    private ObjectKey ownerOf(ObjectKey k, String ns) {
        Optional<HasMetadata> obj = find(k.kind(), ns, k.name());
        if (obj.isPresent()) {
            ObjectKey byRef = controllerRef(obj.get().getMetadata().getOwnerReferences(), ns);
            if (byRef != null) return byRef;
        }
        if (k.kind().equals("ReplicaSet")) {
            String hash = obj.flatMap(o -> Optional.ofNullable(o.getMetadata().getLabels()))
                    .map(l -> l.get("pod-template-hash")).orElse(null);
            String depName = hash != null && k.name().endsWith("-" + hash)
                    ? k.name().substring(0, k.name().length() - hash.length() - 1)
                    : RS_HASH.matcher(k.name()).find() ? RS_HASH.matcher(k.name()).replaceFirst("") : null;
            if (depName != null && (find("Deployment", ns, depName).isPresent() || obj.isEmpty()
                    || hash != null)) {
                return new ObjectKey("Deployment", ns, depName);
            }
        }
        if (k.kind().equals("Job")) {
            for (CronJob c : snapshot.cronJobs()) {
                if (sameNs(c, ns) && k.name().startsWith(c.getMetadata().getName() + "-")
                        && k.name().substring(c.getMetadata().getName().length() + 1).matches("\\d+")) {
                    return key(c);
                }
            }
        }
        return null;
    }

    private static ObjectKey controllerRef(List<OwnerReference> refs, String ns) {
        if (refs == null || refs.isEmpty()) return null;
        OwnerReference r = refs.stream().filter(o -> Boolean.TRUE.equals(o.getController())).findFirst().orElse(refs.get(0));
        return r.getKind() == null || r.getName() == null ? null : new ObjectKey(r.getKind(), ns, r.getName());
    }

    /** Pods that belong to {@code workload} (any kind: Deployment, ReplicaSet, StatefulSet, ..., CronJob, Pod). */
    public List<Pod> podsOf(ObjectKey workload) {
        return snapshot.pods().stream()
                .filter(p -> Objects.equals(p.getMetadata().getNamespace(), workload.namespace())
                        || workload.namespace() == null)
                .filter(p -> ownerChain(p).stream().anyMatch(k -> k.kind().equalsIgnoreCase(workload.kind())
                        && k.name().equals(workload.name())))
                .toList();
    }

    public List<Pod> podsOf(HasMetadata workload) {
        return podsOf(key(workload));
    }

    /** Jobs created by a CronJob (ownerReferences, else the {@code <cronjob>-<number>} naming). */
    public List<Job> jobsOf(CronJob cron) {
        ObjectKey ck = key(cron);
        return snapshot.jobs().stream().filter(j -> sameNs(j, cron.getMetadata().getNamespace()))
                .filter(j -> ck.equals(ownerOf(key(j), j.getMetadata().getNamespace()))).toList();
    }

    /** Services whose selector selects {@code pod}. */
    public List<Service> servicesSelecting(Pod pod) {
        return snapshot.services().stream().filter(s -> sameNs(s, pod.getMetadata().getNamespace()))
                .filter(s -> s.getSpec() != null && s.getSpec().getSelector() != null
                        && !s.getSpec().getSelector().isEmpty()
                        && labelsMatch(s.getSpec().getSelector(), pod.getMetadata().getLabels()))
                .toList();
    }

    /** Pods selected by a Service's selector (none for a Service without selector). */
    public List<Pod> podsSelectedBy(Service svc) {
        if (svc.getSpec() == null || svc.getSpec().getSelector() == null || svc.getSpec().getSelector().isEmpty()) {
            return List.of();
        }
        return snapshot.pods().stream().filter(p -> sameNs(p, svc.getMetadata().getNamespace()))
                .filter(p -> labelsMatch(svc.getSpec().getSelector(), p.getMetadata().getLabels())).toList();
    }

    /** The node named {@code name}, if in the snapshot. */
    public Optional<Node> node(String name) {
        if (name == null) return Optional.empty();
        return snapshot.nodes().stream().filter(n -> name.equals(n.getMetadata().getName())).findFirst();
    }

    /** True when every selector entry is among {@code labels}. */
    public static boolean labelsMatch(Map<String, String> selector, Map<String, String> labels) {
        if (selector == null || selector.isEmpty()) return false;
        if (labels == null) return false;
        return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    /** Whether a label selector (matchLabels and matchExpressions) selects the pod; false for an empty selector. */
    public static boolean matches(LabelSelector sel, Pod pod) {
        if (sel == null) return false;
        Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
        boolean any = false;
        if (sel.getMatchLabels() != null && !sel.getMatchLabels().isEmpty()) {
            if (!labelsMatch(sel.getMatchLabels(), labels)) return false;
            any = true;
        }
        if (sel.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : sel.getMatchExpressions()) {
                any = true;
                String v = labels.get(r.getKey());
                List<String> vals = r.getValues() == null ? List.of() : r.getValues();
                boolean ok = switch (r.getOperator() == null ? "" : r.getOperator()) {
                    case "In" -> v != null && vals.contains(v);
                    case "NotIn" -> v == null || !vals.contains(v);
                    case "Exists" -> v != null;
                    case "DoesNotExist" -> v == null;
                    default -> false;
                };
                if (!ok) return false;
            }
        }
        return any;
    }

    private static boolean sameNs(HasMetadata o, String ns) {
        return ns == null || o.getMetadata().getNamespace() == null || ns.equals(o.getMetadata().getNamespace());
    }

    /** The identity of an object. */
    public static ObjectKey key(HasMetadata o) {
        return ObjectKey.of(o);
    }

    // ---------------------------------------------------------------- finding subjects

    /** Starts a finding about {@code object}. */
    public FindingBuilder finding(Category category, Severity severity, ObjectKey object) {
        return new FindingBuilder(this, category, severity, object);
    }

    void register(String findingId, Set<ObjectKey> about, Set<ObjectKey> relatedTo, Set<String> tags) {
        this.tags.computeIfAbsent(findingId, k -> new LinkedHashSet<>()).addAll(tags);
        subjects.computeIfAbsent(findingId, k -> new LinkedHashSet<>()).addAll(about);
        related.computeIfAbsent(findingId, k -> new LinkedHashSet<>()).addAll(relatedTo);
    }

    /** The objects a finding is about (its object, the pods it covers, ...). */
    public Set<ObjectKey> subjects(String findingId) {
        return subjects.getOrDefault(findingId, Set.of());
    }

    /** Objects outside the finding whose own findings may explain it (a node, a quota, a PVC). */
    public Set<ObjectKey> related(String findingId) {
        return related.getOrDefault(findingId, Set.of());
    }

    /** Facts recorded for the linking rules ({@code liveness}, {@code killed}, ...). */
    public Set<String> tags(String findingId) {
        return tags.getOrDefault(findingId, Set.of());
    }

    /** A readable list: {@code a, b and 3 more}. */
    public static String names(Stream<String> names, int max) {
        List<String> all = names.distinct().toList();
        if (all.size() <= max) return String.join(", ", all);
        return String.join(", ", all.subList(0, max)) + " and " + (all.size() - max) + " more";
    }
}
