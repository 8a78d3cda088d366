package io.opsagent.core.tools.cluster;

import io.opsagent.core.tools.ToolNames;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.opsagent.core.cluster.ObjectKey;
import io.opsagent.core.diagnosis.AnalysisContext;
import io.opsagent.core.tools.Citation;
import io.opsagent.core.tools.ToolContext;
import io.opsagent.core.tools.ToolResult;
import io.opsagent.core.tools.ToolSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * {@code deployment_history}: a Deployment's revisions from its ReplicaSets ({@code deployment.kubernetes.io/revision}),
 * newest first, with images, creation time, replicas and change cause.
 */
final class DeploymentHistoryTool extends ClusterTool {
    DeploymentHistoryTool() {
        super(new ToolSpec(ToolNames.DEPLOYMENT_HISTORY, "Rollout history of a Deployment from its ReplicaSets, newest "
                + "revision first: revision, creation time, images, ready/desired replicas, change cause. Use it to "
                + "answer \"what changed?\".", scoped().build()));
    }

    @Override
    public ToolResult call(ObjectNode args, ToolContext c) {
        Target t = target(args, c, null);
        if (t.object() == null || !t.object().getKind().equals("Deployment")) {
            String what = t.object() == null ? "a whole namespace" : t.object().getKind() + " " + name(t.object());
            return ToolResult.ok("Revision history is only kept for Deployments (from their ReplicaSets); "
                    + what + " has none in this input. Recent events may still show changes.",
                    "no history for " + what, null, List.of());
        }
        ObjectKey dk = AnalysisContext.key(t.object());
        List<ReplicaSet> rss = new ArrayList<>(c.snapshot().replicaSets().stream()
                .filter(rs -> t.ctx().ownersOf(AnalysisContext.key(rs)).contains(dk)).toList());
        rss.sort(Comparator.comparingInt(DeploymentHistoryTool::revision).reversed());
        StringBuilder sb = new StringBuilder("Rollout history of " + t.label() + ": " + rss.size() + " revisions\n");
        List<Citation> cites = new ArrayList<>();
        ArrayNode data = JSON.createArrayNode();
        for (int i = 0; i < rss.size(); i++) {
            ReplicaSet rs = rss.get(i);
            String ref = c.snapshot().ref(rs, "metadata");
            cites.add(new Citation(ref, "ReplicaSet " + name(rs)));
            List<String> images = rs.getSpec() == null || rs.getSpec().getTemplate() == null ? List.of()
                    : rs.getSpec().getTemplate().getSpec().getContainers().stream()
                    .map(ct -> ct.getName() + "=" + ct.getImage()).toList();
            Map<String, String> ann = rs.getMetadata().getAnnotations();
            String cause = ann == null ? null : ann.get("kubernetes.io/change-cause");
            int desired = rs.getSpec() == null || rs.getSpec().getReplicas() == null ? 0 : rs.getSpec().getReplicas();
            int ready = rs.getStatus() == null || rs.getStatus().getReadyReplicas() == null ? 0 : rs.getStatus().getReadyReplicas();
            sb.append("- revision ").append(revision(rs)).append(i == 0 ? " (current)" : "").append(": ReplicaSet ")
                    .append(name(rs)).append(", created ").append(rs.getMetadata().getCreationTimestamp())
                    .append(", images ").append(String.join(", ", images)).append(", replicas ").append(ready).append('/')
                    .append(desired).append(" ready").append(cause == null ? "" : ", change cause: " + cause)
                    .append("  [").append(ref).append("]\n");
            if (i + 1 < rss.size()) {
                String diff = templateDiff(rss.get(i + 1), rs);
                if (!diff.isEmpty()) sb.append("  changed from revision ").append(revision(rss.get(i + 1))).append(": ").append(diff).append('\n');
            }
            ObjectNode o = data.addObject();
            o.put("revision", revision(rs));
            o.put("replicaSet", name(rs));
            o.put("created", rs.getMetadata().getCreationTimestamp());
            o.set("images", JSON.valueToTree(images));
            o.put("ready", ready);
            o.put("desired", desired);
            o.put("changeCause", cause);
            o.put("ref", ref);
        }
        if (rss.isEmpty()) sb.append("(no ReplicaSets in this input)\n");
        String summary = rss.size() + " revisions" + (rss.isEmpty() ? "" : ", current " + revision(rss.get(0)));
        return ToolResult.ok(sb.toString(), summary, data, cites);
    }

    static int revision(ReplicaSet rs) {
        Map<String, String> a = rs.getMetadata().getAnnotations();
        try {
            return a == null ? 0 : Integer.parseInt(a.getOrDefault("deployment.kubernetes.io/revision", "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * What differs between two revisions' pod templates, as {@code path: old -> new} (the pod-template-hash label
     * left out), at most 8 entries; container paths use the container name: {@code containers[cart].image}.
     */
    static String templateDiff(ReplicaSet older, ReplicaSet newer) {
        Map<String, String> a = flatten(older);
        Map<String, String> b = flatten(newer);
        java.util.Set<String> keys = new java.util.TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        List<String> out = new ArrayList<>();
        for (String k : keys) {
            String x = a.get(k);
            String y = b.get(k);
            if (java.util.Objects.equals(x, y) || k.endsWith("pod-template-hash")) continue;
            out.add(k + ": " + (x == null ? "(none)" : x) + " -> " + (y == null ? "(none)" : y));
        }
        if (out.size() > 8) {
            int more = out.size() - 8;
            out = new ArrayList<>(out.subList(0, 8));
            out.add("… " + more + " more");
        }
        return String.join("; ", out);
    }

    private static Map<String, String> flatten(ReplicaSet rs) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (rs.getSpec() == null || rs.getSpec().getTemplate() == null) return out;
        flatten(JSON.valueToTree(rs.getSpec().getTemplate()), "", out);
        return out;
    }

    private static void flatten(com.fasterxml.jackson.databind.JsonNode n, String path, Map<String, String> out) {
        if (n.isObject()) {
            n.fields().forEachRemaining(e -> flatten(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out));
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                com.fasterxml.jackson.databind.JsonNode item = n.get(i);
                String id = item.hasNonNull("name") ? item.get("name").asText() : String.valueOf(i);
                flatten(item, path + "[" + id + "]", out);
            }
        } else if (!n.isNull()) {
            out.put(path.replaceFirst("^spec\\.", ""), n.asText());
        }
    }
}
