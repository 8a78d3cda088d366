package io.opsagent.core.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsagent.core.access.Project;
import io.opsagent.core.access.Projects;
import io.opsagent.core.access.Role;
import io.opsagent.core.actions.ApprovalPolicy;
import io.opsagent.core.agent.model.ScriptedChatModel;
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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Tools follow the role: a viewer's run is not offered the write tools and a call to one is refused; an operator's
 * is; nobody's tool call may read a namespace outside their projects, and the refusal reads the same whether that
 * namespace exists or not.
 */
class ProjectToolsTest {
    private final List<String> ran = new CopyOnWriteArrayList<>();

    private Tool tool(String name) {
        return new Tool() {
            @Override
            public ToolSpec spec() {
                return new ToolSpec(name, name, Schema.object().string("namespace", "ns").bool("all", "all").build());
            }

            @Override
            public ToolResult call(ObjectNode args, ToolContext context) {
                ran.add(name + " " + args.path("namespace").asText(""));
                return ToolResult.ok("ok", "ok", null, List.of());
            }
        };
    }

    private Run ask(String user, ScriptedChatModel model, InMemoryRunStore runs) {
        return ask(user, List.of(), model, runs);
    }

    private Run ask(String user, List<String> groups, ScriptedChatModel model, InMemoryRunStore runs) {
        Projects projects = new Projects(List.of(
                new Project("shop", List.of("shop"), Map.of("alice", Role.VIEWER, "bob", Role.OPERATOR, "carol", Role.APPROVER), Map.of("sre", Role.OPERATOR)),
                new Project("payments", List.of("payments"), Map.of("dave", Role.ADMIN), Map.of())));
        SnapshotProvider demo = SnapshotProvider.of(Demo.snapshot());
        ConversationEngine engine = new ConversationEngine(model, new ToolRegistry(List.of(tool(ToolNames.PROPOSE_CHANGE),
                tool(ToolNames.EVENTS), tool(ToolNames.LIST_APPROVALS))), demo, runs, new InMemorySessionStore(), Redactor.standard(),
                EngineConfig.defaults(), Clock.systemUTC())
                .withActions(new io.opsagent.core.actions.ActionService(null, null, null,
                        new ApprovalPolicy(null, true, Set.of(), Duration.ofMinutes(15)), demo, Clock.systemUTC(), Runnable::run, null))
                .withProjects(projects);
        var session = engine.openSession(user, "shop/cart");
        return engine.ask(new AskRequest(user, session.id(), "scale cart to 3", "chat", groups), e -> { });
    }

    private static ScriptedChatModel model(List<String> offered, String tool, String args) {
        return ScriptedChatModel.of(req -> {
            req.tools().forEach(t -> offered.add(t.name()));
            return ScriptedChatModel.call("c1", tool, args).apply(req);
        }, ScriptedChatModel.answer("done"));
    }

    private static String errorOf(InMemoryRunStore runs, Run run, String tool) {
        return runs.steps(run.user(), run.id()).stream().filter(s -> tool.equals(s.toolName())).map(Step::error)
                .findFirst().orElse(null);
    }

    @Test
    void aViewerIsNotOfferedTheWriteToolsAndCannotCallOne() {
        List<String> offered = new CopyOnWriteArrayList<>();
        InMemoryRunStore runs = new InMemoryRunStore();
        Run run = ask("alice", model(offered, ToolNames.PROPOSE_CHANGE, "{}"), runs);
        assertThat(offered).contains(ToolNames.EVENTS).doesNotContain(ToolNames.PROPOSE_CHANGE, ToolNames.LIST_APPROVALS);
        assertThat(ran).isEmpty();
        assertThat(errorOf(runs, run, ToolNames.PROPOSE_CHANGE)).contains("is not offered to alice here");
    }

    @Test
    void approvalsAreListedForApproversOnlyAndOnlyInTheSessionsNamespace() {
        List<String> offered = new CopyOnWriteArrayList<>();
        ask("bob", model(offered, ToolNames.EVENTS, "{}"), new InMemoryRunStore());
        assertThat(offered).contains(ToolNames.PROPOSE_CHANGE).doesNotContain(ToolNames.LIST_APPROVALS); // an operator
        List<String> approver = new CopyOnWriteArrayList<>();
        ran.clear();
        InMemoryRunStore runs = new InMemoryRunStore();
        Run run = ask("carol", model(approver, ToolNames.LIST_APPROVALS, "{\"all\":true}"), runs);
        assertThat(approver).contains(ToolNames.LIST_APPROVALS);
        // asked for every namespace, it lists the session's: the step records what ran
        assertThat(ran).containsExactly(ToolNames.LIST_APPROVALS + " ");
        assertThat(runs.steps("carol", run.id()).stream().filter(st -> ToolNames.LIST_APPROVALS.equals(st.toolName()))
                .findFirst().orElseThrow().args()).contains("\"all\":false");
    }

    @Test
    void anOperatorIsOfferedThem() {
        List<String> offered = new CopyOnWriteArrayList<>();
        ask("bob", model(offered, ToolNames.PROPOSE_CHANGE, "{}"), new InMemoryRunStore());
        assertThat(offered).contains(ToolNames.PROPOSE_CHANGE);
        assertThat(ran).containsExactly(ToolNames.PROPOSE_CHANGE + " ");
    }

    @Test
    void noToolCallReadsANamespaceOutsideTheUsersProjects() {
        InMemoryRunStore runs = new InMemoryRunStore();
        Run other = ask("bob", model(new CopyOnWriteArrayList<>(), ToolNames.EVENTS, "{\"namespace\":\"payments\"}"), runs);
        Run none = ask("bob", model(new CopyOnWriteArrayList<>(), ToolNames.EVENTS, "{\"namespace\":\"no-such-ns\"}"), runs);
        assertThat(ran).isEmpty();
        assertThat(errorOf(runs, other, ToolNames.EVENTS)).isEqualTo("namespace 'payments' is not one bob may read");
        assertThat(errorOf(runs, none, ToolNames.EVENTS)).isEqualTo("namespace 'no-such-ns' is not one bob may read");
        ask("bob", model(new CopyOnWriteArrayList<>(), ToolNames.EVENTS, "{\"namespace\":\"shop\"}"), runs);
        assertThat(ran).containsExactly(ToolNames.EVENTS + " shop");
    }

    @Test
    void aGroupsRoleCountsForItsMembers() {
        List<String> offered = new CopyOnWriteArrayList<>();
        ask("zoe", List.of("sre"), model(offered, ToolNames.PROPOSE_CHANGE, "{}"), new InMemoryRunStore());
        assertThat(offered).contains(ToolNames.PROPOSE_CHANGE);
        assertThat(ran).containsExactly(ToolNames.PROPOSE_CHANGE + " ");
        List<String> alone = new CopyOnWriteArrayList<>();
        ask("zoe", List.of(), model(alone, ToolNames.PROPOSE_CHANGE, "{}"), new InMemoryRunStore());
        assertThat(alone).doesNotContain(ToolNames.PROPOSE_CHANGE);
    }
}
