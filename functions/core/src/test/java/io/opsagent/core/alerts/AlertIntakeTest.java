package io.opsagent.core.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsagent.core.agent.MovableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The intake over the sample events of {@code events/alerts}: every shape read, every malformed variant named,
 * duplicates recorded once and investigated once, re-fires attached, bursts grouped, the cap kept, resolves closing.
 */
class AlertIntakeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path EVENTS = Path.of("../../events/alerts");
    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-06T10:00:00Z"));
    private final List<List<String>> opened = new CopyOnWriteArrayList<>();
    private final AlertStore store = new AlertStore.InMemory();
    private final AlertService service = service(AlertService.Policy.LOCAL);

    private AlertService service(AlertService.Policy p) {
        AlertService s = new AlertService(store, AlertTemplates.standard(), p, clock);
        s.investigator((user, workload, question) -> {
            opened.add(List.of(user, workload, question));
            return "run-" + opened.size();
        });
        return s;
    }

    private static JsonNode event(String name) throws Exception {
        return JSON.readTree(Files.readString(EVENTS.resolve(name)));
    }

    @Test
    void everySampleShapeIsRead() throws Exception {
        var firing = AlertPayloads.parse(event("alertmanager-firing.json"));
        assertThat(firing.source()).isEqualTo("alertmanager");
        Alert a = firing.alerts().get(0);
        assertThat(a.name()).isEqualTo("KubePodCrashLooping");
        assertThat(a.id()).isEqualTo("am:3c2a9f1e5b7d8a46:2026-12-06T09:41:07.123Z:firing");
        assertThat(a.summary()).isEqualTo("Pod is crash looping.");
        assertThat(AlertTemplates.standard().forAlert(a.name()).workload(a)).isEqualTo("shop/cart");
        assertThat(AlertPayloads.parse(event("alertmanager-resolved.json")).alerts().get(0).firing()).isFalse();
        assertThat(AlertPayloads.parse(event("alertmanager-grouped.json")).alerts()).extracting(Alert::name)
                .containsExactly("KubePodCrashLooping", "KubeDeploymentReplicasMismatch", "KubeContainerMemoryNearLimit");
        assertThat(AlertPayloads.parse(event("alertmanager-truncated.json")).truncated()).isEqualTo(12);
        var alarm = AlertPayloads.parse(event("cloudwatch-alarm.json"));
        Alert cw = alarm.alerts().get(0);
        assertThat(cw.id()).isEqualTo("cw:arn:aws:cloudwatch:eu-west-1:123456789012:alarm:shop-orders-memory-high:2026-12-06T09:52:10.481Z");
        assertThat(cw.labels()).containsEntry("namespace", "shop").containsEntry("pod", "orders").containsEntry("cluster", "prod-eks");
        assertThat(cw.firing()).isTrue();
        assertThat(AlertPayloads.parse(event("cloudwatch-ok.json")).alerts().get(0).status()).isEqualTo("resolved");
        // the generic template, and each named one
        AlertTemplates t = AlertTemplates.standard();
        assertThat(t.forAlert("SomethingCustom").alerts()).containsExactly("*");
        for (String name : List.of("PodCrashLooping", "KubePodCrashLooping", "KubePodNotReady", "KubeDeploymentReplicasMismatch",
                "KubeJobFailed", "CPUThrottlingHigh", "HighCPUUsage", "KubeContainerMemoryNearLimit", "HighMemoryUsage",
                "TargetDown", "ServiceDown", "KubePersistentVolumeFillingUp", "DiskSpaceLow", "KubeNodeNotReady")) {
            assertThat(t.forAlert(name).alerts()).as(name).contains(name);
        }
    }

    @Test
    void malformedDeliveriesNameTheField() throws Exception {
        ObjectNode base = (ObjectNode) event("alertmanager-firing.json");
        record Case(String field, java.util.function.Consumer<ObjectNode> breakIt) {
        }
        List<Case> cases = List.of(
                new Case("version", b -> b.put("version", "3")),
                new Case("version", b -> b.remove("version")),
                new Case("status", b -> b.put("status", "burning")),
                new Case("receiver", b -> b.remove("receiver")),
                new Case("groupKey", b -> b.put("groupKey", 7)),
                new Case("truncatedAlerts", b -> b.put("truncatedAlerts", -1)),
                new Case("alerts", b -> b.putArray("alerts")),
                new Case("alerts", b -> b.put("alerts", "all of them")),
                new Case("alerts[0].labels.alertname", b -> ((ObjectNode) b.path("alerts").get(0).path("labels")).remove("alertname")),
                new Case("alerts[0].labels.severity", b -> ((ObjectNode) b.path("alerts").get(0).path("labels")).put("severity", 3)),
                new Case("alerts[0].startsAt", b -> ((ObjectNode) b.path("alerts").get(0)).put("startsAt", "yesterday")),
                new Case("alerts[0].fingerprint", b -> ((ObjectNode) b.path("alerts").get(0)).remove("fingerprint")),
                new Case("alerts[0].status", b -> ((ObjectNode) b.path("alerts").get(0)).put("status", "pending")),
                // it becomes a link in the web UI: only a web address
                new Case("alerts[0].generatorURL", b -> ((ObjectNode) b.path("alerts").get(0)).put("generatorURL", "javascript:alert(1)")));
        for (Case c : cases) {
            ObjectNode b = base.deepCopy();
            c.breakIt().accept(b);
            assertThatThrownBy(() -> AlertPayloads.parse(b)).as(c.field()).isInstanceOf(AlertException.class)
                    .satisfies(e -> assertThat(((AlertException) e).field()).isEqualTo(c.field()));
        }
        ObjectNode huge = base.deepCopy();
        ArrayNode many = huge.putArray("alerts");
        for (int i = 0; i <= AlertPayloads.MAX_ALERTS; i++) many.add(base.path("alerts").get(0));
        assertThatThrownBy(() -> AlertPayloads.parse(huge)).hasMessageContaining("5001 alerts in one delivery; at most 5000");
        ObjectNode cw = (ObjectNode) event("cloudwatch-alarm.json");
        cw.put("detail-type", "CloudWatch Alarm Configuration Change");
        assertThatThrownBy(() -> AlertPayloads.parse(cw)).hasMessageContaining("detail-type");
        ObjectNode noArn = (ObjectNode) event("cloudwatch-alarm.json");
        noArn.putArray("resources");
        assertThatThrownBy(() -> AlertPayloads.parse(noArn)).hasMessageContaining("resources[0]");
        ObjectNode badTime = (ObjectNode) event("cloudwatch-alarm.json");
        ((ObjectNode) badTime.path("detail").path("state")).put("timestamp", "soon");
        assertThatThrownBy(() -> AlertPayloads.parse(badTime)).hasMessageContaining("detail.state.timestamp");
        assertThat(AlertPayloads.parse(setState((ObjectNode) event("cloudwatch-alarm.json"), "INSUFFICIENT_DATA")).alerts()).isEmpty();
    }

    private static ObjectNode setState(ObjectNode e, String v) {
        ((ObjectNode) e.path("detail").path("state")).put("value", v);
        return e;
    }

    @Test
    void aThousandDuplicateDeliveriesStartOneInvestigationAndResolvedClosesTheEpisode() throws Exception {
        var d = AlertPayloads.parse(event("alertmanager-firing.json"));
        AlertService.Intake first = service.intake(d);
        assertThat(first.investigated()).isEqualTo(1);
        for (int i = 0; i < 999; i++) assertThat(service.intake(d).duplicates()).isEqualTo(1);
        assertThat(opened).hasSize(1);
        assertThat(opened.get(0).get(0)).isEqualTo("dev");
        assertThat(opened.get(0).get(1)).isEqualTo("shop/cart");
        assertThat(opened.get(0).get(2)).startsWith("Alert KubePodCrashLooping fired: Pod is crash looping. Why is shop/cart crash-looping")
                .contains("Start with diagnose, search_logs, events", "What fired; Root cause with evidence; Impact; Next steps; Proposed actions");
        Episode e = store.list(10).get(0);
        assertThat(e.runId()).isEqualTo("run-1");
        assertThat(e.open()).isTrue();
        // a re-fire (same fingerprint, a later startsAt) attaches to the open episode: no new investigation
        ObjectNode again = (ObjectNode) event("alertmanager-firing.json");
        ((ObjectNode) again.path("alerts").get(0)).put("startsAt", "2026-12-06T09:55:00Z");
        assertThat(service.intake(AlertPayloads.parse(again)).attached()).isEqualTo(1);
        assertThat(opened).hasSize(1);
        AlertService.Intake resolved = service.intake(AlertPayloads.parse(event("alertmanager-resolved.json")));
        assertThat(resolved.resolved()).isEqualTo(1);
        Episode closed = store.list(10).get(0);
        assertThat(closed.status()).isEqualTo("resolved");
        assertThat(closed.deliveries()).isEqualTo(3);
        // firing again after it resolved: a new episode, a new investigation
        ObjectNode later = (ObjectNode) event("alertmanager-firing.json");
        ((ObjectNode) later.path("alerts").get(0)).put("startsAt", "2026-12-06T11:00:00Z");
        clock.advance(Duration.ofMinutes(30));
        assertThat(service.intake(AlertPayloads.parse(later)).investigated()).isEqualTo(1);
        assertThat(opened).hasSize(2);
    }

    @Test
    void aBurstAboutOneWorkloadIsOneInvestigationAndTheHourlyCapIsKeptAndRecorded() throws Exception {
        var intake = service.intake(AlertPayloads.parse(event("alertmanager-grouped.json")));
        // the crash loop and the replicas mismatch are both about shop/cart: one investigation; orders gets its own
        assertThat(intake.opened()).isEqualTo(3);
        assertThat(intake.grouped()).isEqualTo(1);
        assertThat(intake.investigated()).isEqualTo(2);
        assertThat(opened).extracting(o -> o.get(1)).containsExactly("shop/cart", "shop/orders");
        Episode grouped = store.list(10).stream().filter(x -> x.name().equals("KubeDeploymentReplicasMismatch")).findFirst().orElseThrow();
        assertThat(grouped.decision()).startsWith("grouped with alr-");
        assertThat(grouped.runId()).isEqualTo("run-1");
        // a cap of 1 per workload per hour: a second episode of shop/orders (after the group window) is skipped, recorded
        AlertService capped = service(new AlertService.Policy("dev", Duration.ofMinutes(1), 1));
        clock.advance(Duration.ofMinutes(5));
        ObjectNode cw = (ObjectNode) event("cloudwatch-alarm.json");
        var r = capped.intake(AlertPayloads.parse(cw));
        assertThat(r.skipped()).isEqualTo(1);
        assertThat(store.list(10).get(0).decision()).contains("skipped: 1 investigations of shop/orders in the last hour (the cap is 1)");
        assertThat(opened).hasSize(2);
    }

    @Test
    void aThousandAlertsInOneGroupAreAllRecordedAndInvestigationsStayBounded() throws Exception {
        ObjectNode base = (ObjectNode) event("alertmanager-firing.json");
        ArrayNode many = base.putArray("alerts");
        for (int i = 0; i < 1000; i++) {
            ObjectNode a = (ObjectNode) event("alertmanager-firing.json").path("alerts").get(0);
            a.put("fingerprint", String.format("%016x", i));
            ((ObjectNode) a.path("labels")).put("pod", "svc" + (i % 10) + "-7d9c6b5f4-x2k8p");
            many.add(a);
        }
        var r = service.intake(AlertPayloads.parse(base));
        assertThat(r.received()).isEqualTo(1000);
        assertThat(r.opened()).isEqualTo(1000); // every alert recorded with its episode
        assertThat(r.investigated()).isEqualTo(10); // one per workload: the rest grouped
        assertThat(r.grouped()).isEqualTo(990);
        assertThat(opened).hasSize(10);
    }
}
