package io.opsagent.core.diagnosis.analyzers;

import static io.opsagent.core.diagnosis.analyzers.Kube.analyze;
import static io.opsagent.core.diagnosis.analyzers.Kube.warning;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.opsagent.core.diagnosis.Category;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuotaExceededAnalyzerTest {
    private final QuotaExceededAnalyzer analyzer = new QuotaExceededAnalyzer();

    @Test
    void aReplicaSetThatCannotCreatePodsNamesTheQuotaAndItsDeployment() {
        List<HasMetadata> objects = new ArrayList<>(Kube.owners("shop", "api", "api:2"));
        objects.add(warning(objects.get(1), "FailedCreate", "Error creating: pods \"api-7d9f8c6b5-abcde\" is forbidden: "
                + "exceeded quota: shop-quota, requested: requests.cpu=500m, used: requests.cpu=3800m, limited: requests.cpu=4", 12));
        assertThat(analyze(analyzer, objects)).singleElement().satisfies(x -> {
            assertThat(x.category()).isEqualTo(Category.QuotaExceeded);
            assertThat(x.summary()).contains("shop-quota");
            assertThat(x.summary() + x.remediation()).contains("api");
        });
    }

    @Test
    void otherCreateFailuresAreNotQuotaFindings() {
        List<HasMetadata> objects = new ArrayList<>(Kube.owners("shop", "api", "api:2"));
        objects.add(warning(objects.get(1), "FailedCreate", "Error creating: pods is forbidden: error looking up "
                + "service account shop/api: serviceaccount \"api\" not found", 3));
        assertThat(analyze(analyzer, objects)).isEmpty();
    }
}
