package io.opsagent.core.changes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsagent.core.actions.Action;
import io.opsagent.core.actions.ActionKind;
import io.opsagent.core.actions.Canonical;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The change policy: registries, bounds, and change windows with Argo CD's semantics (deny overrides allow). */
class ChangePolicyTest {
    private static final ChangePolicy BASE = ChangePolicy.LOCAL.withRegistries(List.of("123456789012.dkr.ecr.", "web:"));

    private static Action image(String ns, String image) {
        return Action.of(ActionKind.SET_IMAGE, ns, "Deployment", "web", Canonical.parse("{\"container\":\"web\",\"image\":\"" + image + "\"}"));
    }

    private static ChangeWindow window(String kind, String cron, String hours, String zone, String... ns) {
        return new ChangeWindow(kind, cron, Duration.parse("PT" + hours + "H"), ZoneId.of(zone), List.of(ns));
    }

    // 2026-12-07 is a Monday
    private static final Instant MON_10_UTC = Instant.parse("2026-12-07T10:00:00Z");
    private static final Instant MON_23_UTC = Instant.parse("2026-12-07T23:00:00Z");

    @Test
    void everyBrokenRuleIsNamed() {
        ChangePolicy p = BASE.withWindows(List.of(window("deny", "0 9 * * 1", "8", "UTC", "shop")));
        assertThat(p.violations(image("shop", "docker.io/evil:1"), MON_10_UTC)).containsExactly(
                "image docker.io/evil:1 is not from an allowed registry (123456789012.dkr.ecr., web:)",
                "namespace shop is frozen: deny window '0 9 * * 1' for 8h (UTC) is open");
        assertThat(p.violations(image("shop", "web:2"), MON_23_UTC)).isEmpty();
        assertThat(p.violations(Action.of(ActionKind.SCALE, "shop", "Deployment", "web", Canonical.parse("{\"replicas\":80}")),
                MON_23_UTC)).containsExactly("replicas 80 is outside the allowed 0..50");
        assertThat(p.violations(Action.of(ActionKind.SET_RESOURCES, "shop", "Deployment", "web",
                Canonical.parse("{\"container\":\"web\",\"limits\":{\"memory\":\"32Gi\",\"cpu\":\"12\"}}")), MON_23_UTC))
                .containsExactly("limits.memory 32Gi is above the allowed 16Gi", "limits.cpu 12 is above the allowed 8000m");
    }

    @Test
    void allowWindowsAllowOnlyWhileOpenAndDenyOverridesThem() {
        // weekdays 09:00-17:00 in Paris (UTC+1 in December): 10:00 UTC is 11:00 there
        ChangeWindow office = window("allow", "0 9 * * 1-5", "8", "Europe/Paris", "shop", "pay*");
        ChangePolicy p = BASE.withWindows(List.of(office));
        assertThat(p.violations(image("shop", "web:2"), MON_10_UTC)).isEmpty();
        assertThat(p.violations(image("payments", "web:2"), MON_23_UTC)).singleElement().asString()
                .contains("namespace payments is outside its change windows (allow window '0 9 * * 1-5' for 8h (Europe/Paris))");
        assertThat(p.violations(image("data", "web:2"), MON_23_UTC)).as("a namespace no window names").isEmpty();
        // a freeze inside the office hours wins
        ChangePolicy frozen = BASE.withWindows(List.of(office, window("deny", "0 10 7 12 *", "2", "Europe/Paris", "*")));
        assertThat(frozen.violations(image("shop", "web:2"), MON_10_UTC)).singleElement().asString()
                .startsWith("namespace shop is frozen: deny window '0 10 7 12 *'");
        assertThat(frozen.violations(image("shop", "web:2"), Instant.parse("2026-12-07T13:30:00Z"))).isEmpty();
    }

    @Test
    void badWindowsAreRefusedNamingWhatIsWrong() {
        assertThatThrownBy(() -> window("maybe", "0 9 * * *", "1", "UTC")).hasMessageContaining("allow or deny");
        assertThatThrownBy(() -> window("allow", "0 25 * * *", "1", "UTC")).hasMessageContaining("'0 25 * * *' is not a cron expression");
        assertThatThrownBy(() -> new ChangeWindow("allow", "0 9 * * *", Duration.ZERO, null, null)).hasMessageContaining("positive duration");
        assertThatThrownBy(() -> ChangePolicy.LOCAL.withTimes(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10)))
                .hasMessageContaining("heartbeat");
    }
}
