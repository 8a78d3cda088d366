package io.opsagent.core.diagnosis.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Calls to a dependency that keep taking seconds, logged at INFO by a pod that is otherwise healthy. */
class SlowDependencyTest {
    private final LogErrorClassifier classifier = new LogErrorClassifier();

    private static io.opsagent.core.cluster.ContainerLog log(String... lines) {
        return LogSnippets.log(String.join("\n", lines));
    }

    @Test
    void repeatedSlowDatabaseCallsAtInfoAreAStrongSignalNamingTheProcedure() {
        List<LogSignal> s = classifier.classify(log(
                "INFO:app:Connecting to database at None",
                "INFO:app:Fetching data using stored procedure: sp_CheckUserNotifications",
                "INFO:app:Database call completed in 10.01 seconds.",
                "INFO:     172.31.1.249:37688 - \"GET /metrics HTTP/1.1\" 200 OK",
                "INFO:app:Database call completed in 8.00 seconds.",
                "INFO:app:Page rendered in 10.01 seconds."));
        assertThat(s).isNotEmpty();
        LogSignal top = s.get(0);
        assertThat(top.kind()).isEqualTo(LogSignal.Kind.SLOW_DEPENDENCY);
        assertThat(top.isStrong()).isTrue();
        assertThat(top.explanation()).startsWith("database calls are slow: one took 10.01 s").contains("seen 2 times");
    }

    @Test
    void oneSlowCallFastCallsAndRequestTimingsAreNot() {
        assertThat(classifier.classify(log("INFO:app:Database call completed in 9.50 seconds.", "INFO ready")))
                .allSatisfy(x -> assertThat(x.isStrong()).isFalse());
        assertThat(classifier.classify(log("INFO db query took 0.3 seconds", "INFO db query took 120 ms",
                "INFO db query took 0.2 seconds"))).isEmpty();
        assertThat(classifier.classify(log("INFO GET /checkout completed in 2500ms", "INFO GET /checkout completed in 2600ms")))
                .isEmpty(); // a request's own time, not a dependency's
    }
}
