package io.opsagent.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsagent.core.actions.Action;
import io.opsagent.core.actions.ActionKind;
import io.opsagent.core.actions.AuditLog;
import io.opsagent.core.actions.AuditRecord;
import io.opsagent.core.actions.Canonical;
import io.opsagent.core.actions.FieldChange;
import io.opsagent.core.actions.Proposal;
import io.opsagent.core.actions.ProposalStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Proposals and the audit log in DynamoDB Local: conditional writes hold under races; a tampered log is named. */
class DynamoActionsTest {
    private final TableNames names = TestDynamo.freshTables();
    private final DynamoProposalStore store = new DynamoProposalStore(TestDynamo.client(), names);
    private final DynamoAuditLog audit = new DynamoAuditLog(TestDynamo.client(), names, Clock.systemUTC());

    static Proposal proposal(String id, Instant created) {
        Action a = Action.of(ActionKind.SCALE, "shop", "Deployment", "web", Canonical.parse("{\"replicas\":3}"));
        return new Proposal(id, a, a.hash(), new Proposal.Target("41", 2L, "uid-1"),
                new Proposal.DryRun(null, List.of(new FieldChange("spec.replicas", "2", "3"))),
                new Proposal.BlastRadius(List.of(), 2, 3, List.of("web")), new Proposal.Risk("low", List.of("no pod restarts"), false),
                new Proposal.Cost(14.8, "replicas × requests"), "alice", "run-1", "sess-1", "req-1", created,
                created.plusSeconds(900), ProposalStatus.PENDING, List.of(), null, null, 0);
    }

    @Test
    void aProposalRoundTripsAndOnlyOneOfTwoRacingDecisionsIsStored() {
        Proposal p = store.create(proposal("act-1", Instant.parse("2026-12-06T10:00:00Z")));
        assertThat(p.version()).isEqualTo(1);
        assertThat(store.get("act-1")).contains(p);
        assertThatThrownBy(() -> store.create(proposal("act-1", Instant.now()))).hasMessageContaining("exists already");
        Proposal approved = p.withDecision(new Proposal.Decision("bob", Instant.now(), true, p.hash(), null))
                .withStatus(ProposalStatus.APPROVED);
        Proposal rejected = p.withDecision(new Proposal.Decision("carol", Instant.now(), false, null, "no"))
                .withStatus(ProposalStatus.REJECTED);
        assertThat(store.replace(p, approved)).isPresent();
        assertThat(store.replace(p, rejected)).as("read at version 1, stored at 2 meanwhile").isEmpty();
        assertThat(store.get("act-1").orElseThrow().status()).isEqualTo(ProposalStatus.APPROVED);
        assertThat(store.get("act-1").orElseThrow().approvers()).containsExactly("bob");
        assertThat(store.get("nope")).isEmpty();
    }

    @Test
    void proposalsAreListedNewestFirstByStatus() {
        for (int i = 0; i < 5; i++) store.create(proposal("act-" + i, Instant.parse("2026-12-06T10:00:00Z").plusSeconds(i)));
        Proposal two = store.get("act-2").orElseThrow();
        store.replace(two, two.withStatus(ProposalStatus.REJECTED));
        assertThat(store.list(null, 10)).extracting(Proposal::id).containsExactly("act-4", "act-3", "act-2", "act-1", "act-0");
        assertThat(store.list(ProposalStatus.PENDING, 10)).extracting(Proposal::id).containsExactly("act-4", "act-3", "act-1", "act-0");
        assertThat(store.list(ProposalStatus.REJECTED, 10)).extracting(Proposal::id).containsExactly("act-2");
        assertThat(store.list(null, 2)).hasSize(2);
    }

    private static AuditRecord.Entry entry(String type, String actor, String proposal) {
        return new AuditRecord.Entry(type, actor, proposal, "shop/Deployment/web", "scale", AuditRecord.detail("n", 1));
    }

    @Test
    void theAuditLogIsAChainThatConcurrentWritersExtendWithoutGaps() throws Exception {
        // two logs (two processes' worth) over one table, 4 threads each appending 25
        DynamoAuditLog other = new DynamoAuditLog(TestDynamo.client(), names, Clock.systemUTC());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            DynamoAuditLog log = t % 2 == 0 ? audit : other;
            String who = "user" + t;
            done.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < 25; i++) log.append(entry("approved", who, "act-" + i));
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : done) f.get();
        pool.shutdown();
        AuditRecord.Verdict v = audit.verify();
        assertThat(v.intact()).as(v.reason()).isTrue();
        assertThat(v.count()).isEqualTo(100);
    }

    @Test
    void aChangedRecordIsNamedByVerify() {
        for (int i = 0; i < 5; i++) audit.append(entry("approved", "bob", "act-" + i));
        assertThat(audit.verify()).isEqualTo(new AuditRecord.Verdict(true, 5, null, null));
        // someone with table access rewrites record 3's actor
        var item = TestDynamo.client().getItem(b -> b.tableName(names.actions())
                .key(Map.of("pk", AttributeValue.fromS("AUDIT"), "sk", AttributeValue.fromS(String.format("%019d", 3))))).item();
        String forged = item.get("doc").s().replace("\"actor\":\"bob\"", "\"actor\":\"mallory\"");
        var changed = new java.util.HashMap<>(item);
        changed.put("doc", AttributeValue.fromS(forged));
        TestDynamo.client().putItem(b -> b.tableName(names.actions()).item(changed));
        AuditRecord.Verdict v = audit.verify();
        assertThat(v.intact()).isFalse();
        assertThat(v.firstBroken()).isEqualTo(3);
        assertThat(v.reason()).contains("record 3 was changed after it was written");
        // and an append does not paper over it: the chain stays broken at 3
        audit.append(entry("approved", "bob", "act-9"));
        assertThat(audit.verify().firstBroken()).isEqualTo(3);
    }

    @Test
    void theLogIsListedNewestFirstFilteredAndPaged() {
        for (int i = 0; i < 7; i++) audit.append(entry(i % 2 == 0 ? "proposed" : "approved", i % 2 == 0 ? "alice" : "bob", "act-" + (i / 2)));
        AuditLog.Page first = audit.list(AuditLog.Filter.ALL, null, 3);
        assertThat(first.records()).extracting(AuditRecord::seq).containsExactly(7L, 6L, 5L);
        assertThat(first.next()).isEqualTo("5");
        AuditLog.Page second = audit.list(AuditLog.Filter.ALL, first.next(), 3);
        assertThat(second.records()).extracting(AuditRecord::seq).containsExactly(4L, 3L, 2L);
        assertThat(audit.list(new AuditLog.Filter(null, "bob", null, null, null, null), null, 10).records())
                .extracting(AuditRecord::seq).containsExactly(6L, 4L, 2L);
        assertThat(audit.list(new AuditLog.Filter("shop/", null, "proposed", "act-1", null, null), null, 10).records())
                .extracting(AuditRecord::seq).containsExactly(3L);
        assertThatThrownBy(() -> audit.list(AuditLog.Filter.ALL, "x'; drop", 3)).hasMessageContaining("cursor must be a record number");
    }
}
