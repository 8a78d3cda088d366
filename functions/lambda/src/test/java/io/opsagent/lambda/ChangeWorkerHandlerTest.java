package io.opsagent.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opsagent.core.actions.Action;
import io.opsagent.core.actions.ActionKind;
import io.opsagent.core.actions.ActionService;
import io.opsagent.core.actions.ApprovalPolicy;
import io.opsagent.core.actions.AuditLog;
import io.opsagent.core.actions.AuditRecord;
import io.opsagent.core.actions.Canonical;
import io.opsagent.core.changes.Change;
import io.opsagent.core.changes.ChangeOrchestrator;
import io.opsagent.core.changes.ChangePolicy;
import io.opsagent.core.changes.ChangeService;
import io.opsagent.core.changes.ChangeStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The change worker's handler: an SQS batch of steps is dispatched to the change service, which answers each token;
 * a message that is not a step is dropped (it can never succeed), not retried; the schedule's event heartbeats the
 * approval requests held. The orchestrator here records what is answered (the Step Functions adapter's own tests run
 * against LocalStack).
 */
class ChangeWorkerHandlerTest {
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final ChangeOrchestrator recording = new ChangeOrchestrator() {
        @Override
        public String start(String changeId, String input) {
            calls.add("start " + changeId);
            return "arn";
        }

        @Override
        public void succeed(String token, String output) {
            calls.add("succeed " + token + " " + output);
        }

        @Override
        public void fail(String token, String error, String cause) {
            calls.add("fail " + token + " " + error + ": " + cause);
        }

        @Override
        public void heartbeat(String token) {
            calls.add("heartbeat " + token);
        }

        @Override
        public void stop(String changeId, String cause) {
            calls.add("stop " + changeId);
        }

        @Override
        public Execution describe(String changeId) {
            return null;
        }
    };

    private static AuditLog audit() {
        return new AuditLog() {
            @Override
            public AuditRecord append(AuditRecord.Entry entry) {
                return null;
            }

            @Override
            public Page list(Filter filter, String cursor, int limit) {
                return new Page(List.of(), null);
            }

            @Override
            public AuditRecord.Verdict verify() {
                return null;
            }
        };
    }

    @Test
    void stepsAreDispatchedBadMessagesDroppedAndTheScheduleHeartbeats() throws Exception {
        ChangeStore store = new ChangeStore.InMemory();
        ActionService actions = new ActionService(null, null, audit(), new ApprovalPolicy(null, true, Set.of(),
                Duration.ofMinutes(15)), null, Clock.systemUTC(), Runnable::run, null);
        ChangeService changes = new ChangeService(store, actions, null, recording,
                ChangePolicy.LOCAL.withTimes(Duration.ZERO, Duration.ofMinutes(15), Duration.ofMinutes(5)), Clock.systemUTC());
        try {
            Instant t = Instant.now();
            Action a = Action.of(ActionKind.SCALE, "shop", "Deployment", "web", Canonical.parse("{\"replicas\":3}"));
            store.create(new Change("chg-held000001", a, "bob", List.of(), "corr", t, t, "awaiting-approval", "waiting",
                    List.of(), "act-1", null, null, null, null, null, "tok-held", t.plusSeconds(900), 0));
            String batch = "{\"Records\":["
                    + "{\"messageId\":\"m1\",\"body\":\"{\\\"step\\\":\\\"finish\\\",\\\"changeId\\\":\\\"chg-nope\\\",\\\"token\\\":\\\"tok-1\\\"}\"},"
                    + "{\"messageId\":\"m2\",\"body\":\"not json\"}]}";
            JsonNode out = invoke(new ChangeWorkerHandler(changes), batch);
            assertThat(out.path("batchItemFailures")).isEmpty(); // answered (a failure to the chain), or dropped
            assertThat(calls).containsExactly("fail tok-1 Change.Failed: no change chg-nope is stored");
            calls.clear();
            JsonNode beat = invoke(new ChangeWorkerHandler(changes),
                    "{\"source\":\"aws.events\",\"detail-type\":\"Scheduled Event\",\"detail\":{}}");
            assertThat(beat.path("heartbeats").asBoolean()).isTrue();
            assertThat(calls).containsExactly("heartbeat tok-held");
        } finally {
            changes.close();
        }
    }

    private static JsonNode invoke(ChangeWorkerHandler h, String event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        h.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        return new ObjectMapper().readTree(out.toByteArray());
    }
}
