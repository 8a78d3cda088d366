package io.opsagent.adapters.kubernetes;

/**
 * The description of a write: what object, what action, the JSON merge patch, the relevant value before and after,
 * and whether it was only a dry run (nothing sent to the API server).
 *
 * @param target e.g. {@code shop/Deployment/web}
 * @param action e.g. {@code scale}, {@code rollout-restart}, {@code rollback}, {@code set-image},
 *               {@code patch-configmap}
 * @param patchType {@code merge} (JSON merge patch, RFC 7386) or {@code json} (JSON Patch, RFC 6902)
 * @param patch  the patch sent, or that would be sent
 * @param before the relevant part of the object before the change, e.g. {@code replicas=2}
 * @param after  the same part after the change (for a dry run: as the patch would leave it)
 * @param dryRun true when nothing was sent
 */
public record Change(String target, String action, String patchType, String patch, String before, String after,
                     boolean dryRun) {

    /** One line for an approval prompt or an audit entry. */
    public String describe() {
        return (dryRun ? "[dry run] " : "") + action + " " + target + ": " + before + " -> " + after;
    }
}
