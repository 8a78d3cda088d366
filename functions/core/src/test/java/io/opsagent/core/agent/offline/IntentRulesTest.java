package io.opsagent.core.agent.offline;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsagent.core.agent.offline.Intent.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IntentRulesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "why is cart failing?|DIAGNOSE",
            "What's going on with checkout?|DIAGNOSE",
            "why did the rollout get stuck?|DIAGNOSE",
            "how do I fix it?|FIX",
            "what should I do?|FIX",
            "show me the errors since 10:00|ERRORS",
            "any exceptions in the last 30 minutes?|ERRORS",
            "search logs for timeout|SEARCH",
            "find \"connection refused\"|SEARCH",
            "what changed?|CHANGES",
            "show the rollout history|CHANGES",
            "is it healthy?|HEALTH",
            "are the probes ok?|HEALTH",
            "what about the service?|SERVICE",
            "how much memory does it use?|RESOURCES",
            "summarize the logs|PATTERNS",
            "recent events|EVENTS",
            "list the pods|PODS",
            "and the other pod?|OTHER_POD",
            "describe it|DESCRIBE",
            "restart it|WRITE",
            "can you roll back the deployment?|WRITE",
            "will it crash tomorrow?|UNSUPPORTED",
            "predict the load next week|UNSUPPORTED",
            "tell me a joke|UNKNOWN",
    })
    void classifies(String question, Kind kind) {
        assertThat(IntentRules.classify(question, null).kind()).isEqualTo(kind);
    }

    @Test
    void readsTimeExpressions() {
        Intent a = IntentRules.classify("show me the errors since 10:00", null);
        assertThat(a.since()).isEqualTo("10:00");
        assertThat(a.level()).isEqualTo("error");
        Intent b = IntentRules.classify("errors in the last 30 minutes", null);
        assertThat(b.since()).isEqualTo("30m");
        Intent c = IntentRules.classify("warnings between 9:00 and 9:30 in the logs", null);
        assertThat(c.since()).isEqualTo("9:00");
        assertThat(c.until()).isEqualTo("9:30");
        assertThat(c.level()).isEqualTo("warn");
        assertThat(IntentRules.classify("errors in the logs in the last hour", null).since()).isEqualTo("1h");
    }

    @Test
    void readsSearchKeywordsAndQuotedPhrases() {
        assertThat(IntentRules.classify("search logs for timeout", null).keywords()).containsExactly("timeout");
        assertThat(IntentRules.classify("grep the logs for \"Connection refused\" since 09:00", null))
                .satisfies(i -> {
                    assertThat(i.keywords()).containsExactly("Connection refused");
                    assertThat(i.since()).isEqualTo("09:00");
                });
        assertThat(IntentRules.classify("find lines mentioning REDIS_URL please", null).keywords()).containsExactly("redis_url");
    }

    @Test
    void moreRepeatsThePreviousQuestionWithMore() {
        Intent i = IntentRules.classify("show more", "show me the errors since 10:00");
        assertThat(i.kind()).isEqualTo(Kind.ERRORS);
        assertThat(i.more()).isTrue();
        assertThat(i.since()).isEqualTo("10:00");
        assertThat(IntentRules.classify("more", null).kind()).isEqualTo(Kind.UNKNOWN);
    }
}
