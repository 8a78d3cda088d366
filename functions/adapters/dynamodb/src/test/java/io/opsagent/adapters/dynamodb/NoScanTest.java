package io.opsagent.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsagent.core.runs.Message;
import io.opsagent.core.runs.Run;
import io.opsagent.core.runs.RunQuery;
import io.opsagent.core.runs.RunStatus;
import io.opsagent.core.runs.Session;
import io.opsagent.core.runs.Step;
import io.opsagent.core.runs.StepType;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Every store method goes through a client that fails on Scan and records what else was sent. */
class NoScanTest {
    private static final Set<String> ALLOWED =
            Set.of("GetItem", "PutItem", "UpdateItem", "Query", "DeleteItem", "BatchWriteItem", "TransactWriteItems");

    @Test
    void theGuardRejectsScan() {
        TableNames tables = TestDynamo.freshTables();
        assertThatThrownBy(() -> TestDynamo.client().scan(b -> b.tableName(tables.runs())))
                .isInstanceOf(AssertionError.class).hasMessageContaining("Scan is forbidden");
    }

    @Test
    void storesUseOnlyKeyedReadsAndWrites() {
        TableNames tables = TestDynamo.freshTables(); // setup calls (DescribeTable, CreateTable...) happen here
        Set<String> sent = ConcurrentHashMap.newKeySet();
        try (DynamoDbClient recording = TestDynamo.clientBuilder()
                .overrideConfiguration(c -> c.addExecutionInterceptor(new TestDynamo.NoScan())
                        .addExecutionInterceptor(new Recorder(sent)))
                .build()) {
            exerciseEverything(recording, tables);
        }
        assertThat(sent).isSubsetOf(ALLOWED).contains("Query", "GetItem", "PutItem", "UpdateItem");
    }

    private static void exerciseEverything(DynamoDbClient client, TableNames tables) {
        Instant t = Instant.parse("2026-11-21T12:00:00Z");
        DynamoSessionStore sessions = new DynamoSessionStore(client, tables);
        Session s = new Session("s1", "u", "ns/app", "t", Instant.now(), null, null);
        sessions.create(s);
        sessions.addMessage("u", new Message("s1", 1, "user", "hi", null, null));
        sessions.get("u", "s1");
        sessions.list("u", 10, null);
        sessions.messages("u", "s1");
        sessions.delete("u", "s1");

        DynamoRunStore runs = new DynamoRunStore(client, tables);
        Run r = new Run("r1", "u", "task", "chat", "u", null, null, "m", RunStatus.RUNNING, null, 0, 0, 0, 0, t,
                null, null);
        runs.create(r);
        runs.addStep(new Step("r1", 1, StepType.MODEL_TURN, null, null, null, "x", null, t, 1, 1, 1));
        runs.addStep(new Step("r1", 1, StepType.MODEL_TURN, null, null, null, "x", null, t, 1, 1, 1));
        runs.requestCancel("u", "r1");
        runs.cancelRequested("r1");
        runs.update(r.withStatus(RunStatus.CANCELLED, null, t.plusSeconds(1), null));
        runs.get("u", "r1");
        runs.steps("u", "r1");
        runs.list(new RunQuery("u", null, null, null, null, 10, null));
        runs.list(new RunQuery("u", RunStatus.CANCELLED, "chat", t.minusSeconds(1), t.plusSeconds(1), 10, null));
        runs.stats(new RunQuery("u", null, "chat", t.minusSeconds(1), null, 10, null));
        assertThat(new HashSet<>(runs.steps("u", "r1"))).hasSize(1);
    }

    private static final class Recorder implements ExecutionInterceptor {
        private final Set<String> sent;

        Recorder(Set<String> sent) {
            this.sent = sent;
        }

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            sent.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
        }
    }
}
