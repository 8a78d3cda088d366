package io.opsagent.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsagent.core.agent.MovableClock;
import io.opsagent.core.alerts.AlertPayloads;
import io.opsagent.core.alerts.AlertService;
import io.opsagent.core.alerts.AlertTemplates;
import io.opsagent.core.alerts.Episode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Alerts and episodes in DynamoDB Local, through the alert service: a repeated delivery is written once, one episode
 * per key is open at a time even when deliveries race, a resolve frees the key for the next episode.
 */
class DynamoAlertStoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path EVENTS = Path.of("../../../events/alerts");
    private final DynamoAlertStore store = new DynamoAlertStore(TestDynamo.client(), TestDynamo.freshTables());
    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-06T10:00:00Z"));
    private final List<String> runs = new CopyOnWriteArrayList<>();

    private AlertService service() {
        AlertService s = new AlertService(store, AlertTemplates.standard(), AlertService.Policy.LOCAL, clock);
        s.investigator((user, workload, question) -> {
            runs.add(workload);
            return "run-" + runs.size();
        });
        return s;
    }

    private static ObjectNode event(String name) throws Exception {
        return (ObjectNode) JSON.readTree(Files.readString(EVENTS.resolve(name)));
    }

    @Test
    void duplicatesAreWrittenOnceEpisodesOpenAndCloseAndTheKeyIsFreedForTheNext() throws Exception {
        AlertService s = service();
        var firing = AlertPayloads.parse(event("alertmanager-firing.json"));
        assertThat(s.intake(firing).investigated()).isEqualTo(1);
        for (int i = 0; i < 20; i++) assertThat(s.intake(firing).duplicates()).isEqualTo(1);
        assertThat(runs).containsExactly("shop/cart");
        Episode open = store.openEpisode("am:3c2a9f1e5b7d8a46").orElseThrow();
        assertThat(open.runId()).isEqualTo("run-1");
        assertThat(s.intake(AlertPayloads.parse(event("alertmanager-resolved.json"))).resolved()).isEqualTo(1);
        assertThat(store.openEpisode("am:3c2a9f1e5b7d8a46")).isEmpty();
        assertThat(store.list(10)).singleElement().satisfies(e -> assertThat(e.status()).isEqualTo("resolved"));
        assertThat(store.alerts("am:3c2a9f1e5b7d8a46", 10)).hasSize(2);
        // it fires again later: a new episode on the freed key, a new investigation
        ObjectNode later = event("alertmanager-firing.json");
        ((ObjectNode) later.path("alerts").get(0)).put("startsAt", "2026-12-06T12:00:00Z");
        clock.advance(Duration.ofHours(2));
        assertThat(s.intake(AlertPayloads.parse(later)).investigated()).isEqualTo(1);
        assertThat(store.list(10)).hasSize(2);
        assertThat(store.ofWorkload("shop/cart", Instant.parse("2026-12-06T11:00:00Z"))).hasSize(1);
    }

    @Test
    void racingDeliveriesOfOneAlertOpenOneEpisode() throws Exception {
        var firing = AlertPayloads.parse(event("cloudwatch-alarm.json"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            // separate services (as separate Lambda instances would be), one store
            List<Future<AlertService.Intake>> all = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) {
                AlertService s = service();
                all.add(pool.submit(() -> s.intake(firing)));
            }
            int investigated = 0;
            int duplicates = 0;
            for (var f : all) {
                investigated += f.get().investigated();
                duplicates += f.get().duplicates();
            }
            assertThat(investigated).isEqualTo(1);
            assertThat(duplicates).isEqualTo(15);
            assertThat(store.list(10)).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }
}
