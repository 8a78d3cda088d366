package io.opsagent.core.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsagent.core.access.Project;
import io.opsagent.core.access.Projects;
import io.opsagent.core.access.Role;
import io.opsagent.core.agent.model.ModelEvent;
import io.opsagent.core.agent.model.ScriptedChatModel;
import io.opsagent.core.agent.model.StopReason;
import io.opsagent.core.agent.model.ToolCall;
import io.opsagent.core.redact.Redactor;
import io.opsagent.core.runs.Run;
import io.opsagent.core.runs.Step;
import io.opsagent.core.runs.StepType;
import io.opsagent.core.tools.SnapshotProvider;
import io.opsagent.core.tools.Tool;
import io.opsagent.core.tools.ToolContext;
import io.opsagent.core.tools.ToolRegistry;
import io.opsagent.core.tools.ToolResult;
import io.opsagent.core.tools.ToolSpec;
import io.opsagent.core.tools.cluster.ClusterTools;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Every read tool, asked by a model about another project's namespace (a log line could tell it to): none runs, each
 * answers the same refusal, whether that namespace exists or not; asked about the user's own namespace, each runs.
 */
class IsolationSuiteTest {
    /** Tool runs about a namespace given in the arguments (the context builder's own reads of the session are not). */
    private final AtomicInteger ran = new AtomicInteger();

    /** The real tool, counting its runs. */
    private Tool counted(Tool t) {
        return new Tool() {
            @Override
            public ToolSpec spec() {
                return t.spec();
            }

            @Override
            public ToolResult call(ObjectNode args, ToolContext c) throws Exception {
                if (args.has("namespace")) ran.incrementAndGet();
                return t.call(args, c);
            }
        };
    }

    private List<Step> callEveryTool(String namespace) {
        List<Tool> tools = new ArrayList<>();
        ClusterTools.all().forEach(t -> tools.add(counted(t)));
        ScriptedChatModel model = ScriptedChatModel.of(req -> {
            List<ModelEvent> events = new ArrayList<>();
            int i = 0;
            for (var d : req.tools()) {
                ObjectNode args = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("namespace", namespace);
                if (d.name().equals(io.opsagent.core.tools.ToolNames.SEARCH_LOGS)) args.putArray("keywords").add("error");
                events.add(new ModelEvent.ToolUse(new ToolCall("c" + i++, d.name(), args)));
            }
            events.add(new ModelEvent.Usage(0, 0));
            events.add(new ModelEvent.Stop(StopReason.TOOL_USE, null));
            return events;
        }, ScriptedChatModel.answer("done"));
        Projects projects = new Projects(List.of(new Project("shop", List.of("shop"), Map.of("bob", Role.OPERATOR), Map.of()),
                new Project("payments", List.of("payments"), Map.of("dave", Role.ADMIN), Map.of())));
        InMemoryRunStore runs = new InMemoryRunStore();
        ConversationEngine engine = new ConversationEngine(model, new ToolRegistry(tools), SnapshotProvider.of(Demo.snapshot()), runs,
                new InMemorySessionStore(), Redactor.standard(), EngineConfig.defaults(), Clock.systemUTC()).withProjects(projects);
        Run run = engine.askOnce("bob", "shop/cart", "look around", "chat", e -> { });
        return runs.steps("bob", run.id()).stream().filter(s -> s.type() == StepType.TOOL_CALL).toList();
    }

    @Test
    void noToolReadsAnotherProjectsNamespaceNorSaysWhetherItExists() {
        List<Step> other = callEveryTool("payments");
        assertThat(other).hasSize(ClusterTools.all().size());
        assertThat(ran.get()).isZero();
        assertThat(other).allSatisfy(s -> assertThat(s.error()).isEqualTo("namespace 'payments' is not one bob may read"));
        List<Step> missing = callEveryTool("no-such-namespace");
        assertThat(ran.get()).isZero();
        assertThat(missing).allSatisfy(s -> assertThat(s.error()).isEqualTo("namespace 'no-such-namespace' is not one bob may read"));
    }

    @Test
    void everyToolRunsInTheUsersOwnNamespace() {
        List<Step> own = callEveryTool("shop");
        assertThat(ran.get()).isEqualTo(ClusterTools.all().size());
        assertThat(own).allSatisfy(s -> assertThat(String.valueOf(s.error())).doesNotContain("may read"));
    }
}
