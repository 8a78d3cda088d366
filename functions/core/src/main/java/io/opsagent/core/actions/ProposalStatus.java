package io.opsagent.core.actions;

import java.util.Locale;
import java.util.Set;

/**
 * Where a proposal is: {@code pending} → {@code approved} / {@code rejected} / {@code expired} → {@code executing} →
 * {@code succeeded} / {@code failed} / {@code stale}. A proposal that needs two approvers stays {@code pending} after
 * the first approval. Only the moves {@link #canMoveTo} allows are made, each by a conditional write.
 */
public enum ProposalStatus {
    PENDING, APPROVED, REJECTED, EXPIRED, EXECUTING, SUCCEEDED, FAILED, STALE;

    /** The name in APIs and storage: lower case. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ProposalStatus of(String id) {
        try {
            return valueOf(id.strip().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new ActionException(ActionException.Reason.BAD_INPUT, "unknown status '" + id
                    + "'; one of pending, approved, rejected, expired, executing, succeeded, failed, stale");
        }
    }

    /** True when no move leaves it. */
    public boolean terminal() {
        return this == REJECTED || this == EXPIRED || this == SUCCEEDED || this == FAILED || this == STALE;
    }

    public boolean canMoveTo(ProposalStatus next) {
        return switch (this) {
            case PENDING -> Set.of(PENDING, APPROVED, REJECTED, EXPIRED).contains(next);
            case APPROVED -> Set.of(EXECUTING, STALE, FAILED).contains(next);
            case EXECUTING -> Set.of(SUCCEEDED, FAILED, STALE).contains(next);
            default -> false;
        };
    }
}
