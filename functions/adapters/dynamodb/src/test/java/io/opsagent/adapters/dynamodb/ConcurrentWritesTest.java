package io.opsagent.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsagent.core.runs.Message;
import io.opsagent.core.runs.Run;
import io.opsagent.core.runs.RunQuery;
import io.opsagent.core.runs.RunStatus;
import io.opsagent.core.runs.Session;
import io.opsagent.core.runs.Step;
import io.opsagent.core.runs.StepType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Many conversations writing at once (as under 100 concurrent chat streams): nothing lost, nothing doubled. */
class ConcurrentWritesTest {
    private static final int CONVERSATIONS = 20;
    private static final int STEPS = 4;

    @Test
    void concurrentConversationsStoreEveryRunStepAndMessage() throws Exception {
        TableNames tables = TestDynamo.freshTables();
        DynamoRunStore runs = new DynamoRunStore(TestDynamo.client(), tables);
        DynamoSessionStore sessions = new DynamoSessionStore(TestDynamo.client(), tables);
        Instant t0 = Instant.now();
        ExecutorService pool = Executors.newFixedThreadPool(CONVERSATIONS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < CONVERSATIONS; i++) {
                int c = i;
                done.add(pool.submit(() -> {
                    String user = "user-" + (c % 4);
                    String sid = "s-" + c;
                    sessions.create(new Session(sid, user, "shop/checkout", null, t0, null, null));
                    sessions.addMessage(user, new Message(sid, 1, "user", "why?", "r-" + c, null));
                    Run run = new Run("r-" + c, user, "why?", "chat", user, sid, "shop/checkout", "offline",
                            RunStatus.RUNNING, null, 0, 0, 0, 0, t0.plusMillis(c), null, null);
                    runs.create(run);
                    for (int n = 1; n <= STEPS; n++) {
                        Step step = new Step(run.id(), n, StepType.TOOL_CALL, "diagnose", "{}", "ok " + n, null,
                                null, t0, 1, 0, 0);
                        runs.addStep(step);
                        runs.addStep(step); // a retry under load
                        runs.update(run.withProgress(n, n, n, 0));
                    }
                    runs.update(run.withProgress(STEPS, 1, 1, 0)
                            .withStatus(RunStatus.COMPLETED, "answer", t0.plusSeconds(1), null));
                    sessions.addMessage(user, new Message(sid, 2, "assistant", "answer", "r-" + c, null));
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        long listed = 0;
        for (int u = 0; u < 4; u++) {
            listed += runs.list(new RunQuery("user-" + u, RunStatus.COMPLETED, null, null, null, 200, null))
                    .items().size();
        }
        assertThat(listed).isEqualTo(CONVERSATIONS);
        for (int c = 0; c < CONVERSATIONS; c++) {
            String user = "user-" + (c % 4);
            assertThat(runs.steps(user, "r-" + c)).extracting(Step::number).containsExactly(1, 2, 3, 4);
            assertThat(sessions.messages(user, "s-" + c)).extracting(Message::role)
                    .containsExactly("user", "assistant");
        }
    }
}
