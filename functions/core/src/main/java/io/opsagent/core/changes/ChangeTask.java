package io.opsagent.core.changes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Objects;
import java.util.Set;

/**
 * One step of a change chain, as the state machine sends it to the change-task queue: which step, for which change,
 * and the task token that answers it. The token is a credential (it can move the chain on): it stays server-side,
 * never in a URL, a notification, a log line or the browser.
 *
 * @param outcome for the {@code finish} and {@code escalate} steps: why the chain ended there ("rejected", "stale", ...)
 * @param error   the caught error ({@code {"Error": ..., "Cause": ...}}) for {@code finish}; null otherwise
 * @param item    a drift step's subject ({@code drift-fix}: one drift; {@code drift-record}: the outcomes); else null
 */
public record ChangeTask(String step, String changeId, String correlationId, String token, String outcome, JsonNode error,
                         JsonNode item) {
    /**
     * The steps the state machines send: the change chain's ({@code statemachines/change.asl.json}), the drift
     * remediation's ({@code remediation.asl.json}) and the alert investigation's ({@code investigation.asl.json}; its
     * changeId is the episode id).
     */
    public static final Set<String> STEPS = Set.of("validate", "evidence", "approval", "execute", "monitor", "record",
            "rollback", "escalate", "finish", "drift-check", "drift-fix", "drift-record", "alert-intake",
            "alert-investigate", "alert-notify");
    private static final ObjectMapper JSON = new ObjectMapper();

    public ChangeTask(String step, String changeId, String correlationId, String token, String outcome, JsonNode error) {
        this(step, changeId, correlationId, token, outcome, error, null);
    }

    public ChangeTask {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(changeId, "changeId");
        Objects.requireNonNull(token, "token");
    }

    /** Parses a queue message; a message that is not a change step is refused with what was wrong. */
    public static ChangeTask parse(String body) {
        JsonNode n;
        try {
            n = JSON.readTree(body);
        } catch (Exception e) {
            throw new IllegalArgumentException("change task is not JSON: " + e.getMessage());
        }
        if (n == null || !n.isObject()) throw new IllegalArgumentException("change task is not a JSON object");
        String step = text(n, "step");
        if (step == null || !STEPS.contains(step)) {
            throw new IllegalArgumentException("change task has no known step (" + step + "); one of " + STEPS);
        }
        String changeId = text(n, "changeId");
        String token = text(n, "token");
        if (changeId == null) throw new IllegalArgumentException("change task " + step + " has no changeId");
        if (token == null) throw new IllegalArgumentException("change task " + step + " for " + changeId + " has no token");
        JsonNode error = n.get("error");
        JsonNode item = n.get("item");
        return new ChangeTask(step, changeId, text(n, "correlationId"), token, text(n, "outcome"),
                error == null || error.isNull() ? null : error, item == null || item.isNull() ? null : item);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }

    /** Never the token: what a log line or an audit record may say about this task. */
    @Override
    public String toString() {
        return "ChangeTask[" + step + " of " + changeId + (outcome == null ? "" : ", outcome " + outcome) + "]";
    }
}
