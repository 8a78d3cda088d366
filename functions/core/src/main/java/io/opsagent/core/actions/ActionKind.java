package io.opsagent.core.actions;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The write actions OpsAgent can propose, each executed only once a human approved it. */
public enum ActionKind {
    /** Sets the replicas of a Deployment or StatefulSet. */
    SCALE("scale"),
    /** {@code kubectl rollout restart}: a new pod-template annotation, so every pod is replaced. */
    RESTART("restart"),
    /** Rolls a Deployment back to the pod template of an earlier revision. */
    ROLLBACK("rollback"),
    /** Sets one container's image. */
    SET_IMAGE("set-image"),
    /** Sets one container's resource requests and limits (the usual fix for OOMKilled). */
    SET_RESOURCES("set-resources"),
    /** Sets (or removes) one key of a ConfigMap. */
    PATCH_CONFIGMAP("patch-configmap"),
    /** Deletes one pod (its controller makes a new one). */
    DELETE_POD("delete-pod"),
    /** Creates or updates a namespaced object by server-side apply (a CronJob, a one-off Job). */
    APPLY_MANIFEST("apply-manifest");

    private final String id;

    ActionKind(String id) {
        this.id = id;
    }

    /** The name in APIs, tools and the audit log, e.g. {@code set-resources}. */
    public String id() {
        return id;
    }

    /** The kind named {@code id} ({@code set-image}, also {@code SET_IMAGE}). */
    public static ActionKind of(String id) {
        if (id != null) {
            String v = id.strip().toLowerCase(Locale.ROOT).replace('_', '-');
            for (ActionKind k : values()) {
                if (k.id.equals(v)) return k;
            }
        }
        throw new ActionException(ActionException.Reason.BAD_INPUT, "unknown action '" + id + "'; one of: "
                + Arrays.stream(values()).map(ActionKind::id).collect(Collectors.joining(", ")));
    }
}
