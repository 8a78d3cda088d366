package io.opsagent.core.actions;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;

/**
 * The cluster side of actions (the Kubernetes adapter implements it): read the target, dry-run the action on the API
 * server, ask the server whether a user may make the request, send it as a user, and follow the rollout. Core
 * decides whether and when; this only does what it is asked.
 */
public interface ClusterActions {

    /** A user as the cluster knows them: the name and groups sent as {@code Impersonate-User}/{@code -Group}. */
    record Identity(String user, List<String> groups) {
        public Identity {
            groups = groups == null ? List.of() : List.copyOf(groups);
        }
    }

    /** The target object as the API returns it, or null when there is none. */
    JsonNode read(Action action);

    /**
     * The action sent with {@code dryRun=All} as {@code as}: the object before and after (as the server would store
     * it), or the server's refusal in {@code error}.
     */
    DryRunResult dryRun(Action action, Identity as);

    /** What a dry run gave: before (null if the object does not exist), after (null on error), the error. */
    record DryRunResult(JsonNode before, JsonNode after, String error) {
    }

    /**
     * A SubjectAccessReview: may {@code who} make exactly this request (verb, resource, namespace, name)? The
     * answer's reason says why not.
     */
    Access access(Action action, Identity who);

    /** The API server's answer to a SubjectAccessReview, and the request it was asked about ({@code patch deployments/web in shop}). */
    record Access(boolean allowed, String request, String reason) {
    }

    /** Sends the action as {@code as}; the request as sent and the server's answer (never throws for a refusal). */
    Sent apply(Action action, Identity as);

    /** A request as sent: method, path, patch type, body, the resulting resourceVersion, or the error. */
    record Sent(String method, String path, String patchType, String body, String resultVersion, String error) {
    }

    /**
     * Follows the target's rollout after a change with {@code kubectl rollout status} semantics (observed
     * generation, updated = replicas, available = updated, no old pods left; ProgressDeadlineExceeded fails it), at
     * most {@code timeout}. For an object that does not roll out (a ConfigMap, a pod) the change being stored.
     */
    Rollout awaitRollout(Action action, Duration timeout);

    /** {@code outcome} succeeded / failed / timeout, with what was seen. */
    record Rollout(String outcome, String detail) {
    }

    /** The revision before the Deployment's current one (for a rollback), or null if there is none. */
    Integer previousRevision(String namespace, String deployment);
}
