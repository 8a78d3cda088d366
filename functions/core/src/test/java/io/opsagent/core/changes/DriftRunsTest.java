package io.opsagent.core.changes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opsagent.core.agent.InMemoryRunStore;
import io.opsagent.core.redact.Redactor;
import io.opsagent.core.runs.Run;
import io.opsagent.core.runs.RunStatus;
import io.opsagent.core.runs.Step;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A drift check's outcomes become runs of the approvers the remediations ran as: whole, once, redacted. */
class DriftRunsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T10:00:00Z"), ZoneOffset.UTC);

    private static IntendedState intent(String name, String approver) {
        return new IntendedState("shop", "Deployment", name, Map.of(name, name + ":2"), 2, null, "chg-" + name,
                "ab".repeat(32), approver, List.of(), CLOCK.instant());
    }

    @Test
    void oneRunPerApproverWithAStepPerDriftAndAFailedStepFailsItsRun() throws Exception {
        IntendedStateStore intents = new IntendedStateStore.InMemory();
        intents.put(intent("web", "carol"));
        intents.put(intent("api", "carol"));
        intents.put(intent("cart", "alice"));
        InMemoryRunStore runs = new InMemoryRunStore();
        DriftRuns dr = new DriftRuns(runs, intents, Redactor.standard(), CLOCK, "inst-1");
        JsonNode outcomes = new ObjectMapper().readTree("""
                [{"result":"remediated","key":"shop/Deployment/web","type":"image","detail":"container web runs hand:1",
                  "why":"restored as carol","proposalId":"act-1"},
                 {"result":"escalated","key":"shop/Deployment/api","type":"replicas","detail":"api has 5 replicas",
                  "why":"inside a freeze; proposed for approval: act-2 password=hunter2hunter2","proposalId":"act-2"},
                 {"result":"error","item":{"key":"shop/Deployment/cart","type":"image"},
                  "error":{"Error":"Change.Transient","Cause":"the API server did not answer"}},
                 {"result":"remediated","key":"shop/Deployment/gone","type":"image","why":"x"}]""");
        List<Run> written = dr.record("drift-1", outcomes);
        // the check, OpsAgent's (the schedule started it), with every drift; then each approver's
        assertThat(written).extracting(Run::user).containsExactly("opsagent", "carol", "alice"); // no intent for "gone": nobody's
        assertThat(runs.steps("opsagent", "drift-1")).hasSize(4);
        Run carol = runs.get("carol", "drift-1-carol").orElseThrow();
        assertThat(carol.source()).isEqualTo("remediation");
        assertThat(carol.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(carol.workload()).isNull(); // two workloads
        assertThat(carol.steps()).isEqualTo(2);
        assertThat(carol.finalAnswer()).contains("**remediated** image drift of `shop/Deployment/web`: container web runs hand:1; restored as carol",
                "**escalated** replicas drift").doesNotContain("hunter2hunter2");
        List<Step> steps = runs.steps("carol", "drift-1-carol");
        assertThat(steps).extracting(Step::toolName).containsExactly("remediate_drift", "escalate_drift");
        assertThat(steps.get(1).result()).doesNotContain("hunter2hunter2");
        Run alice = runs.get("alice", "drift-1-alice").orElseThrow();
        assertThat(alice.status()).isEqualTo(RunStatus.FAILED);
        assertThat(alice.workload()).isEqualTo("shop/cart");
        assertThat(runs.steps("alice", "drift-1-alice").get(0).error()).isEqualTo("the API server did not answer");
        assertThat(runs.get("alice", "drift-1-carol")).isEmpty(); // each sees their own
        // a redelivered step writes nothing twice, and no run is left running
        assertThat(dr.record("drift-1", outcomes)).isEmpty();
        assertThat(runs.running()).isEmpty();
    }

    @Test
    void aCheckSomeoneStartedIsTheirsAndACheckWithoutDriftIsARunToo() throws Exception {
        IntendedStateStore intents = new IntendedStateStore.InMemory();
        intents.put(intent("web", "carol"));
        intents.put(intent("cart", "alice"));
        InMemoryRunStore runs = new InMemoryRunStore();
        DriftRuns dr = new DriftRuns(runs, intents, Redactor.standard(), CLOCK, "inst-1");
        JsonNode outcomes = new ObjectMapper().readTree("""
                [{"result":"remediated","key":"shop/Deployment/web","type":"image","why":"restored as carol"},
                 {"result":"escalated","key":"shop/Deployment/cart","type":"replicas","why":"policy"}]""");
        assertThat(DriftRuns.starter("drift-2-by-carol")).isEqualTo("carol");
        assertThat(DriftRuns.starter("drift-2")).isEqualTo("opsagent");
        // carol started it: the check is her run (with both drifts); she gets no second run; alice gets hers
        assertThat(dr.record("drift-2-by-carol", outcomes)).extracting(Run::id)
                .containsExactly("drift-2-by-carol", "drift-2-by-carol-alice");
        assertThat(runs.steps("carol", "drift-2-by-carol")).hasSize(2);
        Run none = dr.recordNone("drift-3-by-alice", 2);
        assertThat(none.user()).isEqualTo("alice");
        assertThat(none.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(none.finalAnswer()).isEqualTo("Drift check `drift-3-by-alice`: 2 intended states compared; no drift.");
        assertThat(runs.steps("alice", "drift-3-by-alice")).singleElement()
                .satisfies(st -> assertThat(st.toolName()).isEqualTo("check_drift"));
        assertThat(dr.recordNone("drift-3-by-alice", 2).id()).isEqualTo("drift-3-by-alice"); // once
        assertThat(runs.running()).isEmpty();
    }
}
