package io.opsagent.core.diagnosis.logs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogMessagesTest {

    @Test
    void messageOfJsonLogfmtAndPlainLines() {
        assertThat(LogMessages.message("{\"level\":\"error\",\"msg\":\"sync failed\",\"error\":\"disk busy\"}"))
                .isEqualTo("sync failed: disk busy");
        assertThat(LogMessages.message("time=2026-11-21T10:00:00Z level=error msg=\"cannot sync\" err=\"disk busy\" id=7"))
                .isEqualTo("cannot sync: disk busy");
        assertThat(LogMessages.message("2026-11-21 10:00:00.000 ERROR 1 --- [main] c.e.Boot : giving up"))
                .isEqualTo("giving up");
        assertThat(LogMessages.message("2026-11-21T10:00:00.000+00:00 ERROR 1 --- [orders] [           main] c.a.o.Boot                               : cannot start"))
                .isEqualTo("cannot start");
        assertThat(LogMessages.message("org.example.Boom: Error creating bean")).isEqualTo("org.example.Boom: Error creating bean");
    }

    @Test
    void foldKeyIgnoresNumbersAndIds() {
        assertThat(LogMessages.foldKey("2026-11-21 10:00:01 conn 10.0.0.5:5432 refused id=3f2a9c1e-77aa"))
                .isEqualTo(LogMessages.foldKey("2026-11-21 10:09:59 conn 10.0.0.7:5432 refused id=9bc1d2e3-0011"));
        assertThat(LogMessages.foldKey("conn refused")).isNotEqualTo(LogMessages.foldKey("conn reset"));
    }
}
