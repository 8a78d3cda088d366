package io.opsagent.core.actions;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.opsagent.core.cluster.ClusterSnapshot;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether a namespace's ResourceQuotas have room for what a change makes: a Deployment's rolling update creates its
 * new pods (maxSurge of them at first, 25% rounded up by default) while the old ones still count, and a scale-up
 * adds pods. A quota without room refuses the new pods and the rollout stalls, which a dry run of the Deployment does
 * not show (quotas are charged when pods are made). Checked against each quota's {@code status.used}.
 */
public final class QuotaCheck {
    private static final List<String> TRACKED = List.of("requests.cpu", "requests.memory", "limits.cpu", "limits.memory", "pods");

    private QuotaCheck() {
    }

    /** One sentence per quota and resource without room; empty when every quota has room (or there is none). */
    public static List<String> problems(ClusterSnapshot s, String namespace, JsonNode before, JsonNode after) {
        if (s == null || before == null || after == null) return List.of();
        Map<String, BigDecimal> need = extra(before, after);
        if (need.isEmpty()) return List.of();
        List<String> out = new ArrayList<>();
        for (ResourceQuota q : s.resourceQuotas()) {
            if (!namespace.equals(q.getMetadata().getNamespace()) || q.getStatus() == null || q.getStatus().getHard() == null) continue;
            for (var e : need.entrySet()) {
                Quantity hard = q.getStatus().getHard().get(e.getKey());
                if (hard == null) continue;
                Quantity usedQ = q.getStatus().getUsed() == null ? null : q.getStatus().getUsed().get(e.getKey());
                BigDecimal used = usedQ == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(usedQ);
                BigDecimal h = Quantity.getAmountInBytes(hard);
                if (used.add(e.getValue()).compareTo(h) > 0) {
                    out.add("ResourceQuota " + namespace + "/" + q.getMetadata().getName() + ": " + e.getKey() + " used "
                            + show(e.getKey(), used) + " of " + show(e.getKey(), h) + "; the new pods need " + show(e.getKey(), e.getValue())
                            + " more, so the quota will refuse them and the rollout will stall until the quota is raised");
                }
            }
        }
        return out;
    }

    /** What the change adds while it rolls out: surge pods at the new size, or the added replicas. */
    static Map<String, BigDecimal> extra(JsonNode before, JsonNode after) {
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        int rb = before.path("spec").path("replicas").asInt(1);
        int ra = after.path("spec").path("replicas").asInt(rb);
        boolean templateChanged = !before.path("spec").path("template").equals(after.path("spec").path("template"));
        int newPods;
        if (templateChanged) {
            newPods = Math.max(ra - rb, 0) + surge(after, ra);
        } else {
            newPods = Math.max(ra - rb, 0);
        }
        if (newPods == 0) return out;
        Map<String, BigDecimal> per = perPod(after);
        per.forEach((k, v) -> out.put(k, v.multiply(BigDecimal.valueOf(newPods))));
        out.put("pods", BigDecimal.valueOf(newPods));
        return out;
    }

    private static int surge(JsonNode d, int replicas) {
        JsonNode ms = d.path("spec").path("strategy").path("rollingUpdate").path("maxSurge");
        if ("Recreate".equals(d.path("spec").path("strategy").path("type").asText())) return 0;
        if (ms.isInt()) return ms.asInt();
        String pct = ms.isTextual() ? ms.asText() : "25%";
        if (pct.endsWith("%")) {
            return (int) Math.ceil(replicas * Double.parseDouble(pct.substring(0, pct.length() - 1)) / 100.0);
        }
        return 1;
    }

    private static Map<String, BigDecimal> perPod(JsonNode d) {
        Map<String, BigDecimal> m = new LinkedHashMap<>();
        for (JsonNode c : d.path("spec").path("template").path("spec").path("containers")) {
            for (String kind : List.of("requests", "limits")) {
                for (String r : List.of("cpu", "memory")) {
                    JsonNode v = c.path("resources").path(kind).path(r);
                    if (v.isTextual()) m.merge(kind + "." + r, Quantity.getAmountInBytes(new Quantity(v.asText())), BigDecimal::add);
                }
            }
        }
        return m;
    }

    private static String show(String resource, BigDecimal v) {
        if (resource.endsWith("memory")) {
            BigDecimal mi = v.divide(BigDecimal.valueOf(1024L * 1024), 0, java.math.RoundingMode.CEILING);
            return mi.remainder(BigDecimal.valueOf(1024)).signum() == 0 ? mi.divide(BigDecimal.valueOf(1024)) + "Gi" : mi + "Mi";
        }
        if (resource.endsWith("cpu")) return v.multiply(BigDecimal.valueOf(1000)).setScale(0, java.math.RoundingMode.CEILING) + "m";
        return v.stripTrailingZeros().toPlainString();
    }
}
