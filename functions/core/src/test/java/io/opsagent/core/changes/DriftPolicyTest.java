package io.opsagent.core.changes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Drift policy validation, and an intended state's record round trip and ConfigMap hash. */
class DriftPolicyTest {
    @Test
    void onlyImageAndReplicasMayBeRemediatedAutomatically() {
        assertThatThrownBy(() -> new DriftPolicy(Set.of("config"), 3, Duration.ofHours(1), Duration.ofMinutes(1), 3,
                Duration.ofMinutes(10))).hasMessageContaining("drift type 'config' cannot be remediated automatically");
        assertThatThrownBy(() -> new DriftPolicy(Set.of("image"), -1, Duration.ofHours(1), Duration.ofMinutes(1), 3,
                Duration.ofMinutes(10))).hasMessageContaining("maxAttempts");
        assertThat(DriftPolicy.DEFAULT.autoTypes()).containsExactlyInAnyOrder("image", "replicas");
    }

    @Test
    void anIntendedStateRoundTripsAndAConfigMapHashIgnoresKeyOrder() throws Exception {
        IntendedState s = new IntendedState("shop", "Deployment", "web", Map.of("web", "web:2", "sidecar", "envoy:1"), 3,
                null, "chg-1", "ab".repeat(32), "carol", List.of("team-shop"), Instant.parse("2026-12-06T10:00:00Z"));
        assertThat(IntendedState.fromJson(s.toJson())).isEqualTo(s);
        assertThat(s.key()).isEqualTo("shop/Deployment/web");
        ObjectMapper m = new ObjectMapper();
        assertThat(IntendedState.hash(m.readTree("{\"a\":\"1\",\"b\":\"2\"}")))
                .isEqualTo(IntendedState.hash(m.readTree("{\"b\":\"2\",\"a\":\"1\"}")))
                .isNotEqualTo(IntendedState.hash(m.readTree("{\"a\":\"1\",\"b\":\"3\"}")));
    }
}
