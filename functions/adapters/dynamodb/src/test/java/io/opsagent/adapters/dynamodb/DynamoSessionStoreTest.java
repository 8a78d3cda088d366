package io.opsagent.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsagent.core.runs.Message;
import io.opsagent.core.runs.Page;
import io.opsagent.core.runs.Session;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DynamoSessionStoreTest {
    /**
     * The test clock starts a year after the real one: DynamoDB Local's TTL sweeper deletes items whose expiry is
     * before the real time, so test expiries must stay in the real future or items vanish mid-test.
     */
    private static final Instant T0 = Instant.now().plus(Duration.ofDays(365)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    private static final Duration TTL = Duration.ofHours(1);
    private static DynamoDbClient client;
    private static TableNames tables;

    private io.opsagent.core.agent.MovableClock clock;
    private DynamoSessionStore store;

    @BeforeAll
    static void tables() {
        client = TestDynamo.client();
        tables = TestDynamo.freshTables();
    }

    @BeforeEach
    void store() {
        clock = new io.opsagent.core.agent.MovableClock(T0);
        store = new DynamoSessionStore(client, tables, clock, TTL);
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    private Session newSession(String user, Instant created) {
        Session s = new Session(id(), user, "shop/checkout", "why is checkout failing?", created, null, null);
        store.create(s);
        return s;
    }

    @Test
    void createThenGetRoundTripsEveryField() {
        Session s = new Session(id(), "alice", "shop/*", "namespace chat", T0, T0.plusSeconds(5),
                T0.plus(Duration.ofDays(2)));
        store.create(s);
        assertThat(store.get("alice", s.id())).contains(s);
        assertThatThrownBy(() -> store.create(s)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(s.id());
    }

    @Test
    void defaultsUpdatedAndExpiry() {
        Session s = newSession("alice", T0);
        Session got = store.get("alice", s.id()).orElseThrow();
        assertThat(got.updated()).isEqualTo(T0);
        assertThat(got.expiresAt()).isEqualTo(T0.plus(TTL));
    }

    @Test
    void listsTheUsersSessionsMostRecentlyUpdatedFirstAcrossPages() {
        String user = "lister-" + id();
        List<Session> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(newSession(user, T0.plusSeconds(i)));
        }
        newSession("someone-else", T0.plusSeconds(99));
        // a message makes the oldest the most recent
        clock.advance(Duration.ofMinutes(1));
        store.addMessage(user, new Message(created.get(0).id(), 1, "user", "hello", null, clock.instant()));

        List<String> expected = List.of(created.get(0).id(), created.get(4).id(), created.get(3).id(),
                created.get(2).id(), created.get(1).id());
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Page<Session> page = store.list(user, 2, cursor);
            page.items().forEach(s -> seen.add(s.id()));
            assertThat(page.items()).hasSizeLessThanOrEqualTo(2).allMatch(s -> s.user().equals(user));
            cursor = page.next();
            pages++;
        } while (cursor != null);
        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(pages).isEqualTo(3);
        assertThat(store.list(user, 200, null).items()).extracting(Session::id).containsExactlyElementsOf(expected);
    }

    @Test
    void tamperedOrForeignCursorIsRejectedNamingTheCursor() {
        String user = "cursor-" + id();
        for (int i = 0; i < 3; i++) {
            newSession(user, T0.plusSeconds(i));
        }
        String cursor = store.list(user, 1, null).next();
        assertThat(cursor).isNotNull();
        assertThatThrownBy(() -> store.list(user, 1, "not-base64!!")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cursor");
        assertThatThrownBy(() -> store.list("mallory", 1, cursor)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cursor");
        String json = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        String forged = Base64.getUrlEncoder().encodeToString(
                json.replace("USER#" + user, "USER#bob").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> store.list(user, 1, forged)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cursor");
        String extra = Base64.getUrlEncoder().encodeToString(
                json.replace("{", "{\"x\":\"1\",").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> store.list(user, 1, extra)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cursor");
        assertThatThrownBy(() -> store.list(user, 0, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit");
    }

    @Test
    void messagesComeBackInOrderAndTouchTheSession() {
        Session s = newSession("alice", T0);
        for (int seq : new int[]{3, 1, 12, 2, 10, 11, 4, 5, 6, 7, 8, 9}) {
            store.addMessage("alice", new Message(s.id(), seq, seq % 2 == 1 ? "user" : "assistant",
                    "message " + seq, seq % 2 == 0 ? "run-" + seq : null, T0.plusSeconds(seq)));
        }
        List<Message> messages = store.messages("alice", s.id());
        assertThat(messages).extracting(Message::seq).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        assertThat(messages.get(1)).isEqualTo(new Message(s.id(), 2, "assistant", "message 2", "run-2",
                T0.plusSeconds(2)));
        // updated follows the last message written (seq 9 at T0+9s)
        assertThat(store.get("alice", s.id()).orElseThrow().updated()).isEqualTo(T0.plusSeconds(9));
    }

    @Test
    void addingTheSameMessageTwiceStoresItOnceAndAConflictFails() {
        Session s = newSession("alice", T0);
        Message m = new Message(s.id(), 1, "user", "why?", null, T0);
        store.addMessage("alice", m);
        clock.advance(Duration.ofSeconds(30));
        store.addMessage("alice", m);
        assertThat(store.messages("alice", s.id())).containsExactly(m);
        assertThatThrownBy(() -> store.addMessage("alice", new Message(s.id(), 1, "user", "other", null, T0)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("message 1");
    }

    @Test
    void anotherUserSeesNothingAndCannotDeleteOrWrite() {
        Session s = newSession("alice", T0);
        store.addMessage("alice", new Message(s.id(), 1, "user", "secret question", null, T0));
        assertThat(store.get("bob", s.id())).isEmpty();
        assertThat(store.messages("bob", s.id())).isEmpty();
        assertThat(store.list("bob", 50, null).items()).extracting(Session::id).doesNotContain(s.id());
        assertThat(store.delete("bob", s.id())).isFalse();
        assertThatThrownBy(() -> store.addMessage("bob", new Message(s.id(), 2, "user", "x", null, T0)))
                .isInstanceOf(NoSuchElementException.class).hasMessageContaining(s.id());
        assertThat(store.get("alice", s.id())).isPresent();
        assertThat(store.messages("alice", s.id())).hasSize(1);
        assertThat(store.get("alice", "no-such-session")).isEmpty();
        assertThat(store.delete("alice", "no-such-session")).isFalse();
    }

    @Test
    void deleteRemovesTheSessionAndEveryMessage() {
        Session s = newSession("alice", T0);
        for (int seq = 1; seq <= 30; seq++) { // more than one BatchWriteItem of 25
            store.addMessage("alice", new Message(s.id(), seq, "user", "m" + seq, null, T0));
        }
        assertThat(store.delete("alice", s.id())).isTrue();
        assertThat(store.get("alice", s.id())).isEmpty();
        assertThat(store.delete("alice", s.id())).isFalse();
        int left = client.query(b -> b.tableName(tables.sessions()).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("SESSION#" + s.id())))).count();
        assertThat(left).isZero();
    }

    @Test
    void expiredSessionsAreAbsentOnEveryReadUntilDynamoDeletesThem() {
        String user = "ttl-" + id();
        Session old = newSession(user, T0);
        clock.advance(Duration.ofMinutes(40));
        Session young = newSession(user, clock.instant());
        clock.advance(Duration.ofMinutes(30)); // old expired at T0+60m, young lives until T0+100m
        assertThat(store.get(user, old.id())).isEmpty();
        assertThat(store.messages(user, old.id())).isEmpty();
        assertThat(store.list(user, 10, null).items()).extracting(Session::id).containsExactly(young.id());
        assertThat(store.delete(user, old.id())).isFalse();
        assertThatThrownBy(() -> store.addMessage(user, new Message(old.id(), 1, "user", "x", null, null)))
                .isInstanceOf(NoSuchElementException.class);
        // the item is still in the table: only the code's filter hides it
        assertThat(client.getItem(b -> b.tableName(tables.sessions())
                .key(SessionItems.sessionKey(old.id()))).item()).isNotEmpty();
    }

    @Test
    void eachMessageExtendsTheSessionAndMessagesNeverExpireBeforeIt() {
        Session s = newSession("alice", T0);
        for (int seq = 1; seq <= 4; seq++) {
            clock.advance(Duration.ofMinutes(50)); // 4 x 50 min > 2 TTLs: still alive thanks to each message
            store.addMessage("alice", new Message(s.id(), seq, "user", "m" + seq, null, null));
            long sessionExpiry = store.get("alice", s.id()).orElseThrow().expiresAt().getEpochSecond();
            assertThat(sessionExpiry).isEqualTo(clock.instant().plus(TTL).getEpochSecond());
            for (int m = 1; m <= seq; m++) {
                int n = m;
                Map<String, AttributeValue> item = client.getItem(b -> b.tableName(tables.sessions())
                        .key(SessionItems.messageKey(s.id(), n))).item();
                assertThat(Long.parseLong(item.get("expiresAt").n())).isGreaterThan(sessionExpiry);
            }
        }
        assertThat(store.messages("alice", s.id())).hasSize(4);
        clock.advance(TTL.plusSeconds(1));
        assertThat(store.messages("alice", s.id())).isEmpty();
    }

    @Test
    void longTextsAreCappedWithAMarker() {
        Session s = newSession("alice", T0);
        String huge = "é".repeat(300_000); // 600 KB of UTF-8, more than an item may hold
        store.addMessage("alice", new Message(s.id(), 1, "assistant", huge, null, T0));
        String stored = store.messages("alice", s.id()).get(0).text();
        assertThat(stored.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(TextCap.MAX_BYTES);
        assertThat(stored).startsWith("éééé").contains(TextCap.MARKER + "600000 bytes").doesNotContain("\uFFFD");
    }
}
