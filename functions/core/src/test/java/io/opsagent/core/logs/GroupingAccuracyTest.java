package io.opsagent.core.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class GroupingAccuracyTest {

    @Test
    void groupingAccuracyCountsOnlyExactGroups() {
        // truth: a a b b c ; predicted merges b and c, keeps a exact
        assertThat(GroupingAccuracy.of(List.of(1, 1, 2, 2, 2), List.of("a", "a", "b", "b", "c"))).isEqualTo(0.4);
        assertThat(GroupingAccuracy.of(List.of(1, 2, 3), List.of("a", "a", "b"))).isEqualTo(1.0 / 3);
        assertThat(GroupingAccuracy.of(List.of(7, 7, 9), List.of("a", "a", "b"))).isEqualTo(1.0);
    }
}
