package io.opsagent.core.changes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a workload should be, as a successful change left it (approved by a human, executed and healthy): its
 * containers' images and replicas (a Deployment, StatefulSet or DaemonSet), or a ConfigMap's content hash. Drift is
 * any difference the live object shows later. It remembers who approved the change that recorded it, and that
 * approval's hash: a remediation that restores exactly this state is covered by it.
 */
public record IntendedState(String namespace, String kind, String name, Map<String, String> images, Integer replicas,
                            String configHash, String changeId, String proposalHash, String approver,
                            List<String> approverGroups, Instant recordedAt) {
    public IntendedState {
        images = images == null ? Map.of() : Map.copyOf(new TreeMap<>(images));
        approverGroups = approverGroups == null ? List.of() : List.copyOf(approverGroups);
    }

    public String key() {
        return namespace + "/" + kind + "/" + name;
    }

    /** The prefix of {@link #changeId} of a state a user registered (no change, no approval recorded it). */
    public static final String REGISTERED = "registered-by-";

    /**
     * Who stands behind this state: the approver of the change that recorded it, or the user who registered it; a
     * fix escalated for it is asked on their behalf (dry-run as them: their RBAC applies, never OpsAgent's own).
     */
    public ActionOwner owner() {
        if (approver != null) return new ActionOwner(approver, approverGroups);
        if (changeId != null && changeId.startsWith(REGISTERED)) return new ActionOwner(changeId.substring(REGISTERED.length()), List.of());
        return null;
    }

    /** A user and their groups. */
    public record ActionOwner(String user, List<String> groups) {
    }

    /** Where it came from, for messages: {@code change chg-…} or {@code the state dev registered}. */
    public String origin() {
        return changeId != null && changeId.startsWith(REGISTERED)
                ? "the state " + changeId.substring(REGISTERED.length()) + " registered" : "change " + changeId;
    }

    /**
     * The state of {@code live} as {@code user} declared it intended: no approval comes with it, so drift from it is
     * never remediated without one (it is escalated as a proposal).
     */
    public static IntendedState registered(String kind, JsonNode live, String user, Instant at) {
        return of(live.path("metadata").path("namespace").asText(), kind, live.path("metadata").path("name").asText(),
                live, REGISTERED + user, null, null, List.of(), at);
    }

    /** The state of {@code live} (the object as read after the change), recorded for {@code c}. */
    public static IntendedState of(Change c, String proposalHash, JsonNode live, Instant at) {
        return of(c.action().namespace(), c.action().targetKind(), c.action().name(), live, c.id(), proposalHash,
                c.approver(), c.approverGroups(), at);
    }

    /** The images and replicas (or a ConfigMap's content hash) of {@code live}, with where the state came from. */
    private static IntendedState of(String namespace, String kind, String name, JsonNode live, String changeId,
                                    String proposalHash, String approver, List<String> approverGroups, Instant at) {
        Map<String, String> images = new LinkedHashMap<>();
        Integer replicas = null;
        String configHash = null;
        if (kind.equals("ConfigMap")) {
            configHash = hash(live.path("data"));
        } else {
            for (JsonNode ct : live.path("spec").path("template").path("spec").path("containers")) {
                images.put(ct.path("name").asText(), ct.path("image").asText());
            }
            if (live.path("spec").path("replicas").isInt()) replicas = live.path("spec").path("replicas").asInt();
        }
        return new IntendedState(namespace, kind, name, images, replicas, configHash, changeId, proposalHash, approver,
                approverGroups, at);
    }

    /** SHA-256 of a ConfigMap's data, keys sorted. */
    public static String hash(JsonNode data) {
        TreeMap<String, String> sorted = new TreeMap<>();
        data.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue().asText()));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(sorted.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode().put("namespace", namespace).put("kind", kind).put("name", name);
        ObjectNode im = o.putObject("images");
        images.forEach(im::put);
        if (replicas == null) o.putNull("replicas");
        else o.put("replicas", replicas);
        o.put("configHash", configHash).put("changeId", changeId).put("proposalHash", proposalHash).put("approver", approver);
        approverGroups.forEach(o.putArray("approverGroups")::add);
        o.put("recordedAt", recordedAt.toString());
        return o;
    }

    public static IntendedState fromJson(JsonNode o) {
        Map<String, String> images = new LinkedHashMap<>();
        o.path("images").fields().forEachRemaining(e -> images.put(e.getKey(), e.getValue().asText()));
        List<String> groups = new ArrayList<>();
        o.path("approverGroups").forEach(g -> groups.add(g.asText()));
        return new IntendedState(o.path("namespace").asText(), o.path("kind").asText(), o.path("name").asText(), images,
                o.path("replicas").isInt() ? o.path("replicas").asInt() : null,
                o.path("configHash").isTextual() ? o.path("configHash").asText() : null, o.path("changeId").asText(null),
                o.path("proposalHash").asText(null), o.path("approver").asText(null), groups,
                Instant.parse(o.path("recordedAt").asText()));
    }
}
