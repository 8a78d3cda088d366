package io.opsagent.core.agent.offline;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsagent.core.agent.model.ToolCall;
import io.opsagent.core.agent.model.ToolResultBlock;
import io.opsagent.core.tools.ToolNames;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** "show pending approvals", "what changes are running?", "cancel the change": the tools called and the answer. */
class ChangeIntentsTest {
    private static final Set<String> CHAIN = Set.of(ToolNames.DIAGNOSE, ToolNames.LIST_APPROVALS, ToolNames.LIST_CHANGES,
            ToolNames.CANCEL_CHANGE);

    private static List<ToolCall> plan(String q, Set<String> tools) {
        return OfflineAnalyst.plan(IntentRules.classify(q, null),
                new OfflineAnalyst.Conversation("shop/web", null, q, null, null, List.of(), tools));
    }

    @Test
    void eachQuestionCallsItsToolAndTheAnswerIsTheToolsText() {
        assertThat(plan("show pending approvals", CHAIN)).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo(ToolNames.LIST_APPROVALS);
            assertThat(c.arguments().toString()).isEqualTo("{\"all\":true}");
        });
        assertThat(plan("what changes are running?", CHAIN)).singleElement().satisfies(c ->
                assertThat(c.arguments().toString()).isEqualTo("{\"running\":true,\"all\":true}"));
        assertThat(plan("cancel the change", CHAIN)).singleElement().satisfies(c ->
                assertThat(c.name()).isEqualTo(ToolNames.CANCEL_CHANGE));
        // no change chain here: nothing to call, and the answer says why
        assertThat(plan("cancel the change", Set.of(ToolNames.DIAGNOSE))).isEmpty();
        String none = new Composer("shop/web", List.of(), null).compose(Intent.of(Intent.Kind.CANCEL));
        assertThat(none).contains("## Cancel the change", "no change chain here");
        String listed = new Composer("shop/web", List.of(new ToolResultBlock("c1", ToolNames.LIST_CHANGES,
                "- chg-1 [monitoring] set-image shop/Deployment/web, asked by bob: executed as carol", false, null, List.of())),
                null).compose(Intent.of(Intent.Kind.CHANGE_RUNS));
        assertThat(listed).contains("## Changes running", "chg-1 [monitoring]");
        String failed = new Composer("shop/web", List.of(new ToolResultBlock("c1", ToolNames.CANCEL_CHANGE,
                "not cancelled: dave may not cancel chg-1", true, null, List.of())), null).compose(Intent.of(Intent.Kind.CANCEL));
        assertThat(failed).contains("dave may not cancel chg-1");
    }
}
