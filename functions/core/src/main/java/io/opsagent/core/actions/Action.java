package io.opsagent.core.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One write to a cluster, exactly: what, on which object, with which parameters. Its canonical JSON (sorted keys)
 * and that text's SHA-256 ({@link #hash()}) are what an approval is bound to: an approver approves one hash, and
 * only the action with that hash can be executed. Built only through {@link #of}, which checks every parameter.
 *
 * @param kind       what is done
 * @param namespace  the target's namespace
 * @param targetKind the target's kind: Deployment, StatefulSet, DaemonSet, ConfigMap, Pod, or a manifest's kind
 * @param name       the target's name
 * @param params     the parameters of {@code kind} (see {@link #of}), keys sorted
 */
public record Action(ActionKind kind, String namespace, String targetKind, String name, JsonNode params) {
    private static final Pattern DNS = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    private static final Pattern QUANTITY = Pattern.compile("[0-9]+(\\.[0-9]+)?(m|k|Ki|M|Mi|G|Gi|T|Ti)?");
    private static final Pattern CM_KEY = Pattern.compile("[-._a-zA-Z0-9]{1,253}");
    private static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet", "DaemonSet");
    /** Kinds {@code apply-manifest} may create or update: namespaced objects a fix or a backup needs. */
    public static final Set<String> MANIFEST_KINDS = Set.of("ConfigMap", "Job", "CronJob", "Deployment", "StatefulSet",
            "DaemonSet", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy", "ResourceQuota");

    public Action {
        Objects.requireNonNull(kind, "kind");
        params = params == null ? JsonNodeFactory.instance.objectNode() : Canonical.sorted(params);
    }

    /**
     * The action {@code kind} on {@code namespace/targetKind/name} with {@code params}, checked:
     * <ul>
     *   <li>{@code scale}: Deployment or StatefulSet; {@code replicas} 0..1000</li>
     *   <li>{@code restart}: Deployment, StatefulSet or DaemonSet; {@code restartedAt} (an ISO instant, the
     *       annotation's value: set when proposed, so the approved action is the one executed)</li>
     *   <li>{@code rollback}: Deployment; {@code revision} &ge; 1 (absent: the previous one, resolved when proposed)</li>
     *   <li>{@code set-image}: a workload; {@code container}, {@code image}</li>
     *   <li>{@code set-resources}: a workload; {@code container}, {@code requests} and/or {@code limits}, each a map
     *       of {@code cpu}/{@code memory} to a quantity ({@code 500m}, {@code 2Gi})</li>
     *   <li>{@code patch-configmap}: ConfigMap; {@code key}, {@code value} (a string, or null to remove the key)</li>
     *   <li>{@code delete-pod}: Pod; no parameters</li>
     *   <li>{@code apply-manifest}: {@code manifest}, an object of one of {@link #MANIFEST_KINDS} whose kind,
     *       name and namespace are the target's</li>
     * </ul>
     *
     * @throws ActionException (BAD_INPUT) naming the field that is wrong
     */
    public static Action of(ActionKind kind, String namespace, String targetKind, String name, JsonNode params) {
        Objects.requireNonNull(kind, "kind");
        ObjectNode p = params == null ? JsonNodeFactory.instance.objectNode()
                : params.isObject() ? ((ObjectNode) params).deepCopy() : null;
        if (p == null) throw bad("params", "must be an object");
        dns("namespace", namespace);
        dns("name", name);
        if (targetKind == null || targetKind.isBlank()) throw bad("target kind", "is missing");
        switch (kind) {
            case SCALE -> {
                target(kind, targetKind, Set.of("Deployment", "StatefulSet"));
                int r = integer(p, "replicas", 0, 1000);
                only(p, "replicas");
                p.put("replicas", r);
            }
            case RESTART -> {
                target(kind, targetKind, WORKLOADS);
                String at = text(p, "restartedAt");
                try {
                    java.time.Instant.parse(at);
                } catch (java.time.format.DateTimeParseException e) {
                    throw bad("restartedAt", "must be an ISO instant such as 2026-12-06T15:00:00Z, got '" + at + "'");
                }
                only(p, "restartedAt");
            }
            case ROLLBACK -> {
                target(kind, targetKind, Set.of("Deployment"));
                // without a revision: the one before the current (ActionService resolves it before proposing)
                if (p.has("revision")) p.put("revision", integer(p, "revision", 1, Integer.MAX_VALUE));
                only(p, "revision");
            }
            case SET_IMAGE -> {
                target(kind, targetKind, WORKLOADS);
                container(p);
                String image = text(p, "image");
                if (image.length() > 512 || image.chars().anyMatch(Character::isWhitespace)) {
                    throw bad("image", "must be an image reference without spaces (at most 512 characters)");
                }
                only(p, "container", "image");
            }
            case SET_RESOURCES -> {
                target(kind, targetKind, WORKLOADS);
                container(p);
                if (!p.has("requests") && !p.has("limits")) throw bad("requests/limits", "give requests, limits or both");
                for (String part : List.of("requests", "limits")) {
                    if (!p.has(part)) continue;
                    JsonNode m = p.get(part);
                    if (!m.isObject() || m.isEmpty()) throw bad(part, "must map cpu and/or memory to a quantity");
                    m.fieldNames().forEachRemaining(r -> {
                        if (!r.equals("cpu") && !r.equals("memory")) throw bad(part + "." + r, "only cpu and memory can be set");
                        JsonNode q = m.get(r);
                        if (!q.isTextual() || !QUANTITY.matcher(q.asText()).matches()) {
                            throw bad(part + "." + r, "must be a quantity such as 500m, 1 or 2Gi, got " + q);
                        }
                    });
                }
                only(p, "container", "requests", "limits");
            }
            case PATCH_CONFIGMAP -> {
                target(kind, targetKind, Set.of("ConfigMap"));
                String key = text(p, "key");
                if (!CM_KEY.matcher(key).matches()) throw bad("key", "must match [-._a-zA-Z0-9]{1,253}, got '" + key + "'");
                if (!p.has("value") || !(p.get("value").isTextual() || p.get("value").isNull())) {
                    throw bad("value", "must be a string (or null to remove the key)");
                }
                if (p.get("value").isTextual() && p.get("value").asText().length() > 256 * 1024) {
                    throw bad("value", "is longer than 256 KiB");
                }
                only(p, "key", "value");
            }
            case DELETE_POD -> {
                target(kind, targetKind, Set.of("Pod"));
                only(p);
            }
            case APPLY_MANIFEST -> {
                if (!MANIFEST_KINDS.contains(targetKind)) {
                    throw bad("manifest.kind", targetKind + " cannot be applied; one of " + new java.util.TreeSet<>(MANIFEST_KINDS));
                }
                JsonNode m = p.get("manifest");
                if (m == null || !m.isObject()) throw bad("manifest", "must be an object (apiVersion, kind, metadata, ...)");
                if (!m.path("apiVersion").isTextual()) throw bad("manifest.apiVersion", "is missing");
                if (!targetKind.equals(m.path("kind").asText())) {
                    throw bad("manifest.kind", "is '" + m.path("kind").asText() + "', the target is a " + targetKind);
                }
                if (!name.equals(m.path("metadata").path("name").asText())) {
                    throw bad("manifest.metadata.name", "is '" + m.path("metadata").path("name").asText() + "', the target is " + name);
                }
                String mns = m.path("metadata").path("namespace").asText(namespace);
                if (!namespace.equals(mns)) {
                    throw bad("manifest.metadata.namespace", "is '" + mns + "', the target's namespace is " + namespace);
                }
                ObjectNode copy = ((ObjectNode) m).deepCopy();
                copy.with("metadata").put("namespace", namespace);
                copy.remove("status");
                p.set("manifest", copy);
                only(p, "manifest");
            }
            default -> throw new IllegalStateException(kind.toString());
        }
        return new Action(kind, namespace, targetKind, name, p);
    }

    /** {@code {"kind", "namespace", "params", "target": {"kind", "name"}}} with sorted keys. */
    public JsonNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("kind", kind.id());
        n.put("namespace", namespace);
        n.putObject("target").put("kind", targetKind).put("name", name);
        n.set("params", params);
        return Canonical.sorted(n);
    }

    /** The canonical JSON an approval is bound to. */
    public String canonical() {
        return Canonical.json(toJson());
    }

    /** SHA-256 of {@link #canonical()}. */
    public String hash() {
        return Canonical.sha256(canonical());
    }

    /** The action back from {@link #toJson()} (checked again). */
    public static Action fromJson(JsonNode n) {
        return of(ActionKind.of(n.path("kind").asText(null)), n.path("namespace").asText(null),
                n.path("target").path("kind").asText(null), n.path("target").path("name").asText(null), n.get("params"));
    }

    /** {@code namespace/Kind/name}. */
    public String target() {
        return namespace + "/" + targetKind + "/" + name;
    }

    /** One line: {@code set-image shop/Deployment/cart {"container":"cart","image":"..."}}. */
    public String summary() {
        String p = Canonical.json(params);
        if (kind == ActionKind.APPLY_MANIFEST) p = "(manifest, " + p.length() + " characters)";
        return kind.id() + " " + target() + (params.isEmpty() ? "" : " " + p);
    }

    private static ActionException bad(String field, String why) {
        return new ActionException(ActionException.Reason.BAD_INPUT, field + " " + why);
    }

    private static void dns(String field, String v) {
        if (v == null || v.isBlank()) throw bad(field, "is missing");
        if (!DNS.matcher(v).matches()) throw bad(field, "must be a DNS-1123 name (lower case, digits, '-', '.'), got '" + v + "'");
    }

    private static void target(ActionKind kind, String targetKind, Set<String> allowed) {
        if (!allowed.contains(targetKind)) {
            throw bad("target kind", kind.id() + " applies to " + String.join(" or ", new java.util.TreeSet<>(allowed))
                    + ", not " + targetKind);
        }
    }

    private static void container(ObjectNode p) {
        String c = text(p, "container");
        if (!Pattern.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?", c)) throw bad("container", "is not a container name: '" + c + "'");
    }

    private static String text(ObjectNode p, String field) {
        JsonNode v = p.get(field);
        if (v == null || v.isNull()) throw bad(field, "is missing");
        if (!v.isTextual() || v.asText().isBlank()) throw bad(field, "must be a non-empty string");
        return v.asText().strip();
    }

    private static int integer(ObjectNode p, String field, int min, int max) {
        JsonNode v = p.get(field);
        if (v == null || v.isNull()) throw bad(field, "is missing");
        if (!(v.isIntegralNumber() && v.canConvertToInt()) && !(v.isTextual() && v.asText().matches("-?[0-9]{1,9}"))) {
            throw bad(field, "must be a whole number, got " + v);
        }
        int i = v.isTextual() ? Integer.parseInt(v.asText()) : v.asInt();
        if (i < min || i > max) throw bad(field, "must be from " + min + " to " + max + ", got " + i);
        return i;
    }

    private static void only(ObjectNode p, String... allowed) {
        Set<String> ok = Set.of(allowed);
        p.fieldNames().forEachRemaining(f -> {
            if (!ok.contains(f)) throw bad(f, "is not a parameter of this action" + (allowed.length == 0 ? "" : "; it takes " + String.join(", ", allowed)));
        });
    }
}
