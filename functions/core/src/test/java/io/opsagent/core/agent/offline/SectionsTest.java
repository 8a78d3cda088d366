package io.opsagent.core.agent.offline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SectionsTest {
    private static final String Q = "Alert KubePodCrashLooping fired: Pod is crash looping. Why is shop/cart crash-looping, and what"
            + " fixes it? Start with diagnose. Answer in sections: What fired; Root cause with evidence; Impact; Next steps;"
            + " Proposed actions.";
    private static final String ANSWER = "## Root cause: CrashLoopBackOff — Deployment shop/cart\n\nREDIS_URL is not set [shop/cart-x/logs.txt:3]\n"
            + "\n**Fix**\n1. Set REDIS_URL in the pod template\n2. kubectl rollout restart deployment/cart -n shop\n"
            + "\n_State: 2 pods, 0 ready, 14 restarts._ [shop/deployments.json:items[0].status]\n";

    @Test
    void anAlertAnswerIsArrangedInTheSectionsItsQuestionAsks() {
        String out = Sections.apply(Q, ANSWER);
        assertThat(out).startsWith("## What fired\n\nAlert KubePodCrashLooping fired: Pod is crash looping.\n");
        assertThat(out).containsSubsequence("## What fired", "## Root cause with evidence", "### Root cause: CrashLoopBackOff",
                "REDIS_URL is not set [shop/cart-x/logs.txt:3]", "## Impact", "_State: 2 pods, 0 ready, 14 restarts._",
                "## Next steps", "1. Set REDIS_URL in the pod template", "2. kubectl rollout restart", "## Proposed actions",
                "None yet");
        // the fix and the state line moved to their sections, not repeated under the root cause
        assertThat(out.indexOf("**Fix**")).isEqualTo(-1);
        assertThat(out.split("_State:", -1)).hasSize(2);
    }

    @Test
    void aQuestionWithoutSectionsIsAnsweredAsComposed() {
        assertThat(Sections.apply("why is cart failing?", ANSWER)).isEqualTo(ANSWER);
        assertThat(Sections.apply(null, ANSWER)).isEqualTo(ANSWER);
    }
}
