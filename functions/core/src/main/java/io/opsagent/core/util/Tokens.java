package io.opsagent.core.util;

/**
 * Token estimates for budgets. Models tokenise English and log text at roughly four characters a token; this
 * estimate rounds up so a budget is never overrun because of it.
 */
public final class Tokens {
    private Tokens() {
    }

    public static int estimate(CharSequence text) {
        return text == null ? 0 : (text.length() + 3) / 4;
    }
}
