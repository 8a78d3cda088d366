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

    /**
     * A quota without room: its name, the resource, what is used, the limit, and what the change's new pods need
     * (amounts in the resource's base unit: bytes, cores, pods).
     */
    public record Shortfall(String namespace, String quota, String resource, BigDecimal used, BigDecimal hard, BigDecimal need) {
        /** The sentence a proposal's risk gives. */
        public String text() {
            return "ResourceQuota " + namespace + "/" + quota + ": " + resource + " used " + show(resource, used) + " of "
                    + show(resource, hard) + "; the new pods need " + show(resource, need)
                    + " more, so the quota will refuse them and the rollout will stall until the quota is raised";
        }

        /** A limit with room for the change: used + need, rounded up (whole GiB, whole cores). */
        public String enough() {
            BigDecimal v = used.add(need);
            if (resource.endsWith("memory")) {
                BigDecimal gib = v.divide(BigDecimal.valueOf(1024L * 1024 * 1024), 0, java.math.RoundingMode.CEILING);
                return gib.max(BigDecimal.ONE) + "Gi";
            }
            return v.setScale(0, java.math.RoundingMode.CEILING).toPlainString();
        }
    }

    /** One sentence per quota and resource without room; empty when every quota has room (or there is none). */
    public static List<String> problems(ClusterSnapshot s, String namespace, JsonNode before, JsonNode after) {
        return shortfalls(s, namespace, before, after).stream().map(Shortfall::text).toList();
    }

    /** The quotas of {@code namespace} without room for the change from {@code before} to {@code after}. */
    public static List<Shortfall> shortfalls(ClusterSnapshot s, String namespace, JsonNode before, JsonNode after) {
        if (s == null || before == null || after == null) return List.of();
        Map<String, BigDecimal> need = extra(before, after);
        if (need.isEmpty()) return List.of();
        List<Shortfall> out = new ArrayList<>();
        for (ResourceQuota q : s.resourceQuotas()) {
            if (!namespace.equals(q.getMetadata().getNamespace()) || q.getStatus() == null || q.getStatus().getHard() == null) continue;
            for (var e : need.entrySet()) {
                Quantity hard = q.getStatus().getHard().get(e.getKey());
                if (hard == null) continue;
                Quantity usedQ = q.getStatus().getUsed() == null ? null : q.getStatus().getUsed().get(e.getKey());
                BigDecimal used = usedQ == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(usedQ);
                BigDecimal h = Quantity.getAmountInBytes(hard);
                if (used.add(e.getValue()).compareTo(h) > 0) {
                    out.add(new Shortfall(namespace, q.getMetadata().getName(), e.getKey(), used, h, e.getValue()));
                }
            }
        }
        return out;
    }

    /**
     * The most the change adds at any moment while it rolls out. A rolling update (maxUnavailable 0) first adds
     * maxSurge new pods, then replaces old pods one by one, so its peak is the larger of {@code surge × new} and, just
     * before the last old pods go, {@code replicas × new − old replicas × old + surge × old}; a scale-up adds its pods.
     */
    static Map<String, BigDecimal> extra(JsonNode before, JsonNode after) {
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        int rb = before.path("spec").path("replicas").asInt(1);
        int ra = after.path("spec").path("replicas").asInt(rb);
        boolean templateChanged = !before.path("spec").path("template").equals(after.path("spec").path("template"));
        Map<String, BigDecimal> oldPod = perPod(before);
        Map<String, BigDecimal> newPod = perPod(after);
        int surge = templateChanged ? surge(after, ra) : 0;
        java.util.Set<String> resources = new java.util.LinkedHashSet<>(newPod.keySet());
        resources.addAll(oldPod.keySet());
        for (String r : resources) {
            BigDecimal o = oldPod.getOrDefault(r, BigDecimal.ZERO);
            BigDecimal n = newPod.getOrDefault(r, BigDecimal.ZERO);
            BigDecimal need;
            if (templateChanged) {
                BigDecimal first = n.multiply(BigDecimal.valueOf(surge));
                BigDecimal last = n.multiply(BigDecimal.valueOf(ra)).subtract(o.multiply(BigDecimal.valueOf(rb)))
                        .add(o.multiply(BigDecimal.valueOf(surge)));
                need = first.max(last);
            } else {
                need = n.multiply(BigDecimal.valueOf(Math.max(ra - rb, 0)));
            }
            if (need.signum() > 0) out.put(r, need);
        }
        int pods = templateChanged ? Math.max(ra - rb, 0) + surge : Math.max(ra - rb, 0);
        if (pods > 0) out.put("pods", BigDecimal.valueOf(pods));
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
