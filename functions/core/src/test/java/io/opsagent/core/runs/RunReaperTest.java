package io.opsagent.core.runs;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsagent.core.agent.InMemoryRunStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunReaperTest {
    static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    final InMemoryRunStore runs = new InMemoryRunStore();
    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    Run run(String id, String owner, Instant started, Instant beat) {
        Run r = new Run(id, "alice", "q", "chat", "alice", "s1", "shop/web", "m", RunStatus.RUNNING, null, 2, 10, 5,
                0.0, started, null, null, owner, beat);
        runs.create(r);
        runs.addStep(new Step(id, 1, StepType.MODEL_TURN, null, null, null, "t", null, started, 1, 10, 5));
        runs.addStep(new Step(id, 2, StepType.TOOL_CALL, "x", "{}", "r", null, null, started, 1, 0, 0));
        return r;
    }

    @Test
    void exclusiveStoreEndsEveryRunOfAnotherOwnerWithASystemStep() {
        run("a", "pid1-old", NOW.minusSeconds(5), NOW.minusSeconds(1));
        run("b", "me", NOW.minusSeconds(5), NOW.minusSeconds(1));
        run("c", null, NOW.minusSeconds(5), null);
        RunReaper reaper = new RunReaper(runs, clock, "me", true, Duration.ofMinutes(15), Duration.ofMinutes(5));
        assertThat(reaper.sweep()).isEqualTo(2);
        Run a = runs.get("alice", "a").orElseThrow();
        assertThat(a.status()).isEqualTo(RunStatus.FAILED);
        assertThat(a.error()).contains(RunReaper.SERVER_STOPPED).contains("pid1-old");
        assertThat(a.completed()).isEqualTo(NOW);
        List<Step> steps = runs.steps("alice", "a");
        assertThat(steps).hasSize(3);
        assertThat(steps.get(2).type()).isEqualTo(StepType.SYSTEM);
        assertThat(steps.get(2).text()).contains(RunReaper.SERVER_STOPPED);
        assertThat(runs.get("alice", "b").orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
        assertThat(runs.get("alice", "c").orElseThrow().status()).isEqualTo(RunStatus.FAILED);
        assertThat(reaper.sweep()).isZero();
    }

    @Test
    void sharedStoreEndsRunsPastTheirTimeoutOrWithAStaleHeartbeatOnly() {
        Run fresh = run("fresh", "other", NOW.minusSeconds(60), NOW.minusSeconds(10));
        Run old = run("old", "other", NOW.minus(Duration.ofMinutes(20)), NOW.minusSeconds(10));
        Run silent = run("silent", "other", NOW.minusSeconds(400), NOW.minusSeconds(301));
        RunReaper reaper = new RunReaper(runs, clock, "me", false, Duration.ofMinutes(15), Duration.ofMinutes(5));
        assertThat(reaper.orphaned(fresh)).isFalse();
        assertThat(reaper.orphaned(old)).isTrue();
        assertThat(reaper.orphaned(silent)).isTrue();
        assertThat(reaper.checked(fresh).status()).isEqualTo(RunStatus.RUNNING);
        assertThat(reaper.checked(old).status()).isEqualTo(RunStatus.FAILED);
        assertThat(reaper.sweep()).isEqualTo(1);
        assertThat(runs.get("alice", "silent").orElseThrow().error()).contains("no heartbeat since");
    }

    @Test
    void aRunThatEndedMeanwhileKeepsItsOwnEnd() {
        Run r = run("r", "other", NOW.minusSeconds(5), NOW);
        runs.update(r.withStatus(RunStatus.COMPLETED, "answer", NOW, null));
        RunReaper reaper = new RunReaper(runs, clock, "me", true, Duration.ofMinutes(15), Duration.ofMinutes(5));
        assertThat(reaper.end(r, RunStatus.FAILED, "x")).isEmpty();
        assertThat(runs.get("alice", "r").orElseThrow().status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(runs.update(r.withProgress(3, 0, 0, 0))).as("a progress write after the end").isFalse();
    }
}
