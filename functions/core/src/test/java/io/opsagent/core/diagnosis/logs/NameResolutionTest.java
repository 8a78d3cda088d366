package io.opsagent.core.diagnosis.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** DNS failures as Python's urllib3 and curl write them: the host named in a sentence that reads. */
class NameResolutionTest {
    private final LogErrorClassifier classifier = new LogErrorClassifier();

    @Test
    void urllib3NameResolutionErrorNamesTheHost() {
        String line = "Connection error: HTTPConnectionPool(host='nginx-service.test-ns', port=80): Max retries exceeded"
                + " with url: / (Caused by NameResolutionError(\"<urllib3.connection.HTTPConnection object at 0x7f59>:"
                + " Failed to resolve 'nginx-service.test-ns' ([Errno -3] Try again)\")) - Time: 2025-06-20 13:14:40";
        List<LogSignal> s = classifier.classify(LogSnippets.log("Starting connection tests\n" + line + "\n" + line + "\n" + line));
        assertThat(s.get(0).kind()).isEqualTo(LogSignal.Kind.DEPENDENCY_UNREACHABLE);
        assertThat(s.get(0).isStrong()).isTrue();
        assertThat(s.get(0).explanation())
                .isEqualTo("the host name nginx-service.test-ns cannot be resolved (DNS lookup fails) (seen 3 times)");
    }

    @Test
    void curlCouldNotResolveHost() {
        List<LogSignal> s = classifier.classify(LogSnippets.log("curl: (6) Could not resolve host: api.internal\n"));
        assertThat(s.get(0).explanation()).isEqualTo("the host name api.internal cannot be resolved (DNS lookup fails)");
    }
}
