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
}
