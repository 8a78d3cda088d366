package io.opsagent.app.config;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.opsagent.adapters.kubernetes.Impersonation;
import io.opsagent.adapters.kubernetes.KubernetesClients;
import io.opsagent.adapters.kubernetes.LiveClusterReader;
import io.opsagent.adapters.kubernetes.LiveSnapshotProvider;
import io.opsagent.adapters.kubernetes.PodLogSource;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.logs.search.LogSource;
import io.opsagent.core.logs.search.SnapshotLogSource;
import io.opsagent.core.tools.SnapshotProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A live cluster as a {@link SnapshotProvider}: snapshots read from the Kubernetes API (cached for
 * {@link LiveSnapshotProvider#DEFAULT_TTL}, with the logs of unhealthy pods attached), log search on the pod log API
 * (or the snapshot's logs). With impersonation on, {@link #forUser} gives each user a view whose every call carries
 * {@code Impersonate-User: <user>} (and the configured {@code Impersonate-Group}s), so the cluster's RBAC applies
 * to that user; the views of the most recent users are kept (their clients and caches), older ones closed.
 * Without impersonation every user shares the view of the configured identity.
 */
final class LiveCluster implements SnapshotProvider, AutoCloseable {
    /** Most per-user views kept open. */
    static final int MAX_USERS = 32;

    private final Supplier<Config> configs;
    private final String label;
    private final String namespace;
    private final boolean podLogs;
    private final boolean impersonate;
    private final List<String> groups;
    private final Map<String, String> tokenGroups;
    private final View service;
    private final Map<String, View> users = new LinkedHashMap<>(16, 0.75f, true);
    private final List<View> retired = new ArrayList<>();
    private final io.opsagent.core.actions.ClusterActions actions;

    /**
     * @param client      the client of the configured identity (kubeconfig context or EKS); owned from now on
     * @param configs     a new configuration of the same identity for each impersonating client (a fresh object:
     *                    fabric8 copies share the impersonation fields, so a copy would change the original too)
     * @param label       the cluster for messages and snapshot sources, e.g. "context prod"
     * @param namespace   the namespace read, or null for all
     * @param podLogs     true: log search reads the pod log API; false: the logs attached to the snapshot
     * @param impersonate true: {@link #forUser} impersonates the user
     * @param groups      the groups sent with Impersonate-Group
     */
    LiveCluster(KubernetesClient client, Supplier<Config> configs, String label, String namespace, boolean podLogs, boolean impersonate,
                List<String> groups) {
        this(client, configs, label, namespace, podLogs, impersonate, groups, Map.of());
    }

    /**
     * @param tokenGroups the groups of a user's token (Cognito's in AWS) sent as Kubernetes groups, each to the name it
     *                    maps to; a token's other groups are never sent (so impersonation is limited to what is listed)
     */
    LiveCluster(KubernetesClient client, Supplier<Config> configs, String label, String namespace, boolean podLogs, boolean impersonate,
                List<String> groups, Map<String, String> tokenGroups) {
        this.configs = configs;
        this.label = Objects.requireNonNull(label, "label");
        this.namespace = namespace;
        this.podLogs = podLogs;
        this.impersonate = impersonate;
        this.groups = List.copyOf(groups);
        this.tokenGroups = Map.copyOf(tokenGroups);
        this.service = new View(client, null);
        this.actions = new io.opsagent.adapters.kubernetes.KubernetesActions(client, who -> KubernetesClients.build(
                fresh(), new Impersonation(who.user(), who.groups())),
                who -> new io.opsagent.core.actions.ClusterActions.Identity(who.user(), onCluster(who.groups())));
    }

    /**
     * The Kubernetes groups a user with {@code token} groups is impersonated with: the configured ones, then each token
     * group that is mapped, as what it maps to. Sorted after the configured, no repeats.
     */
    List<String> onCluster(java.util.Collection<String> token) {
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>(groups);
        if (token != null) new java.util.TreeSet<>(token).forEach(g -> {
            String k = tokenGroups.get(g);
            if (k != null) out.add(k);
        });
        return List.copyOf(out);
    }

    String label() {
        return label;
    }

    String namespace() {
        return namespace;
    }

    boolean impersonates() {
        return impersonate;
    }

    /** The client of the configured identity (the reads of {@link #snapshot()}). */
    KubernetesClient client() {
        return service.client;
    }

    @Override
    public ClusterSnapshot snapshot() {
        return service.snapshot();
    }

    @Override
    public LogSource logs() {
        return service.logs();
    }

    @Override
    public SnapshotProvider forUser(String user) {
        return forUser(user, List.of());
    }

    /** The view of {@code user} impersonated with {@link #onCluster} of their token's groups (one view per both). */
    @Override
    public SnapshotProvider forUser(String user, java.util.Collection<String> tokenGroups) {
        if (!impersonate || user == null) return service;
        List<String> sent = onCluster(tokenGroups);
        String key = user + "\n" + String.join("\n", sent);
        synchronized (users) {
            View v = users.get(key);
            if (v == null) {
                Impersonation as = new Impersonation(user, sent);
                v = new View(KubernetesClients.build(fresh(), as), user);
                users.put(key, v);
                if (users.size() > MAX_USERS) {
                    var eldest = users.entrySet().iterator();
                    View old = eldest.next().getValue();
                    eldest.remove();
                    retired.add(old); // a run may still use it: closed with the cluster
                }
            }
            return v;
        }
    }

    /**
     * Changes are sent impersonating the approver (a new client per request, with the configured groups); reads,
     * SubjectAccessReviews and rollouts use the configured identity.
     */
    @Override
    public io.opsagent.core.actions.ClusterActions actions() {
        return actions;
    }


    /** Drops every view's cached snapshot (the configured identity's and each user's). */
    @Override
    public void invalidate() {
        service.invalidate();
        synchronized (users) {
            users.values().forEach(View::invalidate);
        }
    }

    /** A new configuration of the configured identity, not shared with any client. */
    private Config fresh() {
        Config c = configs.get();
        if (c == client().getConfiguration() || c.getRequestConfig() == client().getConfiguration().getRequestConfig()) {
            throw new IllegalStateException("an impersonating client needs its own configuration");
        }
        return c;
    }

    @Override
    public void close() {
        synchronized (users) {
            users.values().forEach(View::close);
            retired.forEach(View::close);
            users.clear();
            retired.clear();
        }
        service.close();
    }

    /** One identity's view: its client, snapshot cache and pod logs. */
    private final class View implements SnapshotProvider {
        private final KubernetesClient client;
        private final PodLogSource logs;
        private final LiveSnapshotProvider snapshots;
        private final String user;

        View(KubernetesClient client, String user) {
            this.client = client;
            this.user = user;
            this.logs = new PodLogSource(client, namespace, PodLogSource.Limits.DEFAULT);
            this.snapshots = new LiveSnapshotProvider(new LiveClusterReader(client,
                    label + (user == null ? "" : " as " + user), logs), namespace);
        }

        @Override
        public ClusterSnapshot snapshot() {
            return snapshots.snapshot();
        }

        @Override
        public LogSource logs() {
            return podLogs ? logs : new SnapshotLogSource(snapshot());
        }

        /** The same user asking again (e.g. a tool of their run) keeps this view and its groups. */
        @Override
        public SnapshotProvider forUser(String u) {
            return u != null && u.equals(user) ? this : LiveCluster.this.forUser(u);
        }

        @Override
        public SnapshotProvider forUser(String u, java.util.Collection<String> groups) {
            return LiveCluster.this.forUser(u, groups);
        }

        /** A SelfSubjectReview: the user and groups the API server sees this view's calls as. */
        @Override
        public Identity identity() {
            try {
                var review = client.resource(new io.fabric8.kubernetes.api.model.authentication.SelfSubjectReviewBuilder()
                        .withNewMetadata().endMetadata().build()).create();
                var info = review.getStatus() == null ? null : review.getStatus().getUserInfo();
                return info == null ? null : new Identity(info.getUsername(), info.getGroups() == null ? List.of() : List.copyOf(info.getGroups()));
            } catch (RuntimeException e) {
                return null;
            }
        }

        /** A rules review's answer and when it was asked ({@link System#nanoTime}). */
        private record Review(boolean may, long at) {
        }

        private final java.util.Map<String, Review> mayChange = new java.util.concurrent.ConcurrentHashMap<>();

        /**
         * A SelfSubjectRulesReview as this view's identity (the impersonated user), cached a minute per namespace: any
         * rule that lets it patch or update a workload kind or a ConfigMap. An incomplete review or a failed one says
         * true (the SubjectAccessReview before each write decides).
         */
        @Override
        public boolean mayChange(String ns) {
            if (ns == null || ns.isBlank() || ns.equals("*")) return true;
            Review cached = mayChange.get(ns);
            long now = System.nanoTime();
            if (cached != null && now - cached.at() < 60_000_000_000L) return cached.may();
            boolean may;
            try {
                var review = client.authorization().v1().selfSubjectRulesReview().create(
                        new io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder().withNewSpec()
                                .withNamespace(ns).endSpec().build());
                var st = review.getStatus();
                may = st == null || Boolean.TRUE.equals(st.getIncomplete()) || st.getResourceRules().stream().anyMatch(View::writes);
            } catch (RuntimeException e) {
                may = true;
            }
            mayChange.put(ns, new Review(may, now));
            return may;
        }

        private static boolean writes(io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule r) {
            java.util.List<String> verbs = r.getVerbs() == null ? java.util.List.of() : r.getVerbs();
            java.util.List<String> res = r.getResources() == null ? java.util.List.of() : r.getResources();
            boolean verb = verbs.contains("*") || verbs.contains("patch") || verbs.contains("update");
            boolean kind = res.contains("*") || res.contains("deployments") || res.contains("statefulsets")
                    || res.contains("daemonsets") || res.contains("configmaps");
            return verb && kind;
        }

        @Override
        public void invalidate() {
            snapshots.invalidate();
        }

        void close() {
            client.close();
        }
    }
}
