package io.opsagent.core.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsagent.core.cluster.ContainerLog;
import io.opsagent.core.cluster.LogLine;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogExplanationTest {

    @Test
    void structuredLinesAreQuotedByMessageAndError() {
        assertThat(LogExplanation.jsonMessage("{\"level\":\"error\",\"msg\":\"database ping failed\",\"err\":\"dial tcp 10.0.0.7:5432: connect: connection refused\"}"))
                .isEqualTo("database ping failed: dial tcp 10.0.0.7:5432: connect: connection refused");
        assertThat(LogExplanation.jsonMessage("{\"level\":60,\"err\":{\"type\":\"Error\",\"message\":\"Missing required environment variable REDIS_URL\"},\"msg\":\"fatal error during bootstrap\"}"))
                .isEqualTo("fatal error during bootstrap: Missing required environment variable REDIS_URL");
        assertThat(LogExplanation.jsonMessage("2026-11-21T10:00:00Z {\"message\":\"boom\"}")).isEqualTo("boom");
        assertThat(LogExplanation.jsonMessage("{\"error\":\"x509: certificate has expired\"}")).isEqualTo("x509: certificate has expired");
    }

    @Test
    void plainOrUnparseableLinesAreNotCondensed() {
        assertThat(LogExplanation.jsonMessage("ERROR connection refused")).isNull();
        assertThat(LogExplanation.jsonMessage("{not json}")).isNull();
        assertThat(LogExplanation.jsonMessage("{\"level\":\"info\",\"status\":200}")).isNull();
    }

    @Test
    void theEvidenceKeepsTheExactLineWhileTheQuoteIsCondensed() {
        String line = "{\"msg\":\"database ping failed\",\"err\":\"connection refused\",\"attempt\":3}";
        ContainerLog log = new ContainerLog("shop", "api-1", "app", false, "shop/api-1/logs.txt", List.of(new LogLine(7, line)));
        LogExplanation e = LogExplanation.lastLines(log, log.lines());
        assertThat(e.quote()).isEqualTo("\"database ping failed: connection refused\" (shop/api-1/logs.txt:7)");
        assertThat(e.evidence()).singleElement().satisfies(ev -> assertThat(ev.text()).isEqualTo(line));
    }
}
