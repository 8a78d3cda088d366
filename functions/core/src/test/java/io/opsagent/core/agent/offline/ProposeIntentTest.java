package io.opsagent.core.agent.offline;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsagent.core.agent.model.ToolCall;
import io.opsagent.core.agent.model.ToolResultBlock;
import io.opsagent.core.tools.ToolNames;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** After the diagnosis, the change a question asks for becomes a proposal (only where the write tools are). */
class ProposeIntentTest {
    private static final List<ToolResultBlock> DIAGNOSED = List.of(
            new ToolResultBlock("c1", ToolNames.DIAGNOSE, "Diagnosis of shop/cart: 1 findings", false, null, List.of()));

    private static List<ToolCall> next(String question, Set<String> tools) {
        OfflineAnalyst.Conversation c = new OfflineAnalyst.Conversation("shop/cart", null, question, null, null, DIAGNOSED, tools);
        return OfflineAnalyst.followUp(IntentRules.classify(question, null), c);
    }

    private static final Set<String> WRITE = Set.of(ToolNames.DIAGNOSE, ToolNames.PROPOSE_CHANGE, ToolNames.PROPOSE_FIX);

    @Test
    void eachRequestBecomesItsProposal() {
        assertThat(IntentRules.classify("fix it", null).kind()).isEqualTo(Intent.Kind.WRITE);
        assertThat(IntentRules.classify("how do I fix it?", null).kind()).isEqualTo(Intent.Kind.FIX);
        assertThat(next("fix it", WRITE)).singleElement().satisfies(c -> assertThat(c.name()).isEqualTo(ToolNames.PROPOSE_FIX));
        assertThat(next("please scale it to 5", WRITE)).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo(ToolNames.PROPOSE_CHANGE);
            assertThat(c.arguments().toString()).isEqualTo("{\"action\":\"scale\",\"params\":{\"replicas\":5}}");
        });
        assertThat(next("raise the memory limit to 2Gi", WRITE)).singleElement().satisfies(c ->
                assertThat(c.arguments().toString()).isEqualTo("{\"action\":\"set-resources\",\"params\":{\"limits\":{\"memory\":\"2Gi\"}}}"));
        assertThat(next("restart it", WRITE)).singleElement().satisfies(c ->
                assertThat(c.arguments().path("action").asText()).isEqualTo("restart"));
        assertThat(next("roll back to revision 3", WRITE)).singleElement().satisfies(c ->
                assertThat(c.arguments().toString()).isEqualTo("{\"action\":\"rollback\",\"params\":{\"revision\":3}}"));
        assertThat(next("set the image to shop/cart:1.4.2", WRITE)).singleElement().satisfies(c ->
                assertThat(c.arguments().toString()).isEqualTo("{\"action\":\"set-image\",\"params\":{\"image\":\"shop/cart:1.4.2\"}}"));
        // no write tools (a dump): nothing proposed; the answer gives the commands instead
        assertThat(next("restart it", Set.of(ToolNames.DIAGNOSE))).isEmpty();
    }
}
