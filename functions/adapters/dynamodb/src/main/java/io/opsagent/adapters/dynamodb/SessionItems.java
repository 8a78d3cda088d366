package io.opsagent.adapters.dynamodb;

import static io.opsagent.adapters.dynamodb.Items.put;
import static io.opsagent.adapters.dynamodb.Items.putText;
import static io.opsagent.adapters.dynamodb.Items.s;

import io.opsagent.core.runs.Message;
import io.opsagent.core.runs.Session;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Maps sessions and messages to items of the sessions table and back. */
final class SessionItems {
    static final String SESSION_PREFIX = "SESSION#";
    static final String SESSION_SK = "SESSION";
    static final String MESSAGE_PREFIX = "MSG#";
    /** Session attribute: the expiry stamped on the session's messages (N, epoch seconds). */
    static final String MESSAGES_EXPIRE_AT = "msgExpiresAt";

    private SessionItems() {
    }

    static String pk(String sessionId) {
        return SESSION_PREFIX + sessionId;
    }

    static Map<String, AttributeValue> sessionKey(String sessionId) {
        return Map.of(Schema.PK, s(pk(sessionId)), Schema.SK, s(SESSION_SK));
    }

    static Map<String, AttributeValue> messageKey(String sessionId, int seq) {
        return Map.of(Schema.PK, s(pk(sessionId)), Schema.SK, s(MESSAGE_PREFIX + Items.padded(seq)));
    }

    static String userPartition(String user) {
        return RunItems.USER_PREFIX + user;
    }

    /** The session item; {@code updated} and {@code expiresAt} must be set. */
    static Map<String, AttributeValue> toItem(Session session) {
        Map<String, AttributeValue> item = new HashMap<>(sessionKey(session.id()));
        put(item, "id", session.id());
        put(item, "user", session.user());
        put(item, "workload", session.workload());
        putText(item, "title", session.title());
        put(item, "created", session.created());
        put(item, "updated", session.updated());
        item.put(Schema.EXPIRES_AT, Items.n(session.expiresAt().getEpochSecond()));
        item.put(Schema.GSI1_PK, s(userPartition(session.user())));
        item.put(Schema.GSI1_SK, s(Items.timeKey(session.updated(), session.id())));
        return item;
    }

    static Session toSession(Map<String, AttributeValue> item) {
        return new Session(Items.str(item, "id"), Items.str(item, "user"), Items.str(item, "workload"),
                Items.str(item, "title"), Items.instant(item, "created"), Items.instant(item, "updated"),
                Instant.ofEpochSecond(Items.num(item, Schema.EXPIRES_AT)));
    }

    static Map<String, AttributeValue> toItem(Message message, Instant at, long expiresAtSecond) {
        Map<String, AttributeValue> item = new HashMap<>(messageKey(message.sessionId(), message.seq()));
        put(item, "sessionId", message.sessionId());
        item.put("seq", Items.n(message.seq()));
        put(item, "role", message.role());
        putText(item, "text", message.text());
        put(item, "runId", message.runId());
        put(item, "at", at);
        item.put(Schema.EXPIRES_AT, Items.n(expiresAtSecond));
        return item;
    }

    static Message toMessage(Map<String, AttributeValue> item) {
        return new Message(Items.str(item, "sessionId"), (int) Items.num(item, "seq"), Items.str(item, "role"),
                Items.str(item, "text"), Items.str(item, "runId"), Items.instant(item, "at"));
    }

    /** True if the item has a TTL at or before {@code now}: expired, whether or not DynamoDB deleted it yet. */
    static boolean expired(Map<String, AttributeValue> item, Instant now) {
        Long expiresAt = Items.numOrNull(item, Schema.EXPIRES_AT);
        return expiresAt != null && expiresAt <= now.getEpochSecond();
    }
}
