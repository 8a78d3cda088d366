package io.opsagent.core.logs;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Splits a message into whitespace-separated tokens and replaces the variable part of each token by {@code <*>}.
 * One generic rule set for every log (no per-source masks), hand-written for speed (no regular expressions):
 * <ul>
 *   <li>within a token, the span from the first to the last alphanumeric word that carries a digit is variable
 *       (numbers, hex, IPs and ports, ids, versions, durations): {@code [10.0.0.1]} → {@code [<*>]},
 *       {@code uid=0} → {@code uid=<*>}, {@code blk_-42} → {@code blk_-<*>},
 *       {@code interrupt......0} → {@code interrupt......<*>};</li>
 *   <li>the value extends over names joined to it by single {@code .-_} ({@code host7.example.org},
 *       {@code broadcast_9_piece0} are one value); file paths and URLs are variables;</li>
 *   <li>a size unit right after a number ({@code 5.2 KB}) is part of the value;</li>
 *   <li>a run of values of the same shape ({@code blk_1 blk_-2 blk_3}, {@code 0a1f 0002}) is one variable of variable length;</li>
 *   <li>abbreviated day and month names (a date written inside the message) are variables.</li>
 * </ul>
 */
final class MessageMasker {
    static final String VAR = "<*>";

    private static final Set<String> DATE_NAMES = Set.of("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun",
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec");
    private static final Set<String> SIZE_UNITS = Set.of("B", "KB", "MB", "GB", "TB", "PB", "KiB", "MiB", "GiB",
            "TiB", "kB", "K", "M", "G", "T");

    private MessageMasker() {
    }

    /** The masked tokens of a message (empty for a blank message). */
    static String[] maskedTokens(String message) {
        return maskedTokens(message, null);
    }

    /**
     * The masked tokens of a message; when {@code raw} is not null it receives, for each masked token, the text it
     * stands for (a collapsed run or a number with its unit spans several words).
     */
    static String[] maskedTokens(String message, List<String> raw) {
        List<String> out = new ArrayList<>();
        int[] spans = raw == null ? null : new int[16];
        int n = message.length();
        int i = 0;
        boolean previousNumber = false;
        String previousKind = null;
        while (i < n) {
            while (i < n && isSpace(message.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int start = i;
            while (i < n && !isSpace(message.charAt(i))) {
                char c = message.charAt(i++);
                if (c == ',' && i < n && message.charAt(i) == '"') {
                    break; // a JSON member boundary ("a":1,"b":2): each member masks on its own
                }
            }
            String masked = maskToken(message, start, i);
            if (previousNumber && isSizeUnit(message, start, i)) {
                // "5.2 KB," is one value: the unit joins the number before it
                masked = VAR + trailingPunctuation(message, start, i);
                out.set(out.size() - 1, masked);
                extendLast(spans, out.size(), i);
                previousNumber = false;
                previousKind = masked + "0";
                continue;
            }
            previousNumber = masked.equals(VAR);
            // a list of values of one kind (blk_1 blk_-2 blk_3 ...) is one variable of variable length
            String kind = masked.contains(VAR) ? kind(message, start, i, masked) : null;
            if (kind != null && kind.equals(previousKind)) {
                extendLast(spans, out.size(), i);
                continue;
            }
            previousKind = kind;
            out.add(masked);
            if (spans != null) {
                if (2 * out.size() > spans.length) {
                    spans = java.util.Arrays.copyOf(spans, spans.length * 2);
                }
                spans[2 * out.size() - 2] = start;
                spans[2 * out.size() - 1] = i;
            }
        }
        if (raw != null) {
            for (int k = 0; k < out.size(); k++) {
                raw.add(message.substring(spans[2 * k], spans[2 * k + 1]));
            }
        }
        return out.toArray(new String[0]);
    }

    private static void extendLast(int[] spans, int size, int end) {
        if (spans != null && size > 0) {
            spans[2 * size - 1] = end;
        }
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\u000B' || c == '\f' || c == '\r' || c == '\n';
    }

    private static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c > 0x7f;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Masks one token {@code s[from, to)}. */
    static String maskToken(String s, int from, int to) {
        int a = from;
        while (a < to && "([{<\"'".indexOf(s.charAt(a)) >= 0) {
            a++;
        }
        if (isPath(s, a, to)) {
            int b = to;
            while (b > a && ")]}>\"',;:.".indexOf(s.charAt(b - 1)) >= 0) {
                b--;
            }
            return s.substring(from, a) + VAR + s.substring(b, to);
        }
        int varStart = -1;
        int varEnd = -1;
        int k = from;
        while (k < to) {
            if (!isWordChar(s.charAt(k))) {
                k++;
                continue;
            }
            int w = k;
            boolean digit = false;
            while (k < to && isWordChar(s.charAt(k))) {
                digit |= isDigit(s.charAt(k));
                k++;
            }
            if (digit) {
                if (varStart < 0) {
                    varStart = w;
                }
                varEnd = k;
            }
        }
        if (varStart < 0) {
            if (to - from == 3 && DATE_NAMES.contains(s.substring(from, to))) {
                return VAR;
            }
            return s.substring(from, to);
        }
        // a leading '-' (negative number) belongs to the value
        if (varStart > from && s.charAt(varStart - 1) == '-' && (varStart - 1 == from
                || !isWordChar(s.charAt(varStart - 2)))) {
            varStart--;
        }
        // a name joined to the value by single '.', '-' or '_' (host.domain, id_42_x, v2.app) is part of it
        while (varStart - 2 >= from && isJoiner(s.charAt(varStart - 1)) && isWordChar(s.charAt(varStart - 2))) {
            varStart -= 2;
            while (varStart > from && isWordChar(s.charAt(varStart - 1))) {
                varStart--;
            }
        }
        while (varEnd + 1 < to && isJoiner(s.charAt(varEnd)) && isWordChar(s.charAt(varEnd + 1))) {
            varEnd += 2;
            while (varEnd < to && isWordChar(s.charAt(varEnd))) {
                varEnd++;
            }
        }
        StringBuilder sb = new StringBuilder(VAR.length() + (varStart - from) + (to - varEnd));
        sb.append(s, from, varStart).append(VAR).append(s, varEnd, to);
        return sb.toString();
    }

    /**
     * The shape of a masked token: its masked text plus what the value was made of (a path, a plain number or hex
     * string, or text with other letters), so {@code blk_-42 blk_7} or {@code 0x1f 00000002} are alike but
     * {@code /api 201 49ms} are not.
     */
    private static String kind(String s, int from, int to, String masked) {
        int a = from;
        while (a < to && "([{<\"'".indexOf(s.charAt(a)) >= 0) {
            a++;
        }
        if (isPath(s, a, to)) {
            return masked + "/";
        }
        for (int k = from; k < to; k++) {
            char c = Character.toLowerCase(s.charAt(k));
            if (Character.isLetter(c) && (c < 'a' || c > 'f') && c != 'x') {
                return masked + "a";
            }
        }
        return masked + "0";
    }

    private static boolean isJoiner(char c) {
        return c == '.' || c == '-' || c == '_';
    }

    /** A file path ({@code /var/log/x}) or URL ({@code hdfs://host/x}) starting at {@code from}. */
    private static boolean isPath(String s, int from, int to) {
        if (to - from < 2) {
            return false;
        }
        if (s.charAt(from) == '/') {
            return isWordChar(s.charAt(from + 1)) || s.charAt(from + 1) == '.';
        }
        for (int k = from + 1; k + 3 < to; k++) {
            char c = s.charAt(k);
            if (c == ':') {
                return s.charAt(k + 1) == '/' && s.charAt(k + 2) == '/';
            }
            if (!isWordChar(c) && c != '+' && c != '-' && c != '.') {
                return false;
            }
        }
        return false;
    }

    private static boolean isSizeUnit(String s, int from, int to) {
        int end = to;
        while (end > from && !isWordChar(s.charAt(end - 1))) {
            end--;
        }
        return end > from && end - from <= 3 && SIZE_UNITS.contains(s.substring(from, end));
    }

    private static String trailingPunctuation(String s, int from, int to) {
        int end = to;
        while (end > from && !isWordChar(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(end, to);
    }
}
