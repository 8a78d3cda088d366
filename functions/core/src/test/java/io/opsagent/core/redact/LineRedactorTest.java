package io.opsagent.core.redact;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Streaming redaction keeps one output line per input line and masks private key bodies across lines. */
class LineRedactorTest {
    @Test
    void masksPrivateKeyBodyAcrossLines() {
        LineRedactor lines = Redactor.standard().lines();
        List<String> in = List.of(
                "loading key",
                "-----BEGIN RSA PRIVATE KEY-----",
                "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun",
                "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK",
                "-----END RSA PRIVATE KEY-----",
                "connected with password=hunter2");

        List<String> out = in.stream().map(lines::next).toList();

        assertThat(out).containsExactly(
                "loading key",
                "-----BEGIN RSA PRIVATE KEY-----",
                "****",
                "****",
                "-----END RSA PRIVATE KEY-----",
                "connected with password=********");
    }

    @Test
    void redactLineMatchesRedactForSingleLines() {
        Redactor r = Redactor.standard();
        String line = "GET /x?api_key=abc123 Authorization: Bearer 0123456789abcdef";

        assertThat(r.redactLine(line)).isEqualTo(r.redact(line))
                .isEqualTo("GET /x?api_key=******** Authorization: Bearer ****");
    }
}
