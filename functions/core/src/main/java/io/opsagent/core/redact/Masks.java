package io.opsagent.core.redact;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Mask strings and the test for values that are not secrets (placeholders, references, already masked). */
final class Masks {
    /** Mask for values of unknown length (passwords, key=value, Secret data): the length is not revealed. */
    static final String VALUE = "********";
    /** Mask for credentials after an auth scheme ({@code Bearer ****}) and for PEM bodies. */
    static final String SHORT = "****";

    private static final Set<String> NON_SECRET_WORDS = Set.of(
            "null", "none", "nil", "undefined", "true", "false", "yes", "no", "empty", "redacted", "hidden",
            "masked", "unset", "n/a", "-", "|", "|-", "|+", ">", ">-", ">+", "~");
    private static final Pattern REFERENCE = Pattern.compile(
            "^(?:<.*|\\$\\{.*|\\$\\(.*|\\$[A-Za-z_][A-Za-z0-9_]*|\\{\\{.*|%\\(.*|\\[[a-z _-]*\\]|x{3,}|\\.{3,})$",
            Pattern.CASE_INSENSITIVE);

    private Masks() {
    }

    /** True when the value already contains a mask ({@code ****}); makes redaction idempotent. */
    static boolean isMasked(CharSequence value) {
        return value.toString().contains(SHORT);
    }

    /**
     * True when the value is not a secret: empty, already masked, a placeholder ({@code <none>}, {@code null},
     * {@code true}), a reference to a variable or template ({@code ${DB_PASSWORD}}, {@code $(TOKEN)},
     * {@code {{ .Values.x }}}), a filter marker ({@code [FILTERED]}), or a YAML block-scalar indicator.
     */
    static boolean isNonSecret(String value) {
        String v = value.strip();
        if (v.isEmpty() || isMasked(v) || v.chars().allMatch(c -> c == '*')) {
            return true;
        }
        return NON_SECRET_WORDS.contains(v.toLowerCase(Locale.ROOT)) || REFERENCE.matcher(v).matches();
    }

    /** Keeps the first {@code keep} characters and replaces each further character by {@code *}. */
    static String keepPrefix(String value, int keep) {
        StringBuilder sb = new StringBuilder(value.length());
        sb.append(value, 0, Math.min(keep, value.length()));
        for (int i = keep; i < value.length(); i++) {
            sb.append('*');
        }
        return sb.toString();
    }

    /** Same number of {@code *} as the value has characters. */
    static String sameLength(String value) {
        return "*".repeat(value.length());
    }
}
