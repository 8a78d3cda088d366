package io.opsagent.core.tools.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.opsagent.core.agent.Demo;
import io.opsagent.core.agent.model.ToolCall;
import io.opsagent.core.cluster.ContainerLog;
import io.opsagent.core.logs.LogLevel;
import io.opsagent.core.logs.search.LogQuery;
import io.opsagent.core.logs.search.LogSource;
import io.opsagent.core.logs.search.PatternSource;
import io.opsagent.core.redact.Redactor;
import io.opsagent.core.tools.SnapshotProvider;
import io.opsagent.core.tools.ToolContext;
import io.opsagent.core.tools.ToolNames;
import io.opsagent.core.tools.ToolResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** log_patterns over a backend that computes patterns itself (CloudWatch Logs Insights' pattern command). */
class LogPatternsBackendTest {
    /** A log source whose backend answers patterns, recording the queries it was asked. */
    static final class Backend implements LogSource, PatternSource {
        final List<LogQuery> asked = new ArrayList<>();
        final List<BackendPattern> patterns;

        Backend(List<BackendPattern> patterns) {
            this.patterns = patterns;
        }

        @Override
        public Stream<ContainerLog> logs(LogQuery query) {
            return Stream.empty();
        }

        @Override
        public String describe() {
            return "backend";
        }

        @Override
        public Optional<BackendPatterns> patterns(LogQuery query) {
            asked.add(query);
            return Optional.of(new BackendPatterns(patterns, "Insights pattern", List.of("capped at 10,000 rows")));
        }
    }

    @Test
    void backendPatternsAreListedMostSevereThenMostFrequentWithNotesAndCapped() {
        List<PatternSource.BackendPattern> many = new ArrayList<>();
        many.add(new PatternSource.BackendPattern("GET /health <*>", 900, 0.6, LogLevel.INFO));
        many.add(new PatternSource.BackendPattern("timeout after <*> ms", 40, 0.03, LogLevel.ERROR));
        many.add(new PatternSource.BackendPattern("db down", 60, 0.04, LogLevel.ERROR));
        for (int i = 0; i < 40; i++) {
            many.add(new PatternSource.BackendPattern("rare " + i + " <*>", 1, 0.001, LogLevel.DEBUG));
        }
        Backend backend = new Backend(many);
        ToolContext ctx = new ToolContext("r1", "dev", "shop", "cart",
                SnapshotProvider.withLogs(SnapshotProvider.of(Demo.snapshot()), backend));
        ToolResult r = ClusterTools.registry().execute(new ToolCall("c", ToolNames.LOG_PATTERNS,
                JsonNodeFactory.instance.objectNode().put("level", "info")), ctx, Redactor.standard());

        assertThat(r.error()).as(r.text()).isFalse();
        assertThat(backend.asked).singleElement().satisfies(q -> assertThat(q.minLevel()).isEqualTo(LogLevel.INFO));
        String text = r.text();
        assertThat(text).startsWith("Log patterns of ").contains("(Insights pattern): 43 patterns over 1040 lines");
        assertThat(text.indexOf("60x ERROR db down")).isLessThan(text.indexOf("40x ERROR timeout"));
        assertThat(text.indexOf("40x ERROR timeout")).isLessThan(text.indexOf("900x INFO GET /health"));
        assertThat(text).contains("rarer patterns left out").contains("Note: capped at 10,000 rows");
        assertThat(r.data().get(0).get("template").asText()).isEqualTo("db down");
        assertThat(r.citations()).isEmpty();
    }

    @Test
    void aBadLevelIsAToolErrorNamingIt() {
        ToolContext ctx = new ToolContext("r1", "dev", "shop", "cart", SnapshotProvider.of(Demo.snapshot()));
        ToolResult r = ClusterTools.registry().execute(new ToolCall("c", ToolNames.LOG_PATTERNS,
                JsonNodeFactory.instance.objectNode().put("level", "loud")), ctx, Redactor.standard());
        assertThat(r.error()).isTrue();
        assertThat(r.text()).contains("level");
    }
}
