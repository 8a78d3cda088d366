package io.opsagent.core.logs.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogTimestampsTest {

    private static Instant at(String line) {
        LogTimestamps.Parsed p = LogTimestamps.parse(line, 2026);
        return p == null ? null : p.instant();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "2026-11-21T10:00:00Z INFO started|2026-11-21T10:00:00Z",
            "2026-11-21T10:00:00.123456789Z stdout F hello|2026-11-21T10:00:00.123456789Z",
            "2026-11-21T12:00:00.5+02:00 WARN x|2026-11-21T10:00:00.500Z",
            "2026-11-21T12:00:00+0200 WARN x|2026-11-21T10:00:00Z",
            "2026-11-21 10:00:00,123 ERROR [main] x|2026-11-21T10:00:00.123Z",
            "2026-11-21 10:00:00.123  INFO 1 --- [main] x|2026-11-21T10:00:00.123Z",
            "2026/11/21 10:00:00 [error] 29#29: connect() failed|2026-11-21T10:00:00Z",
            "[2026-11-21 10:00:01,5] INFO in app|2026-11-21T10:00:01.500Z",
            "time=\"2026-11-21T10:00:00Z\" level=info msg=hi|2026-11-21T10:00:00Z",
            "ts=2026-11-21T10:00:00.250Z level=info msg=hi|2026-11-21T10:00:00.250Z",
            "I1121 10:00:00.123456       1 main.go:30] starting|2026-11-21T10:00:00.123456Z",
            "E1121 23:59:59.000001       1 main.go:30] failed|2026-11-21T23:59:59.000001Z",
            "Nov 21 10:00:00 host sshd[1]: accepted|2026-11-21T10:00:00Z",
            "1:M 21 Nov 2026 10:00:00.123 * Ready to accept connections tcp|2026-11-21T10:00:00.123Z",
            "2026-11-21T10:00:00.123+00:00  INFO 1 --- [shop] [main] c.a.Shop : Started|2026-11-21T10:00:00.123Z",
            "[2026/11/21 10:00:00] [ warn] [output:es:es.0] retry|2026-11-21T10:00:00Z",
            "{\"level\":\"error\",\"ts\":1763719200.5,\"msg\":\"x\"}|2025-11-21T10:00:00.500Z",
            "{\"level\":\"error\",\"time\":\"2026-11-21T10:00:00Z\",\"msg\":\"x\"}|2026-11-21T10:00:00Z",
            "{\"@timestamp\":\"2026-11-21T10:00:00.001Z\",\"message\":\"x\"}|2026-11-21T10:00:00.001Z",
            "{\"timestamp\":1763719200123,\"message\":\"x\"}|2025-11-21T10:00:00.123Z",
    })
    void readsCommonFormats(String line, String expected) {
        assertThat(at(line)).isEqualTo(Instant.parse(expected));
    }

    @Test
    void headerEndIsAfterTheTimestamp() {
        String line = "2026-11-21 10:00:00,123 ERROR boom";
        LogTimestamps.Parsed p = LogTimestamps.parse(line, 2026);
        assertThat(line.substring(p.end())).isEqualTo(" ERROR boom");
    }

    @Test
    void linesWithoutTimestampGiveNull() {
        assertThat(at("\tat com.example.Foo.bar(Foo.java:12)")).isNull();
        assertThat(at("Environment variable DEPLOY_ENV is undefined")).isNull();
        assertThat(at("12345 items processed")).isNull();
        assertThat(at("{\"msg\":\"no time here\"}")).isNull();
        assertThat(at("2026-13-45T10:00:00Z invalid date")).isNull();
    }
}
