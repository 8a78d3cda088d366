package io.opsagent.core.logs.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsagent.core.logs.LogLevel;
import org.junit.jupiter.api.Test;

class LineLevelTest {

    @Test
    void jsonLevelFieldOnly() {
        assertThat(LineLevel.of("{\"level\":\"error\",\"msg\":\"x\"}")).isEqualTo(LogLevel.ERROR);
        assertThat(LineLevel.of("{\"severity\":\"WARNING\",\"message\":\"x\"}")).isEqualTo(LogLevel.WARN);
        assertThat(LineLevel.of("{\"status\":\"success\",\"error\":null}")).isEqualTo(LogLevel.UNKNOWN);
    }

    @Test
    void pinoNumericLevels() {
        assertThat(LineLevel.of("{\"level\":60,\"time\":1,\"msg\":\"x\"}")).isEqualTo(LogLevel.FATAL);
        assertThat(LineLevel.of("{\"level\":50,\"time\":1,\"msg\":\"x\"}")).isEqualTo(LogLevel.ERROR);
        assertThat(LineLevel.of("{\"level\":40,\"time\":1,\"msg\":\"x\"}")).isEqualTo(LogLevel.WARN);
        assertThat(LineLevel.of("{\"level\":30,\"time\":1,\"msg\":\"x\"}")).isEqualTo(LogLevel.INFO);
    }

    @Test
    void fluentBitPaddedLevels() {
        assertThat(LineLevel.of("[2026/11/21 10:00:00] [ warn] [engine] failed to flush chunk")).isEqualTo(LogLevel.WARN);
        assertThat(LineLevel.of("[2026/11/21 10:00:00] [ info] [engine] started")).isEqualTo(LogLevel.INFO);
        assertThat(LineLevel.of("[2026/11/21 10:00:00] [error] [output:es] no upstream")).isEqualTo(LogLevel.ERROR);
    }

    @Test
    void plainLinesUseLogLevelDetect() {
        assertThat(LineLevel.of("2026-11-21 10:00:00,123 ERROR [main] boom")).isEqualTo(LogLevel.ERROR);
        assertThat(LineLevel.of("just text")).isEqualTo(LogLevel.UNKNOWN);
        assertThat(LineLevel.of("")).isEqualTo(LogLevel.UNKNOWN);
    }
}
