package io.opsagent.core.actions;

import java.time.Instant;
import java.util.List;

/**
 * The append-only audit log: every proposal, decision, execution, verification and outcome. Each record carries the
 * hash of the one before it and its own hash over both, and is written only where no record is yet (a conditional
 * write on its sequence number), so a record cannot be overwritten, removed or inserted without {@link #verify}
 * finding the break.
 */
public interface AuditLog {

    /** Appends a record (the log assigns its sequence number, time, previous hash and hash) and returns it. */
    AuditRecord append(AuditRecord.Entry entry);

    /** Records matching {@code filter}, newest first, from {@code cursor} (null: the newest), at most {@code limit}. */
    Page list(Filter filter, String cursor, int limit);

    /** One page: the records and the cursor of the next page (null at the end). */
    record Page(List<AuditRecord> records, String next) {
    }

    /**
     * What to list: any field null matches everything; {@code workload} is {@code namespace/Kind/name} or a prefix
     * of it ({@code shop/}); times are inclusive.
     */
    record Filter(String workload, String user, String action, String proposalId, Instant from, Instant to) {
        public static final Filter ALL = new Filter(null, null, null, null, null, null);

        public boolean matches(AuditRecord r) {
            return (workload == null || r.workload() != null && r.workload().startsWith(workload))
                    && (user == null || user.equals(r.actor()))
                    && (action == null || action.equals(r.action()) || action.equals(r.type()))
                    && (proposalId == null || proposalId.equals(r.proposalId()))
                    && (from == null || !r.at().isBefore(from))
                    && (to == null || !r.at().isAfter(to));
        }
    }

    /** Walks the whole chain from the first record: intact, or the first record that breaks it. */
    AuditRecord.Verdict verify();
}
