package io.opsagent.adapters.dynamodb;

import static io.opsagent.adapters.dynamodb.Items.s;

import io.opsagent.core.runs.Message;
import io.opsagent.core.runs.Page;
import io.opsagent.core.runs.Session;
import io.opsagent.core.runs.SessionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * {@link SessionStore} over the sessions table (see docs/storage.md). A session is the item
 * {@code (SESSION#<id>, SESSION)}, its messages are {@code (SESSION#<id>, MSG#<0000000001>)}; only the session
 * item carries the keys of the index {@code byUser} (a user's sessions by last update). Sessions expire
 * {@code ttl} after their last message: DynamoDB's TTL deletes them eventually (hours), so every read also
 * treats an expired session as absent, judged by the injected clock. Messages are stamped with an expiry at
 * least one TTL later than the session's, refreshed in bulk only when the session outlives that stamp, so a
 * long conversation never loses its early messages. Never Scans.
 */
public final class DynamoSessionStore implements SessionStore {
    /** Default session lifetime after the last message. */
    public static final Duration DEFAULT_TTL = Duration.ofDays(30);
    private static final List<String> INDEX_KEY = List.of(Schema.PK, Schema.SK, Schema.GSI1_PK, Schema.GSI1_SK);

    private final DynamoDbClient client;
    private final String table;
    private final Clock clock;
    private final Duration ttl;

    /** With the system clock and {@link #DEFAULT_TTL}. */
    public DynamoSessionStore(DynamoDbClient client, TableNames tables) {
        this(client, tables, Clock.systemUTC(), DEFAULT_TTL);
    }

    /**
     * @param clock decides what has expired and stamps updates
     * @param ttl   how long a session lives after its last message (at least one minute)
     */
    public DynamoSessionStore(DynamoDbClient client, TableNames tables, Clock clock, Duration ttl) {
        this.client = Objects.requireNonNull(client, "client");
        this.table = tables.sessions();
        this.clock = Objects.requireNonNull(clock, "clock");
        if (ttl.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("session ttl must be at least one minute, got " + ttl);
        }
        this.ttl = ttl;
    }

    /**
     * Stores a new session. A null {@code updated} becomes {@code created}; a null {@code expiresAt} becomes
     * {@code created + ttl}. Throws IllegalStateException if the id exists.
     */
    @Override
    public void create(Session session) {
        Instant updated = session.updated() != null ? session.updated() : session.created();
        Instant expires = session.expiresAt() != null ? session.expiresAt() : session.created().plus(ttl);
        Session stored = new Session(session.id(), session.user(), session.workload(), session.title(),
                session.created(), updated, expires);
        // messages of a new session will expire one ttl after it: stamped now, so its first message is one write
        Map<String, AttributeValue> item = new HashMap<>(SessionItems.toItem(stored));
        item.put(SessionItems.MESSAGES_EXPIRE_AT, Items.n(expires.getEpochSecond() + ttl.getSeconds()));
        try {
            client.putItem(b -> b.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", Schema.PK)));
        } catch (ConditionalCheckFailedException e) {
            throw new IllegalStateException("session " + session.id() + " already exists", e);
        }
    }

    @Override
    public Optional<Session> get(String user, String sessionId) {
        return liveItem(user, sessionId).map(SessionItems::toSession);
    }

    /** The user's live sessions, most recently updated first: a Query on byUser, newest first. */
    @Override
    public Page<Session> list(String user, int limit, String cursor) {
        if (limit < 1 || limit > 200) {
            throw new IllegalArgumentException("limit must be between 1 and 200, got " + limit);
        }
        String partition = SessionItems.userPartition(user);
        Map<String, AttributeValue> start = cursor == null ? null
                : Cursors.decode(cursor, Set.copyOf(INDEX_KEY), Schema.GSI1_PK, partition,
                SessionItems.SESSION_PREFIX);
        Instant now = clock.instant();
        QueryRequest query = QueryRequest.builder()
                .tableName(table)
                .indexName(Schema.BY_USER)
                .keyConditionExpression("#p = :p")
                .filterExpression("#exp > :now")
                .expressionAttributeNames(Map.of("#p", Schema.GSI1_PK, "#exp", Schema.EXPIRES_AT))
                .expressionAttributeValues(Map.of(":p", s(partition), ":now", Items.n(now.getEpochSecond())))
                .scanIndexForward(false)
                .build();
        Pager.Result page = Pager.page(client, query, limit, start, INDEX_KEY,
                item -> !SessionItems.expired(item, now) && user.equals(Items.str(item, "user")));
        List<Session> sessions = new ArrayList<>();
        page.items().forEach(item -> sessions.add(SessionItems.toSession(item)));
        return new Page<>(sessions, page.next() == null ? null : Cursors.encode(page.next()));
    }

    /**
     * Deletes the user's live session (a conditional DeleteItem), then its messages (Query of their keys,
     * BatchWriteItem deletes). False if the session is absent, expired or another user's.
     */
    @Override
    public boolean delete(String user, String sessionId) {
        try {
            client.deleteItem(b -> b.tableName(table).key(SessionItems.sessionKey(sessionId))
                    .conditionExpression("attribute_exists(#pk) AND #user = :user AND #exp > :now")
                    .expressionAttributeNames(Map.of("#pk", Schema.PK, "#user", "user", "#exp", Schema.EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":user", s(user),
                            ":now", Items.n(clock.instant().getEpochSecond()))));
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
        Batches.deleteAll(client, table, messageKeys(sessionId));
        return true;
    }

    /**
     * Appends a message to the user's live session, sets the session's {@code updated} to the message time and
     * extends its expiry to now + ttl. The message write is idempotent (conditional put on session+seq): the
     * same message again does nothing, a different message under an existing seq throws
     * IllegalStateException. Throws NoSuchElementException if the session is absent, expired or another user's.
     */
    @Override
    public void addMessage(String user, Message message) {
        if (addMessageAtOnce(user, message)) return;
        Instant now = clock.instant();
        Map<String, AttributeValue> session = liveItem(user, message.sessionId()).orElseThrow(() ->
                new NoSuchElementException("session " + message.sessionId() + " of user " + user
                        + " does not exist or has expired"));
        Instant at = message.at() != null ? message.at() : now;
        long expires = Math.max(Items.num(session, Schema.EXPIRES_AT), now.plus(ttl).getEpochSecond());
        Long stamped = Items.numOrNull(session, SessionItems.MESSAGES_EXPIRE_AT);
        long messageExpiry = stamped == null ? 0 : stamped;
        if (messageExpiry <= expires) {
            messageExpiry = expires + ttl.getSeconds();
            restampMessages(message.sessionId(), messageExpiry);
        }
        touchSession(user, message.sessionId(), at, expires, messageExpiry, now);
        putMessage(SessionItems.toItem(message, at, messageExpiry));
    }

    /**
     * The common case of {@link #addMessage} in one request (a transaction): the session is the user's, live, its
     * expiry moves to now + ttl, and its messages' expiry stamp is already beyond that, so the message is put and
     * the session touched without reading it first. False (nothing written) when any of that does not hold or the
     * message exists; {@link #addMessage} then takes the careful path.
     */
    private boolean addMessageAtOnce(String user, Message message) {
        try {
            client.transactWriteItems(b -> b.transactItems(messageWrites(user, message)));
            return true;
        } catch (TransactionCanceledException e) {
            return false;
        }
    }

    /**
     * The two writes of {@link #addMessageAtOnce} (the session touched on condition, the message put), for a
     * transaction of its own or one that also stores a run's start or end ({@link DynamoRunStore}).
     */
    List<TransactWriteItem> messageWrites(String user, Message message) {
        Instant now = clock.instant();
        Instant at = message.at() != null ? message.at() : now;
        long expires = now.plus(ttl).getEpochSecond();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":user", s(user));
        values.put(":now", Items.n(now.getEpochSecond()));
        values.put(":updated", s(at.toString()));
        values.put(":gsk", s(Items.timeKey(at, message.sessionId())));
        values.put(":expires", Items.n(expires));
        Map<String, String> names = Map.of("#user", "user", "#exp", Schema.EXPIRES_AT, "#gsk", Schema.GSI1_SK,
                "#msgExp", SessionItems.MESSAGES_EXPIRE_AT);
        return List.of(
                TransactWriteItem.builder().update(Update.builder().tableName(table)
                        .key(SessionItems.sessionKey(message.sessionId()))
                        .updateExpression("SET updated = :updated, #gsk = :gsk, #exp = :expires")
                        .conditionExpression("#user = :user AND #exp > :now AND #exp <= :expires AND #msgExp > :expires")
                        .expressionAttributeNames(names).expressionAttributeValues(values).build()).build(),
                TransactWriteItem.builder().put(Put.builder().tableName(table)
                        .item(SessionItems.toItem(message, at, expires + ttl.getSeconds()))
                        .conditionExpression("attribute_not_exists(#pk)")
                        .expressionAttributeNames(Map.of("#pk", Schema.PK)).build()).build());
    }

    /**
     * The messages of the user's live session in order; empty if absent, expired or another user's. One Query of
     * the session's partition: the session item (checked) and its messages.
     */
    @Override
    public List<Message> messages(String user, String sessionId) {
        return history(user, sessionId).map(History::messages).orElse(List.of());
    }

    /** One Query of the session's partition: the session item (checked: the user's, live) and its messages. */
    @Override
    public Optional<History> history(String user, String sessionId) {
        List<Map<String, AttributeValue>> items = Pager.partition(client, table, SessionItems.pk(sessionId));
        Map<String, AttributeValue> session = null;
        List<Message> messages = new ArrayList<>();
        for (Map<String, AttributeValue> item : items) {
            String sk = Items.str(item, Schema.SK);
            if (SessionItems.SESSION_SK.equals(sk)) {
                session = item;
            } else if (sk != null && sk.startsWith(SessionItems.MESSAGE_PREFIX)) {
                messages.add(SessionItems.toMessage(item));
            }
        }
        if (session == null || !user.equals(Items.str(session, "user")) || SessionItems.expired(session, clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(new History(SessionItems.toSession(session), messages));
    }

    private Optional<Map<String, AttributeValue>> liveItem(String user, String sessionId) {
        Map<String, AttributeValue> item = client.getItem(b -> b.tableName(table)
                .key(SessionItems.sessionKey(sessionId)).consistentRead(true)).item();
        if (item == null || item.isEmpty() || !user.equals(Items.str(item, "user"))
                || SessionItems.expired(item, clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(item);
    }

    private void touchSession(String user, String sessionId, Instant at, long expires, long messageExpiry,
                              Instant now) {
        Map<String, String> names = Map.of("#user", "user", "#exp", Schema.EXPIRES_AT, "#gsk", Schema.GSI1_SK,
                "#msgExp", SessionItems.MESSAGES_EXPIRE_AT);
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":user", s(user));
        values.put(":now", Items.n(now.getEpochSecond()));
        values.put(":updated", s(at.toString()));
        values.put(":gsk", s(Items.timeKey(at, sessionId)));
        values.put(":expires", Items.n(expires));
        values.put(":msgExp", Items.n(messageExpiry));
        try {
            client.updateItem(b -> b.tableName(table).key(SessionItems.sessionKey(sessionId))
                    .updateExpression("SET updated = :updated, #gsk = :gsk, #exp = :expires, #msgExp = :msgExp")
                    .conditionExpression("#user = :user AND #exp > :now")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException e) {
            throw new NoSuchElementException("session " + sessionId + " of user " + user
                    + " does not exist or has expired");
        }
    }

    private void putMessage(Map<String, AttributeValue> item) {
        try {
            client.putItem(b -> b.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", Schema.PK)));
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> existing = new HashMap<>(client.getItem(b -> b.tableName(table)
                    .key(Map.of(Schema.PK, item.get(Schema.PK), Schema.SK, item.get(Schema.SK)))
                    .consistentRead(true)).item());
            Map<String, AttributeValue> mine = new HashMap<>(item);
            existing.remove(Schema.EXPIRES_AT);
            mine.remove(Schema.EXPIRES_AT);
            if (!mine.equals(existing)) {
                throw new IllegalStateException("message " + Items.num(item, "seq") + " of session "
                        + Items.str(item, "sessionId") + " already exists with different content", e);
            }
        }
    }

    /** Moves every message's expiry to {@code expiresAt} (an UpdateItem per message, once per TTL period). */
    private void restampMessages(String sessionId, long expiresAt) {
        for (Map<String, AttributeValue> key : messageKeys(sessionId)) {
            try {
                client.updateItem(b -> b.tableName(table).key(key)
                        .updateExpression("SET #exp = :exp")
                        .conditionExpression("attribute_exists(#pk)")
                        .expressionAttributeNames(Map.of("#exp", Schema.EXPIRES_AT, "#pk", Schema.PK))
                        .expressionAttributeValues(Map.of(":exp", Items.n(expiresAt))));
            } catch (ConditionalCheckFailedException deletedMeanwhile) {
                // nothing to extend
            }
        }
    }

    private List<Map<String, AttributeValue>> messageKeys(String sessionId) {
        return Pager.all(client, messagesQuery(sessionId, "#pk, #sk"));
    }

    private QueryRequest messagesQuery(String sessionId, String projection) {
        Map<String, String> names = new HashMap<>(Map.of("#pk", Schema.PK, "#sk", Schema.SK));
        return QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :msg)")
                .expressionAttributeNames(names)
                .expressionAttributeValues(Map.of(":pk", s(SessionItems.pk(sessionId)),
                        ":msg", s(SessionItems.MESSAGE_PREFIX)))
                .projectionExpression(projection)
                .consistentRead(true)
                .build();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while deleting messages", e);
        }
    }
}
