package io.opsagent.adapters.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsagent.core.changes.ChangeOrchestrator;
import io.opsagent.core.changes.ChangeTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code statemachines/remediation.asl.json} on LocalStack's interpreter with a scripted worker: no drift ends at
 * once; each drift found is fixed in the Map (one failing is caught, the others go on) and the outcomes recorded; a
 * check that fails ends the execution failed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemediationControlFlowTest {
    private SfnOrchestrator machine;
    private TaskQueue queue;
    /** execution name → what the scripted check finds ("fail": the check fails). */
    private final Map<String, String> found = new ConcurrentHashMap<>();
    private final Map<String, List<String>> seen = new ConcurrentHashMap<>();
    private final java.util.Set<String> done = ConcurrentHashMap.newKeySet();

    @BeforeAll
    void start() throws Exception {
        LocalStack ls = LocalStack.ensure(LocalStack.checkoutRoot(), LocalStack.testPort());
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String url = ls.sqs().createQueue(r -> r.queueName("drift-tasks-" + suffix)).queueUrl();
        String def = StateMachines.definition(LocalStack.checkoutRoot().resolve("statemachines/remediation.asl.json"),
                Map.of("ChangeTaskQueueUrl", url));
        String arn = ls.sfn().createStateMachine(r -> r.name("remediation-" + suffix).definition(def)
                .roleArn("arn:aws:iam::000000000000:role/x")).stateMachineArn();
        machine = new SfnOrchestrator(ls.sfn(), arn);
        queue = new TaskQueue(ls.sqs(), url, this::answer, 1, 8).start();
    }

    @AfterAll
    void stop() {
        if (queue != null) queue.close();
    }

    private void answer(ChangeTask t) {
        if (!done.add(t.token() + t.step())) return;
        seen.computeIfAbsent(t.changeId(), k -> Collections.synchronizedList(new ArrayList<>()))
                .add(t.step() + (t.item() != null && t.item().has("key") ? " " + t.item().path("key").asText() : "")
                        + (t.step().equals("drift-record") ? " " + t.item().size() : ""));
        switch (t.step()) {
            case "drift-check" -> {
                String f = found.get(t.changeId());
                if ("fail".equals(f)) {
                    machine.fail(t.token(), "Change.Failed", "scripted");
                } else {
                    StringBuilder items = new StringBuilder();
                    int n = 0;
                    for (String key : f.isEmpty() ? new String[0] : f.split(",")) {
                        items.append(n++ == 0 ? "" : ",").append("{\"key\":\"").append(key).append("\",\"type\":\"image\"}");
                    }
                    machine.succeed(t.token(), "{\"count\":" + n + ",\"items\":[" + items + "]}");
                }
            }
            case "drift-fix" -> {
                if (t.item().path("key").asText().contains("bad")) machine.fail(t.token(), "Change.Failed", "scripted");
                else machine.succeed(t.token(), "{\"result\":\"remediated\"}");
            }
            default -> machine.succeed(t.token(), "{\"recorded\":true}");
        }
    }

    private ChangeOrchestrator.Execution run(String finds) throws InterruptedException {
        String name = "drift-" + UUID.randomUUID().toString().substring(0, 8);
        found.put(name, finds);
        machine.start(name, "{}");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            ChangeOrchestrator.Execution e = machine.describe(name);
            if (e != null && !e.status().equals("RUNNING")) return e;
            Thread.sleep(200);
        }
        throw new AssertionError(name + " still running");
    }

    @Test
    void noDriftEndsAtOnce() throws Exception {
        ChangeOrchestrator.Execution e = run("");
        assertThat(e.status()).isEqualTo("SUCCEEDED");
        assertThat(e.states()).extracting(ChangeOrchestrator.StateRun::name).containsExactly("Check for drift", "Any drift?", "No drift");
    }

    @Test
    void eachDriftIsFixedAFailureIsCaughtAndTheOutcomesRecorded() throws Exception {
        ChangeOrchestrator.Execution e = run("shop/Deployment/web,shop/Deployment/bad,shop/Deployment/api");
        assertThat(e.status()).isEqualTo("SUCCEEDED");
        String name = e.arn().substring(e.arn().lastIndexOf(':') + 1);
        assertThat(seen.get(name)).contains("drift-check", "drift-fix shop/Deployment/web", "drift-fix shop/Deployment/bad",
                "drift-fix shop/Deployment/api", "drift-record 3");
        assertThat(e.states()).extracting(ChangeOrchestrator.StateRun::name).contains("Each drift", "Record the check", "Checked");
    }

    @Test
    void aCheckThatFailsEndsFailed() throws Exception {
        ChangeOrchestrator.Execution e = run("fail");
        assertThat(e.status()).isEqualTo("FAILED");
        assertThat(e.error()).isEqualTo("Drift.CheckFailed");
    }
}
