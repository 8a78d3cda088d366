package io.opsagent.core.actions;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Who may decide a proposal, and how many must approve it.
 *
 * @param approverGroup      the group whose members may approve and reject (in AWS a Cognito group); null: anyone
 *                           who may use OpsAgent
 * @param separationOfDuties true: the requester may not approve their own proposal (on by default in AWS)
 * @param production         namespaces marked production: every change there needs two approvers
 * @param expiry             how long a proposal can be approved (default 15 minutes)
 */
public record ApprovalPolicy(String approverGroup, boolean separationOfDuties, Set<String> production, Duration expiry) {
    /** How long a proposal waits for its decision unless configured: 15 minutes. */
    public static final Duration DEFAULT_EXPIRY = Duration.ofMinutes(15);
    /** Locally: anyone may approve, even their own proposals; no production namespaces; 15 minutes. */
    public static final ApprovalPolicy LOCAL = new ApprovalPolicy(null, false, Set.of(), DEFAULT_EXPIRY);

    public ApprovalPolicy {
        production = production == null ? Set.of() : Set.copyOf(production);
        expiry = expiry == null ? DEFAULT_EXPIRY : expiry;
        if (expiry.isNegative() || expiry.isZero()) throw new IllegalArgumentException("expiry must be positive, was " + expiry);
    }

    /** Why {@code user} (with {@code groups}) may not decide {@code p}, or null when they may. */
    public String refusal(Proposal p, String user, List<String> groups, boolean approving) {
        if (approverGroup != null && (groups == null || !groups.contains(approverGroup))) {
            return user + " is not in the approvers' group " + approverGroup;
        }
        if (approving && separationOfDuties && user.equals(p.requester())) {
            return "separation of duties: " + user + " asked for this change and may not approve it; another approver must";
        }
        return null;
    }
}
