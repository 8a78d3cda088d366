package io.opsagent.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opsagent.core.alerts.AlertService;
import io.opsagent.core.alerts.AlertStore;
import io.opsagent.core.alerts.AlertTemplates;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The alarm rule's target: the sample events through the handler into the intake; a malformed event is dropped, named. */
class AlertHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode handle(AlertHandler h, String body) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        h.handleRequest(new ByteArrayInputStream(body.getBytes()), out, null);
        return JSON.readTree(out.toByteArray());
    }

    @Test
    void alarmThenOkOpenInvestigateAndCloseTheEpisode() throws Exception {
        Path events = TemplateTest.checkoutRoot().resolve("events/alerts");
        List<String> investigated = new CopyOnWriteArrayList<>();
        AlertService svc = new AlertService(new AlertStore.InMemory(), AlertTemplates.standard(),
                new AlertService.Policy("opsagent", java.time.Duration.ofMinutes(10), 3), Clock.systemUTC());
        svc.investigator((user, workload, question) -> {
            investigated.add(user + " " + workload);
            return "run-1";
        });
        AlertHandler h = new AlertHandler(svc, null);
        JsonNode alarm = handle(h, Files.readString(events.resolve("cloudwatch-alarm.json")));
        assertThat(alarm.path("investigated").asInt()).isEqualTo(1);
        assertThat(investigated).containsExactly("opsagent shop/orders");
        assertThat(handle(h, Files.readString(events.resolve("cloudwatch-alarm.json"))).path("duplicates").asInt()).isEqualTo(1);
        assertThat(handle(h, Files.readString(events.resolve("cloudwatch-ok.json"))).path("resolved").asInt()).isEqualTo(1);
        JsonNode bad = handle(h, "{\"source\":\"aws.cloudwatch\",\"detail-type\":\"CloudWatch Alarm State Change\"}");
        assertThat(bad.path("error").asText()).contains("resources[0]");
    }
}
