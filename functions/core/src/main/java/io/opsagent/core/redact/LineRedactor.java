package io.opsagent.core.redact;

/**
 * Redacts a stream of lines one at a time, remembering when it is inside a PEM private key block: the lines
 * between {@code -----BEGIN ... PRIVATE KEY-----} and {@code -----END ... PRIVATE KEY-----} become {@code ****}.
 * Not thread-safe: use one per stream.
 */
public final class LineRedactor {
    private final Redactor redactor;
    private boolean inPrivateKey;

    LineRedactor(Redactor redactor) {
        this.redactor = redactor;
    }

    /** Redacts the next line of the stream. */
    public String next(String line) {
        if (inPrivateKey) {
            if (line.contains("-----END ") && line.contains("PRIVATE KEY-----")) {
                inPrivateKey = false;
                return line.substring(line.indexOf("-----END "));
            }
            return Masks.SHORT;
        }
        int begin = line.indexOf("-----BEGIN ");
        if (begin >= 0 && line.indexOf("PRIVATE KEY-----", begin) > 0 && !line.contains("-----END ")) {
            inPrivateKey = true;
            int headerEnd = line.indexOf("PRIVATE KEY-----", begin) + "PRIVATE KEY-----".length();
            return redactor.redactLine(line.substring(0, headerEnd));
        }
        return redactor.redactLine(line);
    }
}
