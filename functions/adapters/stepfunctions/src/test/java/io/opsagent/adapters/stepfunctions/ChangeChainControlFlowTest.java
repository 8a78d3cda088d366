package io.opsagent.adapters.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsagent.core.changes.ChangeOrchestrator;
import io.opsagent.core.changes.ChangeTask;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Every branch of {@code statemachines/change.asl.json} on LocalStack's Step Functions interpreter (an independent
 * one, not ours): the definition file as deployed, its task tokens answered over the real API by a scripted worker
 * that reads the real queue. Proves the control flow: approved; refused by policy; rejected; approval expired
 * (TimeoutSeconds); approval lost (HeartbeatSeconds); execute fails then succeeds on retry; stale; monitor fails →
 * rollback; rollback fails → escalation; inconclusive → escalation; a repeated start is one execution.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChangeChainControlFlowTest {
    private SfnClient sfn;
    private SqsClient sqs;
    private SfnOrchestrator chain;
    private TaskQueue queue;
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
    /** changeId → step → replies in order (the last repeats). */
    private final Map<String, Map<String, Deque<Reply>>> script = new ConcurrentHashMap<>();
    /** changeId → the steps received, in order, with their outcome where they carry one. */
    private final Map<String, List<String>> seen = new ConcurrentHashMap<>();

    /** How the scripted worker answers a step. */
    record Reply(String kind, String value) {
        static Reply ok(String json) {
            return new Reply("ok", json);
        }

        static Reply fail(String error) {
            return new Reply("fail", error);
        }

        /** Heartbeats every 300 ms and never answers. */
        static Reply hold() {
            return new Reply("hold", null);
        }

        /** Never answers, never heartbeats. */
        static Reply silent() {
            return new Reply("silent", null);
        }
    }



    @BeforeAll
    void start() throws Exception {
        LocalStack ls = LocalStack.ensure(LocalStack.checkoutRoot(), LocalStack.testPort());
        sfn = ls.sfn();
        sqs = ls.sqs();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String queueUrl = sqs.createQueue(r -> r.queueName("change-tasks-" + suffix)).queueUrl();
        String definition = StateMachines.definition(LocalStack.checkoutRoot().resolve("statemachines/change.asl.json"),
                Map.of("ChangeTaskQueueUrl", queueUrl));
        String arn = sfn.createStateMachine(r -> r.name("change-" + suffix).definition(definition)
                .roleArn("arn:aws:iam::000000000000:role/opsagent-change-chain")).stateMachineArn();
        chain = new SfnOrchestrator(sfn, arn);
        queue = new TaskQueue(sqs, queueUrl, this::answer, 1, 16).start();
    }

    @AfterAll
    void stop() {
        if (queue != null) queue.close();
        timers.shutdownNow();
    }

    /** Tokens answered with a success: a redelivery of their message is dropped, as the real worker does. */
    private final java.util.Set<String> done = ConcurrentHashMap.newKeySet();

    private void answer(ChangeTask t) {
        if (done.contains(t.token())) return; // SQS delivers at least once
        seen.computeIfAbsent(t.changeId(), k -> Collections.synchronizedList(new ArrayList<>()))
                .add(t.step() + (t.outcome() == null ? "" : ":" + t.outcome()));
        Deque<Reply> replies = script.getOrDefault(t.changeId(), Map.of()).get(t.step());
        Reply r = replies == null || replies.isEmpty() ? Reply.ok(t.step().equals("approval") // as ChangeService answers
                ? "{\"approvedBy\":\"carol\",\"notBefore\":\"" + java.time.Instant.now() + "\"}" : "{\"ok\":true}")
                : replies.size() > 1 ? replies.poll() : replies.peek();
        switch (r.kind()) {
            case "ok" -> {
                chain.succeed(t.token(), r.value());
                done.add(t.token());
            }
            case "fail" -> chain.fail(t.token(), r.value(), "scripted " + r.value() + " for " + t.step());
            case "hold" -> {
                var beat = timers.scheduleAtFixedRate(() -> {
                    try {
                        chain.heartbeat(t.token());
                    } catch (ChangeOrchestrator.TokenGone gone) {
                        throw gone; // stops this timer
                    }
                }, 0, 300, TimeUnit.MILLISECONDS);
                timers.schedule(() -> beat.cancel(false), 30, TimeUnit.SECONDS);
            }
            default -> { }
        }
    }

    private String run(Map<String, List<Reply>> replies, String timeouts) {
        String id = "chg-" + UUID.randomUUID().toString().substring(0, 12);
        Map<String, Deque<Reply>> m = new ConcurrentHashMap<>();
        replies.forEach((step, rs) -> m.put(step, new ArrayDeque<>(rs)));
        script.put(id, m);
        chain.start(id, "{\"changeId\":\"" + id + "\",\"correlationId\":\"corr-" + id + "\",\"timeouts\":" + timeouts + "}");
        return id;
    }

    private static final String TIMEOUTS = "{\"step\":30,\"approval\":60,\"approvalHeartbeat\":30,\"monitor\":60,\"monitorHeartbeat\":30}";

    private ChangeOrchestrator.Execution finished(String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            ChangeOrchestrator.Execution e = chain.describe(id);
            if (e != null && !e.status().equals("RUNNING")) return e;
            Thread.sleep(200);
        }
        throw new AssertionError("execution " + id + " still running after 60 s: " + chain.describe(id));
    }

    private static List<String> names(ChangeOrchestrator.Execution e) {
        return e.states().stream().map(ChangeOrchestrator.StateRun::name).toList();
    }

    private static final String SUCCESSFUL = "{\"result\":\"Successful\"}";

    @Test
    void anApprovalWithAWindowWaitsForItsStartBeforeExecuting() throws Exception {
        java.time.Instant start = java.time.Instant.now().plusSeconds(6);
        String id = run(Map.of("approval", List.of(Reply.ok("{\"approvedBy\":\"carol\",\"notBefore\":\"" + start + "\"}")),
                "monitor", List.of(Reply.ok(SUCCESSFUL))), TIMEOUTS);
        ChangeOrchestrator.Execution e = finished(id);
        assertThat(e.status()).isEqualTo("SUCCEEDED");
        ChangeOrchestrator.StateRun window = e.states().stream().filter(x -> x.name().equals("Wait for the approved window"))
                .findFirst().orElseThrow();
        ChangeOrchestrator.StateRun execute = e.states().stream().filter(x -> x.name().equals("Execute")).findFirst().orElseThrow();
        assertThat(window.type()).isEqualTo("Wait");
        // it waits (LocalStack's Wait wakes a second or two before the timestamp: ChangeService's Execute holds the
        // rest, see ChangeWindowTest and RealClusterChangesHttpTest)
        assertThat(java.time.Duration.between(window.enteredAt(), execute.enteredAt())).isGreaterThan(java.time.Duration.ofSeconds(2));
    }

    @Test
    void approvedChangeRunsEveryStepAndSucceeds() throws Exception {
        String id = run(Map.of("monitor", List.of(Reply.ok(SUCCESSFUL))), TIMEOUTS);
        ChangeOrchestrator.Execution e = finished(id);
        assertThat(e.status()).isEqualTo("SUCCEEDED");
        assertThat(names(e)).containsExactly("Validate", "Gather evidence", "Wait for approval", "Wait for the approved window",
                "Execute", "Monitor",
                "Analysis result", "Record intended state", "Change succeeded");
        assertThat(seen.get(id)).containsExactly("validate", "evidence", "approval", "execute", "monitor", "record");
        assertThat(e.currentState()).isNull();
        // the console's view: each state with its (small) input and output
        ChangeOrchestrator.StateRun monitor = e.states().get(5);
        assertThat(monitor.output()).contains("\"result\":\"Successful\"");
        assertThat(monitor.input()).contains(id).hasSizeLessThan(2000);
    }

    @Test
    void refusedByPolicyEndsBeforeAnyApproval() throws Exception {
        String id = run(Map.of("validate", List.of(Reply.fail("Change.Rejected"))), TIMEOUTS);
        ChangeOrchestrator.Execution e = finished(id);
        assertThat(e.status()).isEqualTo("FAILED");
        assertThat(e.error()).isEqualTo("Change.NotApplied");
        assertThat(names(e)).containsExactly("Validate", "Refused by policy", "Record outcome", "Change did not happen");
        assertThat(seen.get(id)).containsExactly("validate", "finish:refused");
    }

    @Test
    void rejectedByTheApproverIsRecordedAndNothingExecutes() throws Exception {
        String id = run(Map.of("approval", List.of(Reply.fail("Change.ApprovalRejected"))), TIMEOUTS);
        ChangeOrchestrator.Execution e = finished(id);
        assertThat(e.status()).isEqualTo("FAILED");
        assertThat(seen.get(id)).containsExactly("validate", "evidence", "approval", "finish:rejected");
    }

    @Test
    void anUndecidedApprovalExpires() throws Exception {
        String id = run(Map.of("approval", List.of(Reply.hold())),
                "{\"step\":30,\"approval\":2,\"approvalHeartbeat\":1,\"monitor\":60,\"monitorHeartbeat\":30}");
        ChangeOrchestrator.Execution e = finished(id);
        assertThat(names(e)).contains("Approval expired");
        assertThat(seen.get(id)).containsExactly("validate", "evidence", "approval", "finish:approval-expired");
        assertThat(e.states().stream().filter(s -> s.name().equals("Wait for approval")).findFirst().orElseThrow().error())
                .isEqualTo("States.Timeout");
    }

    @Test
    void anApprovalRequestNobodyHoldsAnyMoreEndsOnItsHeartbeat() throws Exception {
        long t0 = System.nanoTime();
        String id = run(Map.of("approval", List.of(Reply.silent())),
                "{\"step\":30,\"approval\":60,\"approvalHeartbeat\":1,\"monitor\":60,\"monitorHeartbeat\":30}");
        ChangeOrchestrator.Execution e = finished(id);
        // ended by the 1 s heartbeat, long before the 60 s expiry
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
        ChangeOrchestrator.StateRun wait = e.states().stream().filter(s -> s.name().equals("Wait for approval"))
                .findFirst().orElseThrow();
        // AWS names it States.HeartbeatTimeout (caught first: "Approval request lost"); LocalStack 4.14 reports every
        // task timeout as States.Timeout, so there the expiry's catch takes it (the worker's finish step tells the two
        // apart by the approval's expiry time)
        assertThat(wait.error()).isIn("States.HeartbeatTimeout", "States.Timeout");
        assertThat(names(e)).containsAnyOf("Approval request lost", "Approval expired");
        assertThat(seen.get(id)).hasSize(4).startsWith("validate", "evidence", "approval");
        assertThat(seen.get(id).get(3)).isIn("finish:approval-lost", "finish:approval-expired");
    }

    @Test
    void aTransientExecuteFailureIsRetriedAndTheChangeSucceeds() throws Exception {
        String id = run(Map.of("execute", List.of(Reply.fail("Change.Transient"), Reply.ok("{\"ok\":true}")),
                "monitor", List.of(Reply.ok(SUCCESSFUL))), TIMEOUTS);
        ChangeOrchestrator.Execution e = finished(id);
        assertThat(e.status()).isEqualTo("SUCCEEDED");
        assertThat(seen.get(id)).containsSubsequence("validate", "evidence", "approval", "execute", "execute", "monitor", "record");
        // AWS gives each attempt a new token; LocalStack 4.14 reuses the failed attempt's token and replays its failure
        // once more on the retry (a third attempt, still within MaxAttempts 2 retries): 2 attempts on AWS, 3 here
        assertThat(e.states().stream().filter(s -> s.name().equals("Execute")).findFirst().orElseThrow().attempts())
                .isBetween(2, 3);
    }

    @Test
    void aStaleTargetStopsTheChange() throws Exception {
        String id = run(Map.of("execute", List.of(Reply.fail("Change.Stale"))), TIMEOUTS);
        ChangeOrchestrator.Execution e = finished(id);
        assertThat(e.status()).isEqualTo("FAILED");
        assertThat(seen.get(id)).containsExactly("validate", "evidence", "approval", "execute", "finish:stale");
    }

    @Test
    void aFailedAnalysisRollsBack() throws Exception {
        String id = run(Map.of("monitor", List.of(Reply.ok("{\"result\":\"Failed\"}"))), TIMEOUTS);
        ChangeOrchestrator.Execution e = finished(id);
        assertThat(e.error()).isEqualTo("Change.RolledBack");
        assertThat(names(e)).containsSubsequence("Monitor", "Analysis result", "Roll back", "Rolled back");
        assertThat(seen.get(id)).containsExactly("validate", "evidence", "approval", "execute", "monitor", "rollback");
    }

    @Test
    void aFailedRollbackEscalates() throws Exception {
        String id = run(Map.of("monitor", List.of(Reply.ok("{\"result\":\"Failed\"}")),
                "rollback", List.of(Reply.fail("Change.Failed"))), TIMEOUTS);
        ChangeOrchestrator.Execution e = finished(id);
        assertThat(e.error()).isEqualTo("Change.Escalated");
        assertThat(seen.get(id)).containsExactly("validate", "evidence", "approval", "execute", "monitor", "rollback",
                "escalate:rollback-failed");
    }

    @Test
    void anInconclusiveAnalysisEscalates() throws Exception {
        String id = run(Map.of("monitor", List.of(Reply.ok("{\"result\":\"Inconclusive\"}"))), TIMEOUTS);
        ChangeOrchestrator.Execution e = finished(id);
        assertThat(e.error()).isEqualTo("Change.Escalated");
        assertThat(seen.get(id)).containsExactly("validate", "evidence", "approval", "execute", "monitor",
                "escalate:inconclusive");
    }

    @Test
    void aRepeatedStartIsOneExecution() throws Exception {
        String id = run(Map.of("monitor", List.of(Reply.ok(SUCCESSFUL))), TIMEOUTS);
        String again = chain.start(id, "{\"changeId\":\"" + id + "\",\"correlationId\":\"corr-" + id + "\",\"timeouts\":" + TIMEOUTS + "}");
        assertThat(again).isEqualTo(chain.executionArn(id));
        finished(id);
        assertThat(seen.get(id)).containsExactly("validate", "evidence", "approval", "execute", "monitor", "record");
        assertThat(sfn.listExecutions(r -> r.stateMachineArn(chain.stateMachineArn())).executions().stream()
                .filter(x -> x.name().equals(id)).count()).isEqualTo(1);
    }
}
