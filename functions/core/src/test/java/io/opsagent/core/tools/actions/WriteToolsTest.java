package io.opsagent.core.tools.actions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsagent.core.actions.Action;
import io.opsagent.core.actions.ActionService;
import io.opsagent.core.actions.ApprovalPolicy;
import io.opsagent.core.actions.ClusterActions;
import io.opsagent.core.actions.InMemoryAuditLog;
import io.opsagent.core.actions.InMemoryProposalStore;
import io.opsagent.core.actions.Proposal;
import io.opsagent.core.agent.Demo;
import io.opsagent.core.tools.SnapshotProvider;
import io.opsagent.core.tools.ToolContext;
import io.opsagent.core.tools.ToolResult;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The write tools' own rules over the demo dump (arguments, defaults, which fix a finding gets, what the model is
 * told). The cluster side is a stand-in that echoes the action into the object: the real server's dry run, RBAC and
 * rollout are tested against the real API server (ActionsOnRealClusterTest, PromptInjectionTest, the browser test).
 */
class WriteToolsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final SnapshotProvider demo = SnapshotProvider.of(Demo.snapshot());
    private final InMemoryProposalStore store = new InMemoryProposalStore();

    /** Reads the dump's object; a dry run returns it with the action's parameters recorded under spec.proposed. */
    private final ClusterActions echo = new ClusterActions() {
        @Override
        public JsonNode read(Action a) {
            return demo.snapshot().find(a.targetKind(), a.namespace(), a.name()).map(o -> (JsonNode) JSON.valueToTree(o))
                    .orElse(null);
        }

        @Override
        public DryRunResult dryRun(Action a, Identity as) {
            JsonNode before = read(a);
            ObjectNode after = before.deepCopy();
            ((ObjectNode) after.with("spec")).set("proposed", a.params());
            return new DryRunResult(before, after, null);
        }

        @Override
        public Access access(Action a, Identity who) {
            return new Access(true, "patch", null);
        }

        @Override
        public Sent apply(Action a, Identity as) {
            throw new AssertionError("a write tool never applies anything");
        }

        @Override
        public Rollout awaitRollout(Action a, Duration timeout) {
            throw new AssertionError("a write tool never applies anything");
        }

        @Override
        public Integer previousRevision(String namespace, String deployment) {
            return null;
        }
    };

    private static JsonNode parse(String s) {
        try {
            return JSON.readTree(s);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private ToolContext context(String ns, String workload, boolean live) {
        ActionService service = new ActionService(echo, store, new InMemoryAuditLog(Clock.systemUTC()), ApprovalPolicy.LOCAL,
                demo, Clock.systemUTC(), Runnable::run, Duration.ofSeconds(1));
        return new ToolContext("run-1", "dev", ns, workload, demo, null, null, live ? service : null, "sess-1");
    }

    private static ObjectNode args(String json) {
        return (ObjectNode) parse(json);
    }

    @Test
    void withoutALiveClusterNothingCanBeProposed() {
        ToolResult r = new ProposeChangeTool().call(args("{\"action\":\"restart\"}"), context("shop", "cart", false));
        assertThat(r.error()).isTrue();
        assertThat(r.text()).contains("nothing can be changed");
        assertThat(new ProposeFixTool().call(args("{}"), context("payments", "payment-gateway", false)).error()).isTrue();
    }

    @Test
    void aProposalIsToldWithoutItsHashAndTheDefaultsAreFilledIn() {
        ToolResult r = new ProposeChangeTool().call(args("{\"action\":\"set-resources\",\"params\":{\"limits\":{\"memory\":\"2Gi\"}}}"),
                context("payments", "payment-gateway", true));
        assertThat(r.error()).as(r.text()).isFalse();
        Proposal p = store.list(null, 1).get(0);
        assertThat(p.action().params().path("container").asText()).isEqualTo("app"); // the only container
        assertThat(r.text()).contains("Proposed " + p.id()).contains("Nothing has changed").doesNotContain(p.hash());
        assertThat(r.summary()).isEqualTo("proposed " + p.id() + ": set-resources payments/Deployment/payment-gateway (awaiting approval)");
        assertThat(ProposeChangeTool.proposalIdsIn(r.summary())).containsExactly(p.id());
        assertThat(r.data().toString()).doesNotContain(p.hash());
        // a restart gets its timestamp now, so the approved request is the one sent
        ToolResult restart = new ProposeChangeTool().call(args("{\"action\":\"restart\"}"), context("shop", "cart", true));
        assertThat(restart.error()).as(restart.text()).isFalse();
        assertThat(store.list(null, 1).get(0).action().params().path("restartedAt").asText()).matches("\\d{4}-.*Z");
    }

    @Test
    void badArgumentsAreNamed() {
        ToolContext c = context("shop", "cart", true);
        assertThat(new ProposeChangeTool().call(args("{\"action\":\"explode\"}"), c).text()).contains("unknown action 'explode'");
        assertThat(new ProposeChangeTool().call(args("{\"action\":\"scale\",\"params\":{\"replicas\":-1}}"), c).text())
                .contains("not proposed: replicas must be from 0 to 1000");
        assertThat(new ProposeChangeTool().call(args("{\"action\":\"set-image\",\"name\":\"nope\",\"params\":{\"image\":\"x:1\"}}"), c)
                .text()).contains("params.container is missing").contains("was not found");
        assertThat(new ProposeChangeTool().call(args("{\"action\":\"scale\",\"name\":\"nope\",\"params\":{\"replicas\":1}}"), c)
                .text()).contains("does not exist");
        assertThat(store.list(null, 10)).isEmpty();
    }

    @Test
    void theFixOfAnOomKillIsTwiceTheMemoryLimitAndOtherwiseTheDiagnosisSays() {
        ToolResult oom = new ProposeFixTool().call(args("{}"), context("payments", "payment-gateway", true));
        assertThat(oom.error()).as(oom.text()).isFalse();
        Proposal p = store.list(null, 1).get(0);
        assertThat(p.action().summary()).isEqualTo("set-resources payments/Deployment/payment-gateway "
                + "{\"container\":\"app\",\"limits\":{\"memory\":\"2Gi\"}}");
        // a crash loop: a rollback needs a previous revision, which this cluster does not have
        ToolResult cart = new ProposeFixTool().call(args("{}"), context("shop", "cart", true));
        assertThat(cart.error()).isTrue();
        assertThat(cart.text()).contains("no earlier revision to roll back to");
        // a finding without a change OpsAgent can make: the diagnosis' own fix
        ToolResult quota = new ProposeFixTool().call(args("{}"), context("payments", "fraud-scorer", true));
        assertThat(quota.error()).isTrue();
        assertThat(quota.text()).contains("cannot propose a change for").contains("by hand");
        assertThat(new ProposeFixTool().call(args("{\"finding\":\"nope\"}"), context("payments", "payment-gateway", true)).text())
                .contains("no finding nope");
        assertThat(ProposeFixTool.mebibytes(java.math.BigDecimal.valueOf(1536L * 1024 * 1024))).isEqualTo("1536Mi");
        assertThat(List.of(ProposeFixTool.mebibytes(java.math.BigDecimal.valueOf(2048L * 1024 * 1024)))).containsExactly("2Gi");
    }
}
