package io.opsagent.core.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsagent.core.actions.ApprovalPolicy;
import io.opsagent.core.agent.model.ScriptedChatModel;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.redact.Redactor;
import io.opsagent.core.runs.Run;
import io.opsagent.core.runs.Step;
import io.opsagent.core.tools.Schema;
import io.opsagent.core.tools.SnapshotProvider;
import io.opsagent.core.tools.Tool;
import io.opsagent.core.tools.ToolContext;
import io.opsagent.core.tools.ToolNames;
import io.opsagent.core.tools.ToolRegistry;
import io.opsagent.core.tools.ToolResult;
import io.opsagent.core.tools.ToolSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A user whose RBAC lets them change nothing in the namespace is not offered the write tools, and a model that calls
 * one anyway gets an error: the tool never runs.
 */
class WriteToolsFollowRbacTest {
    @Test
    void aWriteToolTheUserIsNotOfferedNeverRuns() {
        AtomicInteger ran = new AtomicInteger();
        Tool propose = new Tool() {
            @Override
            public ToolSpec spec() {
                return new ToolSpec(ToolNames.PROPOSE_CHANGE, "proposes", Schema.object().build());
            }

            @Override
            public ToolResult call(ObjectNode args, ToolContext context) {
                ran.incrementAndGet();
                return ToolResult.ok("proposed", "proposed", null, List.of());
            }
        };
        ClusterSnapshot demo = Demo.snapshot();
        SnapshotProvider readOnly = new SnapshotProvider() {
            @Override
            public ClusterSnapshot snapshot() {
                return demo;
            }

            @Override
            public boolean mayChange(String namespace) {
                return false;
            }
        };
        List<String> offered = new java.util.concurrent.CopyOnWriteArrayList<>();
        ScriptedChatModel model = ScriptedChatModel.of(req -> {
            req.tools().forEach(t -> offered.add(t.name()));
            return ScriptedChatModel.call("c1", ToolNames.PROPOSE_CHANGE, "{}").apply(req);
        }, ScriptedChatModel.answer("done"));
        InMemoryRunStore runs = new InMemoryRunStore();
        ConversationEngine engine = new ConversationEngine(model, new ToolRegistry(List.of(propose)), readOnly, runs,
                new InMemorySessionStore(), Redactor.standard(), EngineConfig.defaults(), Clock.systemUTC())
                .withActions(new io.opsagent.core.actions.ActionService(null, null, null,
                        new ApprovalPolicy(null, true, Set.of(), Duration.ofMinutes(15)), readOnly, Clock.systemUTC(), Runnable::run, null));
        Run run = engine.askOnce("vera", "shop/cart", "scale cart to 3", "chat", e -> { });
        assertThat(offered).doesNotContain(ToolNames.PROPOSE_CHANGE);
        assertThat(ran.get()).isZero();
        List<Step> steps = runs.steps("vera", run.id());
        assertThat(steps.stream().filter(s -> ToolNames.PROPOSE_CHANGE.equals(s.toolName())).findFirst().orElseThrow().error())
                .contains("is not offered to vera here").contains("read tools only");
    }
}
