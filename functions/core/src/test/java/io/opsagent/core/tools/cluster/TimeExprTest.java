package io.opsagent.core.tools.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsagent.core.tools.ToolInputException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimeExprTest {
    static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

    @Test
    void readsInstantsClockTimesAndAges() {
        assertThat(TimeExpr.parse("2026-11-21T09:30:00Z", NOW)).isEqualTo("2026-11-21T09:30:00Z");
        assertThat(TimeExpr.parse("2026-11-21T11:30:00+02:00", NOW)).isEqualTo("2026-11-21T09:30:00Z");
        assertThat(TimeExpr.parse("09:45", NOW)).isEqualTo("2026-11-21T09:45:00Z");
        assertThat(TimeExpr.parse("9:45:30", NOW)).isEqualTo("2026-11-21T09:45:30Z");
        assertThat(TimeExpr.parse("23:00", NOW)).as("a later clock time means the day before").isEqualTo("2026-11-20T23:00:00Z");
        assertThat(TimeExpr.parse("30m", NOW)).isEqualTo("2026-11-21T09:30:00Z");
        assertThat(TimeExpr.parse("2 hours", NOW)).isEqualTo("2026-11-21T08:00:00Z");
        assertThat(TimeExpr.parse("90s ago", NOW)).isEqualTo("2026-11-21T09:58:30Z");
        assertThat(TimeExpr.parse("1d", NOW)).isEqualTo("2026-11-20T10:00:00Z");
    }

    @Test
    void rejectsOtherFormsNamingTheAcceptedOnes() {
        assertThatThrownBy(() -> TimeExpr.parse("noonish", NOW)).isInstanceOf(ToolInputException.class)
                .hasMessageContaining("cannot read time 'noonish'").hasMessageContaining("30m");
        assertThatThrownBy(() -> TimeExpr.parse("25:00", NOW)).isInstanceOf(ToolInputException.class);
    }
}
