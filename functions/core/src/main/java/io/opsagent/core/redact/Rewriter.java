package io.opsagent.core.redact;

import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Replaces each match of a pattern by what a function returns; the replacement is literal (no {@code $1}). */
final class Rewriter {
    private Rewriter() {
    }

    /**
     * @param replacer returns the replacement for the current match, or {@code null} to keep the match as is
     * @return {@code text} itself when nothing was replaced
     */
    static String replace(Pattern pattern, String text, Function<Matcher, String> replacer) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            return text;
        }
        StringBuilder out = null;
        int last = 0;
        do {
            String replacement = replacer.apply(m);
            if (replacement != null) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 16);
                }
                out.append(text, last, m.start()).append(replacement);
                last = m.end();
            }
        } while (m.find());
        if (out == null) {
            return text;
        }
        return out.append(text, last, text.length()).toString();
    }
}
