package io.opsagent.core.redact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Inputs that make naive patterns quadratic (many unterminated private key headers, thousands of Secret
 * documents, very long lines) must stay roughly linear. The bounds are generous for a loaded machine; the
 * quadratic versions took minutes.
 */
class RedactorWorstCaseTest {
    private static final Duration LIMIT = Duration.ofSeconds(20);
    private final Redactor redactor = new Redactor();

    @Test
    void manyPrivateKeyHeadersWithoutEnd() {
        String text = "-----BEGIN RSA PRIVATE KEY-----\n".repeat(20_000);

        String out = assertTimeoutPreemptively(LIMIT, () -> redactor.redact(text));

        assertThat(out).isEqualTo(text);
    }

    @Test
    void thousandsOfSecretDocuments() {
        String text = "---\nkind: Secret\ndata:\n  k: djE=\n".repeat(20_000);

        String out = assertTimeoutPreemptively(LIMIT, () -> redactor.redact(text));

        assertThat(out).doesNotContain("djE=").contains("  k: ********");
    }

    @Test
    void veryLongLineWithKeywords() {
        String text = "password: ".repeat(100_000) + "x".repeat(500_000) + " token aws https://a:b@c eyJ";

        String out = assertTimeoutPreemptively(LIMIT, () -> redactor.redact(text));

        assertThat(out).endsWith("https://a:********@c eyJ");
    }
}
