package io.opsagent.core.cluster;

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
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A point-in-time view of (part of) a cluster, whatever it was read from: a {@code kubectl cluster-info dump}
 * directory, pasted text evidence, or the live API. Objects are fabric8's Kubernetes model types, so the same
 * analyzers run on all three. Every object remembers its {@link Origin} so findings can cite it.
 *
 * <p>Secrets are stored with their keys only: values are dropped when they are added and never reach analyzers,
 * models, the screen or storage.
 */
public final class ClusterSnapshot {

    private final String source;
    private final List<Node> nodes;
    private final List<Namespace> namespaces;
    private final List<Pod> pods;
    private final List<Deployment> deployments;
    private final List<ReplicaSet> replicaSets;
    private final List<StatefulSet> statefulSets;
    private final List<DaemonSet> daemonSets;
    private final List<ReplicationController> replicationControllers;
    private final List<Job> jobs;
    private final List<CronJob> cronJobs;
    private final List<Service> services;
    private final List<Endpoints> endpoints;
    private final List<PersistentVolumeClaim> pvcs;
    private final List<PersistentVolume> pvs;
    private final List<ConfigMap> configMaps;
    private final List<Secret> secrets;
    private final List<Event> events;
    private final List<HorizontalPodAutoscaler> hpas;
    private final List<ResourceQuota> resourceQuotas;
    private final List<ContainerLog> logs;
    private final List<LogGap> logGaps;
    private final List<String> unreadable;
    private final List<ObjectKey> focus;
    private final List<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy> networkPolicies;
    private final Map<Object, Origin> origins;

    private ClusterSnapshot(Builder b) {
        this.source = b.source;
        this.nodes = List.copyOf(b.nodes);
        this.namespaces = List.copyOf(b.namespaces);
        this.pods = List.copyOf(b.pods);
        this.deployments = List.copyOf(b.deployments);
        this.replicaSets = List.copyOf(b.replicaSets);
        this.statefulSets = List.copyOf(b.statefulSets);
        this.daemonSets = List.copyOf(b.daemonSets);
        this.replicationControllers = List.copyOf(b.replicationControllers);
        this.jobs = List.copyOf(b.jobs);
        this.cronJobs = List.copyOf(b.cronJobs);
        this.services = List.copyOf(b.services);
        this.endpoints = List.copyOf(b.endpoints);
        this.pvcs = List.copyOf(b.pvcs);
        this.pvs = List.copyOf(b.pvs);
        this.configMaps = List.copyOf(b.configMaps);
        this.secrets = List.copyOf(b.secrets);
        this.events = List.copyOf(b.events);
        this.hpas = List.copyOf(b.hpas);
        this.resourceQuotas = List.copyOf(b.resourceQuotas);
        this.logs = List.copyOf(b.logs);
        this.logGaps = List.copyOf(b.logGaps);
        this.unreadable = List.copyOf(b.unreadable);
        this.focus = List.copyOf(new java.util.LinkedHashSet<>(b.focus));
        this.networkPolicies = List.copyOf(b.networkPolicies);
        this.origins = Collections.unmodifiableMap(new IdentityHashMap<>(b.origins));
    }

    public static Builder builder(String source) {
        return new Builder(source);
    }

    /** A description of where this snapshot came from (a directory, a context name). */
    public String source() { return source; }
    public List<Node> nodes() { return nodes; }
    public List<Namespace> namespaces() { return namespaces; }
    public List<Pod> pods() { return pods; }
    public List<Deployment> deployments() { return deployments; }
    public List<ReplicaSet> replicaSets() { return replicaSets; }
    public List<StatefulSet> statefulSets() { return statefulSets; }
    public List<DaemonSet> daemonSets() { return daemonSets; }
    public List<ReplicationController> replicationControllers() { return replicationControllers; }
    public List<Job> jobs() { return jobs; }
    public List<CronJob> cronJobs() { return cronJobs; }
    public List<Service> services() { return services; }
    public List<Endpoints> endpoints() { return endpoints; }
    public List<PersistentVolumeClaim> pvcs() { return pvcs; }
    public List<PersistentVolume> pvs() { return pvs; }
    public List<ConfigMap> configMaps() { return configMaps; }
    /** Secrets with their data keys only (every value is empty). */
    public List<Secret> secrets() { return secrets; }
    public List<Event> events() { return events; }
    public List<HorizontalPodAutoscaler> hpas() { return hpas; }
    public List<ResourceQuota> resourceQuotas() { return resourceQuotas; }
    public List<ContainerLog> logs() { return logs; }
    /** The container logs that could not be read, and why (a live cluster's). */
    public List<LogGap> logGaps() { return logGaps; }
    /**
     * What could not be read at all, with why, e.g. {@code pods (403)} when the identity may not list pods: an empty
     * list of something unreadable is not an empty namespace.
     */
    public List<String> unreadable() { return unreadable; }
    /**
     * The objects the input shows in detail (described, dumped as YAML, their logs read), as opposed to the rows of a
     * listing: pasted evidence's subject. Empty for a dump or a live cluster, which show everything alike.
     */
    public List<ObjectKey> focus() { return focus; }
    /** NetworkPolicies (from a listing they may have a name only). */
    public List<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy> networkPolicies() { return networkPolicies; }

    /** Every object of the snapshot except events, in a stable order. */
    public Stream<HasMetadata> objects() {
        return Stream.of(nodes, namespaces, pods, deployments, replicaSets, statefulSets, daemonSets,
                        replicationControllers, jobs, cronJobs, services, endpoints, pvcs, pvs, configMaps, secrets,
                        hpas, resourceQuotas, networkPolicies)
                .flatMap(List::stream);
    }

    /** Where {@code object} (an object or event of this snapshot) was read; a placeholder origin if unknown. */
    public Origin origin(Object object) {
        Origin o = origins.get(object);
        return o != null ? o : new JsonOrigin(source, "");
    }

    /** Shorthand for {@code origin(object).ref(fieldPath)}. */
    public String ref(Object object, String fieldPath) {
        return origin(object).ref(fieldPath);
    }

    /** Finds an object by kind (case-insensitive, e.g. "Deployment"), namespace and name. */
    public Optional<HasMetadata> find(String kind, String namespace, String name) {
        return objects().filter(o -> o.getKind().equalsIgnoreCase(kind)
                        && Objects.equals(o.getMetadata().getName(), name)
                        && (namespace == null || o.getMetadata().getNamespace() == null
                        || namespace.equals(o.getMetadata().getNamespace())))
                .findFirst();
    }

    /** Events whose involved object is {@code kind/namespace/name}, oldest first as read. */
    public List<Event> eventsFor(String kind, String namespace, String name) {
        return events.stream().filter(e -> e.getInvolvedObject() != null
                        && kind.equalsIgnoreCase(e.getInvolvedObject().getKind())
                        && Objects.equals(name, e.getInvolvedObject().getName())
                        && (namespace == null || e.getInvolvedObject().getNamespace() == null
                        || namespace.equals(e.getInvolvedObject().getNamespace())))
                .toList();
    }

    /** Events about {@code object}. */
    public List<Event> eventsFor(HasMetadata object) {
        return eventsFor(object.getKind(), object.getMetadata().getNamespace(), object.getMetadata().getName());
    }

    /** The logs of one pod (all containers, current and previous), in the order read. */
    public List<ContainerLog> logsFor(String namespace, String pod) {
        return logs.stream().filter(l -> l.pod().equals(pod)
                && (namespace == null || l.namespace() == null || namespace.equals(l.namespace()))).toList();
    }

    /** The logs of one container; {@code previous} selects the terminated instance's log. */
    public List<ContainerLog> logsFor(String namespace, String pod, String container) {
        return logsFor(namespace, pod).stream().filter(l -> l.container().equals(container)).toList();
    }

    /** Namespaces that hold at least one object, in first-seen order. */
    public List<String> namespaceNames() {
        Map<String, Boolean> seen = new LinkedHashMap<>();
        namespaces.forEach(n -> seen.put(n.getMetadata().getName(), true));
        objects().map(o -> o.getMetadata().getNamespace()).filter(Objects::nonNull).forEach(n -> seen.put(n, true));
        events.stream().map(e -> e.getMetadata() == null ? null : e.getMetadata().getNamespace())
                .filter(Objects::nonNull).forEach(n -> seen.put(n, true));
        return List.copyOf(seen.keySet());
    }

    /** Collects objects as they are read. Not thread-safe. */
    public static final class Builder {
        private final String source;
        private final List<Node> nodes = new ArrayList<>();
        private final List<Namespace> namespaces = new ArrayList<>();
        private final List<Pod> pods = new ArrayList<>();
        private final List<Deployment> deployments = new ArrayList<>();
        private final List<ReplicaSet> replicaSets = new ArrayList<>();
        private final List<StatefulSet> statefulSets = new ArrayList<>();
        private final List<DaemonSet> daemonSets = new ArrayList<>();
        private final List<ReplicationController> replicationControllers = new ArrayList<>();
        private final List<Job> jobs = new ArrayList<>();
        private final List<CronJob> cronJobs = new ArrayList<>();
        private final List<Service> services = new ArrayList<>();
        private final List<Endpoints> endpoints = new ArrayList<>();
        private final List<PersistentVolumeClaim> pvcs = new ArrayList<>();
        private final List<PersistentVolume> pvs = new ArrayList<>();
        private final List<ConfigMap> configMaps = new ArrayList<>();
        private final List<Secret> secrets = new ArrayList<>();
        private final List<Event> events = new ArrayList<>();
        private final List<HorizontalPodAutoscaler> hpas = new ArrayList<>();
        private final List<ResourceQuota> resourceQuotas = new ArrayList<>();
        private final List<ContainerLog> logs = new ArrayList<>();
        private final List<LogGap> logGaps = new ArrayList<>();
        private final List<String> unreadable = new ArrayList<>();
        private final List<ObjectKey> focus = new ArrayList<>();
        private final List<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy> networkPolicies = new ArrayList<>();
        private final Map<Object, Origin> origins = new IdentityHashMap<>();

        private Builder(String source) {
            this.source = source;
        }

        /**
         * Adds an object of a supported kind and returns true; returns false (and keeps nothing) for kinds the
         * analyzers do not read. Secrets lose their values here.
         */
        public boolean add(HasMetadata o, Origin origin) {
            Objects.requireNonNull(o.getMetadata(), "metadata");
            boolean kept = true;
            if (o instanceof Pod p) pods.add(p);
            else if (o instanceof Node n) nodes.add(n);
            else if (o instanceof Namespace n) namespaces.add(n);
            else if (o instanceof Deployment d) deployments.add(d);
            else if (o instanceof ReplicaSet r) replicaSets.add(r);
            else if (o instanceof StatefulSet s) statefulSets.add(s);
            else if (o instanceof DaemonSet d) daemonSets.add(d);
            else if (o instanceof ReplicationController r) replicationControllers.add(r);
            else if (o instanceof Job j) jobs.add(j);
            else if (o instanceof CronJob c) cronJobs.add(c);
            else if (o instanceof Service s) services.add(s);
            else if (o instanceof Endpoints e) endpoints.add(e);
            else if (o instanceof PersistentVolumeClaim c) pvcs.add(c);
            else if (o instanceof PersistentVolume v) pvs.add(v);
            else if (o instanceof ConfigMap c) configMaps.add(c);
            else if (o instanceof Secret s) {
                o = withoutValues(s);
                secrets.add((Secret) o);
            }
            else if (o instanceof Event e) events.add(e);
            else if (o instanceof HorizontalPodAutoscaler h) hpas.add(h);
            else if (o instanceof ResourceQuota q) resourceQuotas.add(q);
            else if (o instanceof io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy n) networkPolicies.add(n);
            else kept = false;
            if (kept && origin != null) {
                origins.put(o, origin);
            }
            return kept;
        }

        public Builder addLog(ContainerLog log) {
            logs.add(log);
            return this;
        }

        /** Records an object the input shows in detail ({@link ClusterSnapshot#focus()}). */
        public Builder focus(ObjectKey key) {
            focus.add(key);
            return this;
        }

        /** Records a resource that could not be read, e.g. {@code pods (403)}. */
        public Builder addUnreadable(String resourceAndReason) {
            unreadable.add(resourceAndReason);
            return this;
        }

        /** Records a container log that could not be read. */
        public Builder addLogGap(LogGap gap) {
            logGaps.add(gap);
            return this;
        }

        public ClusterSnapshot build() {
            return new ClusterSnapshot(this);
        }

        private static Secret withoutValues(Secret s) {
            Map<String, String> keys = new LinkedHashMap<>();
            if (s.getData() != null) s.getData().keySet().forEach(k -> keys.put(k, ""));
            if (s.getStringData() != null) s.getStringData().keySet().forEach(k -> keys.put(k, ""));
            Secret copy = new Secret();
            copy.setApiVersion(s.getApiVersion());
            copy.setKind(s.getKind());
            copy.setMetadata(s.getMetadata());
            copy.setType(s.getType());
            copy.setImmutable(s.getImmutable());
            copy.setData(keys);
            // annotations such as kubectl.kubernetes.io/last-applied-configuration repeat the values
            if (copy.getMetadata().getAnnotations() != null) {
                Map<String, String> ann = new LinkedHashMap<>(copy.getMetadata().getAnnotations());
                ann.remove("kubectl.kubernetes.io/last-applied-configuration");
                copy.getMetadata().setAnnotations(ann);
            }
            return copy;
        }
    }
}
