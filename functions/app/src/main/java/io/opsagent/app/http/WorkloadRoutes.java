package io.opsagent.app.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/** {@code /api/workloads}, {@code /api/workloads/{ns}/{name}} and {@code /api/evidence?ref=}. */
final class WorkloadRoutes {
    private final Workloads workloads;
    private final EvidenceResolver evidence;

    WorkloadRoutes(AppContext app) {
        this.workloads = new Workloads(app.snapshot(), app.redactor());
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
            workloads.list();
        } catch (RuntimeException e) {
            HttpLog.warn("req=warm-up", "diagnosing the workloads failed: " + e);
        }
    }

    private void list(Request r) throws IOException {
        r.user();
        String ns = r.query("namespace");
        String status = r.query("status");
        ObjectNode out = Json.object();
        ArrayNode items = out.putArray("items");
        workloads.list().stream()
                .filter(e -> ns == null || ns.equals(e.object().getMetadata().getNamespace()))
                .filter(e -> status == null || status.equals(e.status()))
                .forEach(e -> items.add(workloads.summary(e)));
        r.json(200, out);
    }

    private void detail(Request r) throws IOException {
        r.user();
        String ns = r.param(0);
        String name = r.param(1);
        Workloads.Entry e = workloads.find(ns, name)
                .orElseThrow(() -> ApiError.notFound("no workload " + ns + "/" + name));
        r.json(200, workloads.detail(e));
    }

    private void evidence(Request r) throws IOException {
        r.user();
        int context = Params.intParam(r, "context", EvidenceResolver.DEFAULT_CONTEXT, 0, EvidenceResolver.MAX_CONTEXT);
        r.json(200, evidence.resolve(r.query("ref"), context));
    }
}
