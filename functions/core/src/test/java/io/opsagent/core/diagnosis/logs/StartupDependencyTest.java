package io.opsagent.core.diagnosis.logs;

import static io.opsagent.core.diagnosis.logs.LogSnippets.chatter;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A dependency an application could not reach when it started, in a log that then runs on for long with health
 * checks: still the decisive line, with its address (not the source line that logged it).
 */
class StartupDependencyTest {
    private final LogErrorClassifier classifier = new LogErrorClassifier();
    private static final String FAILURE = "ts=2025-05-22T06:30:34Z caller=main.go:108 Error=\"Unable to connect to Database\""
            + " DSN=catalogue_user:default_password@tcp(catalogue-db:3306)/socksdb\n";

    @Test
    void aStartUpFailureNeverFollowedByTheDependencyStandsAfterLongHealthChecks() {
        String text = "ts=2025-05-22T06:30:33Z caller=main.go:90 msg=starting\n" + FAILURE + chatter(3000, 0);
        List<LogSignal> s = classifier.classify(LogSnippets.log(text));
        assertThat(s).isNotEmpty();
        assertThat(s.get(0).kind()).isEqualTo(LogSignal.Kind.DEPENDENCY_UNREACHABLE);
        assertThat(s.get(0).isStrong()).isTrue();
        // "default_password" is not "using default"; main.go:108 is not the address
        assertThat(s.get(0).explanation()).isEqualTo("the application cannot connect to MySQL at catalogue-db:3306");
    }

    @Test
    void theSameFailureFollowedByTheDependencyAgainIsOnlyAnEpisode() {
        String text = FAILURE + chatter(500, 0) + "ts=2025-05-22T07:00:00Z msg=\"connected to catalogue-db:3306\"\n"
                + chatter(2500, 600);
        assertThat(classifier.classify(LogSnippets.log(text))).noneMatch(LogSignal::isStrong);
    }
}
