package io.opsagent.app.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.tools.SnapshotProvider;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /api/workloads}, {@code /api/workloads/{ns}/{name}} and {@code /api/evidence?ref=}. Each request reads the
 * caller's view of the cluster ({@link SnapshotProvider#forUser}): a dump is one fixed snapshot, diagnosed once; a
 * live cluster gives a new snapshot when its cache expires, and the workloads are diagnosed again for it. The
 * diagnoses of the most recent snapshots are kept (one per user with impersonation).
 */
final class WorkloadRoutes {
    /** Most snapshots whose workload list is kept. */
    static final int MAX_SNAPSHOTS = 8;

    private final AppContext app;
    private final List<Workloads> recent = new ArrayList<>();
    private final EvidenceResolver evidence;

    WorkloadRoutes(AppContext app) {
        this.app = app;
        this.evidence = new EvidenceResolver(app.inputDir(), app.redactor());
    }

    void register(Router router) {
        router.add("GET", "/api/workloads", this::list)
                .add("GET", "/api/workloads/{ns}/{name}", this::detail)
                .add("GET", "/api/evidence", this::evidence);
    }

    /** Computes the workload list now (so the first request is not slow); failures surface on that request. */
    void warmUp() {
        try {
            workloads(app.cluster()).list();
        } catch (RuntimeException e) {
            HttpLog.warn("req=warm-up", "diagnosing the workloads failed: " + e);
        }
    }

    /** The workloads of the view's current snapshot: the ones already diagnosed when the snapshot is the same. */
    private Workloads workloads(SnapshotProvider view) {
        ClusterSnapshot snapshot = read(view);
        synchronized (recent) {
            for (Workloads w : recent) {
                if (w.snapshot() == snapshot) return w;
            }
            Workloads w = new Workloads(snapshot, app.redactor(), app.engine().diagnosis());
            recent.add(0, w);
            if (recent.size() > MAX_SNAPSHOTS) recent.remove(recent.size() - 1);
            return w;
        }
    }

    /** The view's snapshot; a cluster that cannot be read is a 502 naming the problem, not a 500. */
    static ClusterSnapshot read(SnapshotProvider view) {
        try {
            return view.snapshot();
        } catch (KubernetesClientException e) {
            throw new ApiError(e.getCode() == 401 || e.getCode() == 403 ? 403 : 502,
                    "the cluster could not be read: " + Workloads.firstLine(e.getMessage()), null);
        }
    }

    /** The workload statuses a list can be filtered by. */
    static final java.util.List<String> STATUSES = java.util.List.of("critical", "warning", "healthy");

    private SnapshotProvider view(Request r) {
        return app.cluster().forUser(r.user(), r.groups());
    }

    private void list(Request r) throws IOException {
        Workloads workloads = workloads(view(r));
        String ns = r.query("namespace");
        String status = r.query("status");
        if (status != null && !STATUSES.contains(status)) {
            throw ApiError.badRequest("status", "'status' must be one of " + String.join(", ", STATUSES) + ", got '"
                    + Params.clip(status, 40) + "'");
        }
        ObjectNode out = Json.object();
        ArrayNode items = out.putArray("items");
        workloads.list().stream()
                .filter(e -> ns == null || ns.equals(e.object().getMetadata().getNamespace()))
                .filter(e -> Visibility.sees(app, r, e.object().getMetadata().getNamespace()))
                .filter(e -> status == null || status.equals(e.status()))
                .forEach(e -> items.add(workloads.summary(e)));
        // what the cluster refused to show this user: an empty list of unreadable things is not an empty cluster
        if (!workloads.snapshot().unreadable().isEmpty()) {
            ArrayNode u = out.putArray("unreadable");
            workloads.snapshot().unreadable().forEach(u::add);
        }
        r.json(200, out);
    }

    private void detail(Request r) throws IOException {
        Workloads workloads = workloads(view(r));
        String ns = r.param(0);
        String name = r.param(1);
        if (ns.length() > 253 || name.length() > 253) {
            throw ApiError.badRequest("name", "a Kubernetes namespace or name has at most 253 characters");
        }
        String kindParam = r.query("kind");
        String kind = null;
        if (kindParam != null) {
            kind = io.opsagent.core.cluster.KubeKinds.kindOf(kindParam);
            if (kind == null) {
                throw ApiError.badRequest("kind", "unknown kind '" + Params.clip(kindParam, 40)
                        + "' (a Kubernetes kind or kubectl name: deployment, service, job, cronjob, pod…)");
            }
        }
        String k = kind;
        // outside the caller's projects: not found, without the close matches a lookup would suggest
        Visibility.require(app, r, ns, "no workload " + Params.clip(ns, 63) + "/" + Params.clip(name, 253));
        Workloads.Entry e = workloads.find(ns, name, kind)
                .orElseThrow(() -> ApiError.notFound(
                        io.opsagent.core.diagnosis.WorkloadResolver.notFound(workloads.snapshot(), ns, name, k)));
        r.json(200, workloads.detail(e));
    }

    private void evidence(Request r) throws IOException {
        SnapshotProvider view = view(r);
        int context = Params.intParam(r, "context", EvidenceResolver.DEFAULT_CONTEXT, 0, EvidenceResolver.MAX_CONTEXT);
        String ref = r.query("ref");
        if (Visibility.projects(app) != null && ref != null) {
            // the namespace a citation is about: api:/api/v1/namespaces/<ns>/…, or <ns>/… of a dump
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^api:/apis?/[^ ]*?/namespaces/([^/]+)/").matcher(ref);
            String ns = m.find() ? m.group(1) : ref.contains("/") ? ref.substring(0, ref.indexOf('/')) : null;
            if (ns == null || !Visibility.sees(app, r, ns)) throw ApiError.notFound("no evidence " + Params.clip(ref, 200));
        }
        r.json(200, evidence.resolve(r.query("ref"), context, view));
    }
}
