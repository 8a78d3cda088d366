package io.opsagent.core.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsagent.core.agent.Demo;
import io.opsagent.core.cluster.KubeKinds;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One rule for finding what a person means by a name, and the names they probably meant. */
class WorkloadResolverTest {
    @Test
    void findsByNameInLookupOrderAndSuggestsTyposAndContainedNames() {
        var s = Demo.snapshot();
        assertThat(WorkloadResolver.find(s, "shop", "cart")).hasValueSatisfying(o -> assertThat(o.getKind()).isEqualTo("Deployment"));
        assertThat(WorkloadResolver.find(s, "shop", "nosuch")).isEmpty();
        assertThat(WorkloadResolver.closeNames(s, "shop", "carts", KubeKinds.LOOKUP_ORDER, 8)).contains("cart");
        assertThat(WorkloadResolver.closeNames(s, "shop", "chekout", KubeKinds.LOOKUP_ORDER, 8)).contains("checkout");
        assertThat(WorkloadResolver.closeNames(s, "shop", "zzzzzzzz", KubeKinds.LOOKUP_ORDER, 8)).isEmpty();
        assertThat(WorkloadResolver.closeNames(s, "shop", "c", KubeKinds.LOOKUP_ORDER, 2)).hasSizeLessThanOrEqualTo(2);
    }

    @Test
    void controllersAndServicesAreNamedBeforePods() {
        List<String> names = WorkloadResolver.names(Demo.snapshot(), "shop", KubeKinds.LOOKUP_ORDER);
        int firstPod = names.indexOf(names.stream().filter(n -> n.matches(".*-[a-z0-9]{10}-[a-z0-9]{5}")).findFirst().orElseThrow());
        assertThat(names.indexOf("cart")).isLessThan(firstPod);
    }

    @Test
    void oneWordingForANameThatIsNotThere() {
        var s = Demo.snapshot();
        assertThat(WorkloadResolver.notFound(s, "shop", "carts", null))
                .isEqualTo("no workload named 'carts' in namespace 'shop'; close matches: cart");
        String none = WorkloadResolver.notFound(s, "shop", "zzzzzzzz", null);
        assertThat(none).startsWith("no workload named 'zzzzzzzz' in namespace 'shop'; it has: cart, ")
                .containsPattern("\\(\\+\\d+ more\\)$");
        assertThat(WorkloadResolver.notFound(s, "shop", "checkout", "CronJob"))
                .startsWith("no CronJob named 'checkout' in namespace 'shop'");
        assertThat(WorkloadResolver.namespaceNotFound(s, "nope")).startsWith("namespace 'nope' is not in the cluster; it has: ")
                .contains("shop");
    }

    @Test
    void theEngineTheToolsAndTheDiagnosisSayItTheSameWay() throws Exception {
        var s = Demo.snapshot();
        String expected = WorkloadResolver.notFound(s, "shop", "carts", null);
        var engine = new io.opsagent.core.agent.ConversationEngine(io.opsagent.core.agent.model.ScriptedChatModel.of(),
                io.opsagent.core.tools.cluster.ClusterTools.registry(), io.opsagent.core.tools.SnapshotProvider.of(s),
                new io.opsagent.core.agent.InMemoryRunStore(), new io.opsagent.core.agent.InMemorySessionStore(),
                io.opsagent.core.redact.Redactor.standard(), io.opsagent.core.agent.EngineConfig.defaults(),
                java.time.Clock.systemUTC());
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> engine.openSession("u", "shop/carts")))
                .hasMessage(expected);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> DiagnosisEngine.standard().diagnose(s, "shop", "carts")))
                .hasMessageContaining(expected);
        var r = io.opsagent.core.tools.cluster.ClusterTools.registry().execute(new io.opsagent.core.agent.model.ToolCall("c",
                        io.opsagent.core.tools.ToolNames.LIST_PODS, io.opsagent.core.agent.model.ScriptedChatModel.parse(
                                "{\"namespace\":\"shop\",\"name\":\"carts\"}")),
                new io.opsagent.core.tools.ToolContext("r", "u", "shop", "cart", io.opsagent.core.tools.SnapshotProvider.of(s)),
                io.opsagent.core.redact.Redactor.standard());
        assertThat(r.error()).isTrue();
        assertThat(r.text()).contains(expected);
    }
}
