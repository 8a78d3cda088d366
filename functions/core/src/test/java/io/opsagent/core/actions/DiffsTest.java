package io.opsagent.core.actions;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DiffsTest {
    @Test
    void onlyTheFieldsThatChangeWithContainersByName() {
        var before = Canonical.parse("{\"metadata\":{\"name\":\"cart\",\"resourceVersion\":\"1\",\"generation\":1},"
                + "\"spec\":{\"replicas\":2,\"template\":{\"spec\":{\"containers\":[{\"name\":\"cart\",\"image\":\"cart:1\","
                + "\"resources\":{\"limits\":{\"memory\":\"512Mi\"}}},{\"name\":\"sidecar\",\"image\":\"envoy:1\"}]}}},"
                + "\"status\":{\"replicas\":2}}");
        var after = Canonical.parse("{\"metadata\":{\"name\":\"cart\",\"resourceVersion\":\"2\",\"generation\":2},"
                + "\"spec\":{\"replicas\":2,\"template\":{\"spec\":{\"containers\":[{\"name\":\"sidecar\",\"image\":\"envoy:1\"},"
                + "{\"name\":\"cart\",\"image\":\"cart:1\",\"resources\":{\"limits\":{\"memory\":\"2Gi\"},\"requests\":{\"memory\":\"1Gi\"}}}]}}},"
                + "\"status\":{\"replicas\":3}}");
        assertThat(Diffs.between(before, after)).extracting(FieldChange::text).containsExactly(
                "spec.template.spec.containers[cart].resources.limits.memory: 512Mi → 2Gi",
                "spec.template.spec.containers[cart].resources.requests.memory: (none) → 1Gi");
        assertThat(Diffs.between(before, before)).isEmpty();
    }
}
