package io.opsagent.core.logs;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a message into whitespace-separated tokens and replaces the variable part of each token by {@code <*>}.
 * One generic rule set for every log (no per-source masks), hand-written for speed (no regular expressions).
 * A token is variable when it carries a digit (numbers, hex, IPs, ports, ids, versions, durations, sizes) or
 * looks like a path, URL or host name; brackets, quotes, trailing punctuation and a {@code key=} prefix are kept
 * so that {@code [10.0.0.1]} becomes {@code [<*>]} and {@code uid=0} becomes {@code uid=<*>}.
 */
final class MessageMasker {
    static final String VAR = "<*>";

    private MessageMasker() {
    }

    /** The masked tokens of a message (empty for a blank message). */
    static List<String> maskedTokens(String message) {
        List<String> out = new ArrayList<>();
        int n = message.length();
        int i = 0;
        while (i < n) {
            while (i < n && isSpace(message.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int start = i;
            while (i < n && !isSpace(message.charAt(i))) {
                i++;
            }
            out.add(maskToken(message, start, i));
        }
        return out;
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\u000B' || c == '\f' || c == '\r' || c == '\n';
    }

    private static final java.util.Set<String> DATE_NAMES = java.util.Set.of("Mon", "Tue", "Wed", "Thu", "Fri",
            "Sat", "Sun", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec");

    /** Abbreviated day and month names are parts of a date written inside a message. */
    static boolean isDateName(String word) {
        return word.length() == 3 && DATE_NAMES.contains(word);
    }

    /** Masks one token {@code s[from, to)}. */
    static String maskToken(String s, int from, int to) {
        boolean digit = false;
        int slashes = 0;
        int dots = 0;
        for (int k = from; k < to; k++) {
            char c = s.charAt(k);
            if (c >= '0' && c <= '9') {
                digit = true;
                break;
            }
            if (c == '/') {
                slashes++;
            } else if (c == '.') {
                dots++;
            }
        }
        if (!digit) {
            String word = s.substring(from, to);
            return isDateName(word) ? VAR : word;
        }
        // keep opening brackets/quotes and trailing closing brackets/punctuation around the variable
        int a = from;
        while (a < to && "([{<\"'".indexOf(s.charAt(a)) >= 0) {
            a++;
        }
        int b = to;
        while (b > a && ")]}>\"',;:.".indexOf(s.charAt(b - 1)) >= 0) {
            b--;
        }
        // keep a "key=" prefix made of letters
        int eq = -1;
        for (int k = a; k < b; k++) {
            char c = s.charAt(k);
            if (c == '=') {
                eq = k;
                break;
            }
            if (!(Character.isLetter(c) || c == '_' || c == '-' || c == '.')) {
                break;
            }
        }
        if (eq > a) {
            a = eq + 1;
        }
        StringBuilder sb = new StringBuilder(VAR.length() + (a - from) + (to - b));
        sb.append(s, from, a).append(VAR).append(s, b, to);
        return sb.toString();
    }
}
