package io.opsagent.core.actions;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** The audit log in memory for tests (one process): appended in order, hash-chained. */
public final class InMemoryAuditLog implements AuditLog {
    private final List<AuditRecord> records = new ArrayList<>();
    private final Clock clock;

    public InMemoryAuditLog(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized AuditRecord append(AuditRecord.Entry entry) {
        AuditRecord r = AuditRecord.next(records.isEmpty() ? null : records.get(records.size() - 1), entry, clock.instant());
        records.add(r);
        return r;
    }

    @Override
    public synchronized Page list(Filter filter, String cursor, int limit) {
        List<AuditRecord> out = new ArrayList<>();
        long below = cursor == null ? Long.MAX_VALUE : Long.parseLong(cursor);
        for (int i = records.size() - 1; i >= 0 && out.size() < limit; i--) {
            AuditRecord r = records.get(i);
            if (r.seq() < below && filter.matches(r)) out.add(r);
        }
        return new Page(out, out.size() == limit ? Long.toString(out.get(out.size() - 1).seq()) : null);
    }

    @Override
    public synchronized AuditRecord.Verdict verify() {
        return AuditRecord.verify(List.copyOf(records));
    }

    /** Every record, oldest first. */
    public synchronized List<AuditRecord> all() {
        return List.copyOf(records);
    }
}
