package io.opsagent.core.actions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditRecordTest {
    private static List<AuditRecord> chain(int n) {
        List<AuditRecord> out = new ArrayList<>();
        AuditRecord prev = null;
        for (int i = 0; i < n; i++) {
            prev = AuditRecord.next(prev, new AuditRecord.Entry("approved", "bob", "act-" + i, "shop/Deployment/web",
                    "scale", AuditRecord.detail("hashSeen", "h" + i)), Instant.parse("2026-12-06T10:00:00Z").plusSeconds(i));
            out.add(prev);
        }
        return out;
    }

    @Test
    void anIntactChainVerifies() {
        List<AuditRecord> c = chain(5);
        assertThat(c.get(0).prevHash()).isEqualTo(AuditRecord.GENESIS);
        assertThat(c.get(1).prevHash()).isEqualTo(c.get(0).hash());
        assertThat(AuditRecord.verify(c)).isEqualTo(new AuditRecord.Verdict(true, 5, null, null));
    }

    @Test
    void aChangedARemovedAndAnInsertedRecordAreEachNamed() {
        List<AuditRecord> changed = new ArrayList<>(chain(5));
        AuditRecord r = changed.get(2);
        changed.set(2, new AuditRecord(r.seq(), r.at(), r.type(), "mallory", r.proposalId(), r.workload(), r.action(),
                r.detail(), r.prevHash(), r.hash()));
        assertThat(AuditRecord.verify(changed)).satisfies(v -> {
            assertThat(v.intact()).isFalse();
            assertThat(v.firstBroken()).isEqualTo(3);
            assertThat(v.reason()).contains("record 3 was changed after it was written");
        });
        List<AuditRecord> removed = new ArrayList<>(chain(5));
        removed.remove(1);
        assertThat(AuditRecord.verify(removed).reason()).isEqualTo("record 2 is missing (the next one is 3)");
        // a record inserted with the right number and a fresh hash still breaks the next link
        List<AuditRecord> inserted = new ArrayList<>(chain(5));
        AuditRecord forged = AuditRecord.next(inserted.get(1), new AuditRecord.Entry("approved", "mallory", "act-x",
                "shop/Deployment/web", "scale", null), Instant.parse("2026-12-06T10:00:01Z"));
        inserted.set(2, forged);
        assertThat(AuditRecord.verify(inserted)).satisfies(v -> {
            assertThat(v.firstBroken()).isEqualTo(4);
            assertThat(v.reason()).contains("record 4 does not point at record 3's hash");
        });
    }
}
