package io.opsagent.core.changes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsagent.core.actions.Action;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A change request and where its chain is: submitted → {@code validating} → {@code gathering-evidence} →
 * {@code awaiting-approval} → {@code executing} → {@code monitoring} → {@code succeeded}, or one of the ends
 * {@code refused} (policy), {@code rejected}, {@code expired}, {@code approval-lost}, {@code stale}, {@code failed},
 * {@code rolled-back}, {@code escalated}, {@code error}, {@code cancelled}. The approval's task token is kept here, server-side; it is
 * never part of {@link #toJson()}.
 *
 * @param evidence small: risk, diff lines, health problems, the workload's last change
 * @param monitor  the analysis: result (Successful, Failed, Inconclusive) and the signals seen
 * @param investigationRunId the agent run opened about the change's failure (source {@code change}), or null
 * @param window   the execution window its approver set ({@code notBefore}, {@code notAfter}), or null
 * @param asked    the action asked for when an approver narrowed it ({@code action} is then the narrowed one), or null
 */
public record Change(String id, Action action, String requester, List<String> requesterGroups, String correlationId,
                     Instant createdAt, Instant updatedAt, String status, String detail, List<String> violations,
                     String proposalId, JsonNode evidence, String approver, List<String> approverGroups,
                     JsonNode monitor, String rollbackProposalId, String approvalToken, Instant approvalExpiresAt,
                     long version, String investigationRunId, JsonNode window, Action asked) {
    public static final Set<String> ENDS = Set.of("succeeded", "refused", "rejected", "expired", "approval-lost", "stale",
            "failed", "rolled-back", "escalated", "error", "cancelled");

    public Change {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(status, "status");
        requesterGroups = requesterGroups == null ? List.of() : List.copyOf(requesterGroups);
        approverGroups = approverGroups == null ? List.of() : List.copyOf(approverGroups);
        violations = violations == null ? List.of() : List.copyOf(violations);
    }

    /** A change without an investigation run (the form before investigations were linked). */
    public Change(String id, Action action, String requester, List<String> requesterGroups, String correlationId,
                  Instant createdAt, Instant updatedAt, String status, String detail, List<String> violations,
                  String proposalId, JsonNode evidence, String approver, List<String> approverGroups,
                  JsonNode monitor, String rollbackProposalId, String approvalToken, Instant approvalExpiresAt,
                  long version) {
        this(id, action, requester, requesterGroups, correlationId, createdAt, updatedAt, status, detail, violations,
                proposalId, evidence, approver, approverGroups, monitor, rollbackProposalId, approvalToken,
                approvalExpiresAt, version, null, null, null);
    }

    /** The same change linked to the investigation run opened about its failure. */
    public Change withInvestigation(String runId) {
        return new Change(id, action, requester, requesterGroups, correlationId, createdAt, updatedAt, status, detail,
                violations, proposalId, evidence, approver, approverGroups, monitor, rollbackProposalId, approvalToken,
                approvalExpiresAt, version, runId, window, asked);
    }

    /** The execution window an approver set ({@code notBefore}, {@code notAfter}), or null. */
    public Change withWindow(JsonNode w) {
        return new Change(id, action, requester, requesterGroups, correlationId, createdAt, updatedAt, status, detail,
                violations, proposalId, evidence, approver, approverGroups, monitor, rollbackProposalId, approvalToken,
                approvalExpiresAt, version, investigationRunId, w, asked);
    }

    /** The change narrowed by an approver to {@code narrowed}; the action asked for is kept as {@link #asked}. */
    public Change withNarrowed(Action narrowed) {
        return new Change(id, narrowed, requester, requesterGroups, correlationId, createdAt, updatedAt, status, detail,
                violations, proposalId, evidence, approver, approverGroups, monitor, rollbackProposalId, approvalToken,
                approvalExpiresAt, version, investigationRunId, window, asked == null ? action : asked);
    }

    public boolean ended() {
        return ENDS.contains(status);
    }

    public Change with(String status, String detail, Instant at) {
        return new Change(id, action, requester, requesterGroups, correlationId, createdAt, at, status, detail, violations,
                proposalId, evidence, approver, approverGroups, monitor, rollbackProposalId, approvalToken,
                approvalExpiresAt, version, investigationRunId, window, asked);
    }

    public Change withViolations(List<String> v) {
        return new Change(id, action, requester, requesterGroups, correlationId, createdAt, updatedAt, status, detail, v,
                proposalId, evidence, approver, approverGroups, monitor, rollbackProposalId, approvalToken,
                approvalExpiresAt, version, investigationRunId, window, asked);
    }

    public Change withEvidence(String proposal, JsonNode ev) {
        return new Change(id, action, requester, requesterGroups, correlationId, createdAt, updatedAt, status, detail,
                violations, proposal, ev, approver, approverGroups, monitor, rollbackProposalId, approvalToken,
                approvalExpiresAt, version, investigationRunId, window, asked);
    }

    public Change withApprovalToken(String token, Instant expiresAt) {
        return new Change(id, action, requester, requesterGroups, correlationId, createdAt, updatedAt, status, detail,
                violations, proposalId, evidence, approver, approverGroups, monitor, rollbackProposalId, token, expiresAt,
                version, investigationRunId, window, asked);
    }

    public Change withApprover(String user, List<String> groups) {
        return new Change(id, action, requester, requesterGroups, correlationId, createdAt, updatedAt, status, detail,
                violations, proposalId, evidence, user, groups, monitor, rollbackProposalId, null, approvalExpiresAt,
                version, investigationRunId, window, asked);
    }

    public Change withMonitor(JsonNode m) {
        return new Change(id, action, requester, requesterGroups, correlationId, createdAt, updatedAt, status, detail,
                violations, proposalId, evidence, approver, approverGroups, m, rollbackProposalId, approvalToken,
                approvalExpiresAt, version, investigationRunId, window, asked);
    }

    public Change withRollback(String proposal) {
        return new Change(id, action, requester, requesterGroups, correlationId, createdAt, updatedAt, status, detail,
                violations, proposalId, evidence, approver, approverGroups, monitor, proposal, approvalToken,
                approvalExpiresAt, version, investigationRunId, window, asked);
    }

    public Change withVersion(long v) {
        return new Change(id, action, requester, requesterGroups, correlationId, createdAt, updatedAt, status, detail,
                violations, proposalId, evidence, approver, approverGroups, monitor, rollbackProposalId, approvalToken,
                approvalExpiresAt, v, investigationRunId, window, asked);
    }

    /** The whole change as stored (server-side only: the approval's token included). */
    public ObjectNode toStored() {
        ObjectNode o = toJson();
        o.remove(java.util.List.of("target", "summary", "ended"));
        ArrayNode rg = o.putArray("requesterGroups");
        requesterGroups.forEach(rg::add);
        ArrayNode ag = o.putArray("approverGroups");
        approverGroups.forEach(ag::add);
        o.put("approvalToken", approvalToken);
        o.put("version", version);
        return o;
    }

    /** Reads {@link #toStored()}. */
    public static Change fromStored(JsonNode o) {
        java.util.function.Function<String, List<String>> list = f -> {
            java.util.List<String> out = new java.util.ArrayList<>();
            o.path(f).forEach(x -> out.add(x.asText()));
            return out;
        };
        java.util.function.Function<String, String> text = f -> o.path(f).isTextual() ? o.path(f).asText() : null;
        java.util.function.Function<String, JsonNode> node = f -> o.path(f).isObject() ? o.path(f) : null;
        return new Change(text.apply("id"), Action.fromJson(o.path("action")), text.apply("requester"),
                list.apply("requesterGroups"), text.apply("correlationId"), Instant.parse(o.path("createdAt").asText()),
                Instant.parse(o.path("updatedAt").asText()), text.apply("status"), text.apply("detail"),
                list.apply("violations"), text.apply("proposalId"), node.apply("evidence"), text.apply("approver"),
                list.apply("approverGroups"), node.apply("monitor"), text.apply("rollbackProposalId"),
                text.apply("approvalToken"), o.path("approvalExpiresAt").isTextual()
                ? Instant.parse(o.path("approvalExpiresAt").asText()) : null, o.path("version").asLong(),
                text.apply("investigationRunId"), node.apply("window"),
                o.path("asked").isObject() ? Action.fromJson(o.path("asked")) : null);
    }

    /** The change as APIs and the UI show it: everything but the approval's token. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", id);
        o.set("action", action.toJson());
        o.put("target", action.target());
        o.put("summary", action.summary());
        o.put("requester", requester);
        o.put("correlationId", correlationId);
        o.put("createdAt", createdAt.toString());
        o.put("updatedAt", updatedAt.toString());
        o.put("status", status);
        o.put("detail", detail);
        o.set("violations", JsonNodeFactory.instance.arrayNode().addAll(violations.stream()
                .map(JsonNodeFactory.instance::textNode).toList()));
        o.put("proposalId", proposalId);
        o.set("evidence", evidence);
        o.put("approver", approver);
        o.set("monitor", monitor);
        o.put("rollbackProposalId", rollbackProposalId);
        o.put("investigationRunId", investigationRunId);
        o.set("window", window);
        o.set("asked", asked == null ? null : asked.toJson());
        o.put("approvalExpiresAt", approvalExpiresAt == null ? null : approvalExpiresAt.toString());
        o.put("ended", ended());
        return o;
    }
}
