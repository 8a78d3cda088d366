package io.opsagent.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.opsagent.core.actions.Action;
import io.opsagent.core.actions.ActionKind;
import io.opsagent.core.actions.Canonical;
import io.opsagent.core.changes.Change;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Changes in DynamoDB Local: they round-trip whole (the approval's token server-side), one of two racing writes wins. */
class DynamoChangeStoreTest {
    private final DynamoChangeStore store = new DynamoChangeStore(TestDynamo.client(), TestDynamo.freshTables());

    static Change change(String id, Instant at) {
        Action a = Action.of(ActionKind.SET_IMAGE, "shop", "Deployment", "web", Canonical.parse("{\"container\":\"web\",\"image\":\"web:2\"}"));
        return new Change(id, a, "bob", List.of("team-shop"), "corr-1", at, at, "validating", "submitted", List.of(), null,
                null, null, null, null, null, null, null, 0);
    }

    @Test
    void aChangeRoundTripsAndOnlyOneOfTwoRacingWritesIsStored() {
        Instant t = Instant.parse("2026-12-06T10:00:00Z");
        assertThat(store.create(change("chg-1", t))).isTrue();
        assertThat(store.create(change("chg-1", t))).as("a repeated submit").isFalse();
        Change c = store.get("chg-1").orElseThrow();
        Change waiting = c.withEvidence("act-9", JsonNodeFactory.instance.objectNode().put("risk", "low"))
                .withApprovalToken("token-secret", t.plusSeconds(900)).with("awaiting-approval", "waiting", t.plusSeconds(2));
        assertThat(store.replace(c, waiting)).isPresent();
        assertThat(store.replace(c, c.with("refused", "late", t))).as("read at version 0, stored at 1 meanwhile").isEmpty();
        Change back = store.get("chg-1").orElseThrow();
        assertThat(back.status()).isEqualTo("awaiting-approval");
        assertThat(back.approvalToken()).isEqualTo("token-secret");
        assertThat(back.approvalExpiresAt()).isEqualTo(t.plusSeconds(900));
        assertThat(back.requesterGroups()).containsExactly("team-shop");
        assertThat(back.action()).isEqualTo(c.action());
        assertThat(back.evidence().path("risk").asText()).isEqualTo("low");
        assertThat(back.version()).isEqualTo(1);
        assertThat(back.toJson().toString()).doesNotContain("token-secret");
        assertThat(store.get("chg-nope")).isEmpty();
    }

    @Test
    void changesAreListedNewestFirst() {
        for (int i = 0; i < 4; i++) store.create(change("chg-" + i, Instant.parse("2026-12-06T10:00:00Z").plusSeconds(i)));
        assertThat(store.list(10)).extracting(Change::id).containsExactly("chg-3", "chg-2", "chg-1", "chg-0");
        assertThat(store.list(2)).extracting(Change::id).containsExactly("chg-3", "chg-2");
    }

    @Test
    void intendedStatesAreTheLatestPerObject() {
        DynamoIntendedStateStore intents = new DynamoIntendedStateStore(TestDynamo.client(), TestDynamo.freshTables());
        Instant t = Instant.parse("2026-12-06T10:00:00Z");
        var a = new io.opsagent.core.changes.IntendedState("shop", "Deployment", "web", java.util.Map.of("web", "web:1"), 2,
                null, "chg-1", "ab".repeat(32), "carol", List.of(), t);
        var b = new io.opsagent.core.changes.IntendedState("shop", "Deployment", "web", java.util.Map.of("web", "web:2"), 3,
                null, "chg-2", "cd".repeat(32), "alice", List.of("ops"), t.plusSeconds(60));
        var c = new io.opsagent.core.changes.IntendedState("shop", "ConfigMap", "cfg", null, null, "ef".repeat(32), "chg-3",
                "12".repeat(32), "carol", List.of(), t);
        intents.put(a);
        intents.put(b);
        intents.put(c);
        assertThat(intents.get("shop/Deployment/web")).contains(b);
        assertThat(intents.list()).containsExactlyInAnyOrder(b, c);
        assertThat(intents.get("shop/Deployment/nope")).isEmpty();
    }
}
