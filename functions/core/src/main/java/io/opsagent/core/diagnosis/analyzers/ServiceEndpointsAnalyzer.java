package io.opsagent.core.diagnosis.analyzers;

import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.opsagent.core.diagnosis.AnalysisContext;
import io.opsagent.core.diagnosis.Analyzer;
import io.opsagent.core.diagnosis.Category;
import io.opsagent.core.diagnosis.EvidenceSource;
import io.opsagent.core.diagnosis.Finding;
import io.opsagent.core.diagnosis.FindingBuilder;
import io.opsagent.core.diagnosis.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Services whose selector matches no ready pod: read from the Endpoints object when the snapshot has it, else
 * computed from the pods. Distinguishes "no pod has these labels" (a selector mistake) from "pods exist but none is
 * ready" (the engine links it to the pods' finding).
 */
public final class ServiceEndpointsAnalyzer implements Analyzer {

    @Override
    public List<Finding> analyze(AnalysisContext ctx) {
        List<Finding> out = new ArrayList<>();
        for (Service svc : ctx.snapshot().services()) {
            if (svc.getSpec() == null || svc.getSpec().getSelector() == null || svc.getSpec().getSelector().isEmpty()
                    || "ExternalName".equals(svc.getSpec().getType())) {
                continue;
            }
            Optional<Endpoints> ep = ctx.snapshot().endpoints().stream()
                    .filter(e -> e.getMetadata().getName().equals(svc.getMetadata().getName())
                            && Objects.equals(e.getMetadata().getNamespace(), svc.getMetadata().getNamespace()))
                    .findFirst();
            List<Pod> pods = ctx.podsSelectedBy(svc).stream()
                    .filter(p -> p.getStatus() == null || !"Succeeded".equals(p.getStatus().getPhase())).toList();
            List<Pod> ready = pods.stream().filter(ServiceEndpointsAnalyzer::ready).toList();
            int readyAddresses = ep.map(ServiceEndpointsAnalyzer::readyAddresses).orElse(-1);
            if (readyAddresses > 0 || readyAddresses < 0 && !ready.isEmpty()) continue;
            out.add(finding(ctx, svc, ep, pods));
        }
        return out;
    }

    static boolean ready(Pod p) {
        if (p.getStatus() == null) return false;
        var conds = p.getStatus().getConditions();
        if (conds != null && conds.stream().anyMatch(c -> "Ready".equals(c.getType()))) {
            return conds.stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        }
        // no Ready condition (sparse text evidence): every container ready and the pod running
        var cs = p.getStatus().getContainerStatuses();
        return "Running".equals(p.getStatus().getPhase()) && cs != null && !cs.isEmpty()
                && cs.stream().allMatch(c -> Boolean.TRUE.equals(c.getReady()));
    }

    private static int readyAddresses(Endpoints e) {
        int n = 0;
        if (e.getSubsets() != null) {
            for (EndpointSubset s : e.getSubsets()) n += s.getAddresses() == null ? 0 : s.getAddresses().size();
        }
        return n;
    }

    private Finding finding(AnalysisContext ctx, Service svc, Optional<Endpoints> ep, List<Pod> pods) {
        String ns = svc.getMetadata().getNamespace();
        String name = svc.getMetadata().getName();
        Map<String, String> sel = svc.getSpec().getSelector();
        String selText = String.join(",", sel.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        Severity sev = Severity.CRITICAL;
        StringBuilder s = new StringBuilder("Service " + ns + "/" + name + " has no ready endpoints: ");
        List<String> fixes = new ArrayList<>();
        if (pods.isEmpty()) {
            if (scaledToZero(ctx, svc)) {
                sev = Severity.INFO;
                s.append("its selector ").append(selText).append(" matches a workload scaled to 0 replicas.");
            } else {
                s.append("its selector ").append(selText).append(" matches no pod");
                String hint = similarLabels(ctx, svc);
                if (hint != null) s.append(" (").append(hint).append(")");
                s.append('.');
            }
            fixes.add("Compare the selector with the pods' labels: kubectl get pods -n " + ns + " --show-labels");
            fixes.add("Fix the selector: kubectl patch service " + name + " -n " + ns
                    + " -p '{\"spec\":{\"selector\":{<labels of the pods>}}}' (or fix the pod template's labels)");
        } else {
            s.append(Workloads.podList(pods)).append(" match its selector ").append(selText).append(" but none is ready.");
            fixes.add("Fix why the pods are not ready (linked finding); the endpoints come back by themselves: "
                    + "kubectl get endpoints " + name + " -n " + ns);
        }
        FindingBuilder b = ctx.finding(Category.ServiceNoEndpoints, sev, AnalysisContext.key(svc)).summary(s.toString())
                .about(pods.stream().map(AnalysisContext::key).toList());
        b.evidence(ctx.evidence(svc, "spec.selector", EvidenceSource.SPEC, "selector: " + selText));
        ep.ifPresent(e -> b.evidence(ctx.evidence(e, "subsets", EvidenceSource.STATUS, "ready addresses: 0"
                + (e.getSubsets() == null ? "" : ", not ready: " + e.getSubsets().stream()
                .mapToInt(x -> x.getNotReadyAddresses() == null ? 0 : x.getNotReadyAddresses().size()).sum()))));
        for (Pod p : pods.subList(0, Math.min(2, pods.size()))) {
            int idx = -1;
            var conds = p.getStatus() == null || p.getStatus().getConditions() == null ? List.<io.fabric8.kubernetes.api.model.PodCondition>of() : p.getStatus().getConditions();
            for (int i = 0; i < conds.size(); i++) if ("Ready".equals(conds.get(i).getType())) idx = i;
            b.evidence(ctx.evidence(p, idx < 0 ? "status.phase" : "status.conditions[" + idx + "]", EvidenceSource.STATUS,
                    "pod " + p.getMetadata().getName() + ": phase " + (p.getStatus() == null ? "?" : p.getStatus().getPhase())
                            + ", Ready=" + (idx < 0 ? "unknown" : conds.get(idx).getStatus())));
        }
        fixes.forEach(b::fix);
        return b.build();
    }

    private static boolean scaledToZero(AnalysisContext ctx, Service svc) {
        Map<String, String> sel = svc.getSpec().getSelector();
        String ns = svc.getMetadata().getNamespace();
        for (Deployment d : ctx.snapshot().deployments()) {
            if (Objects.equals(d.getMetadata().getNamespace(), ns) && d.getSpec() != null && d.getSpec().getTemplate() != null
                    && AnalysisContext.labelsMatch(sel, d.getSpec().getTemplate().getMetadata() == null ? null
                    : d.getSpec().getTemplate().getMetadata().getLabels())
                    && Integer.valueOf(0).equals(d.getSpec().getReplicas())) {
                return true;
            }
        }
        for (StatefulSet d : ctx.snapshot().statefulSets()) {
            if (Objects.equals(d.getMetadata().getNamespace(), ns) && d.getSpec() != null && d.getSpec().getTemplate() != null
                    && AnalysisContext.labelsMatch(sel, d.getSpec().getTemplate().getMetadata() == null ? null
                    : d.getSpec().getTemplate().getMetadata().getLabels())
                    && Integer.valueOf(0).equals(d.getSpec().getReplicas())) {
                return true;
            }
        }
        return false;
    }

    /** "pods have app=web-v2" when pods carry the selector's keys with other values. */
    private static String similarLabels(AnalysisContext ctx, Service svc) {
        List<String> seen = new ArrayList<>();
        for (Pod p : ctx.snapshot().pods()) {
            if (!Objects.equals(p.getMetadata().getNamespace(), svc.getMetadata().getNamespace())
                    || p.getMetadata().getLabels() == null) {
                continue;
            }
            for (var e : svc.getSpec().getSelector().entrySet()) {
                String v = p.getMetadata().getLabels().get(e.getKey());
                if (v != null && !v.equals(e.getValue()) && Text.close(v, e.getValue())) seen.add(e.getKey() + "=" + v);
            }
        }
        return seen.isEmpty() ? null : "pods have " + AnalysisContext.names(seen.stream(), 3);
    }
}
