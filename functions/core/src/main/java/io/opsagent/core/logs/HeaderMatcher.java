package io.opsagent.core.logs;

import java.util.ArrayList;
import java.util.List;

/**
 * Hand-written matcher for the common header formats (fields, literal characters and runs of spaces only), with
 * the same semantics as the regular expression LogFormat builds (lazy fields, greedy {@code \s+}, anchored) but
 * without its cost; a step budget turns pathological backtracking into "no match".
 */
final class HeaderMatcher {
    private static final int STEP_BUDGET = 10_000;
    private static final int FIELD = 0;
    private static final int SPACE = 1;
    private static final int LITERAL = 2;

    private final int[] kinds;
    private final String[] literals;
    private final int[] fieldIndex;
    private final int fieldCount;

    private HeaderMatcher(int[] kinds, String[] literals, int[] fieldIndex, int fieldCount) {
        this.kinds = kinds;
        this.literals = literals;
        this.fieldIndex = fieldIndex;
        this.fieldCount = fieldCount;
    }

    /** Builds a matcher for {@code format}, or returns null when it uses regex syntax beyond escaped literals. */
    static HeaderMatcher compile(String format, List<String> fields) {
        List<Integer> kinds = new ArrayList<>();
        List<String> literals = new ArrayList<>();
        List<Integer> index = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        int i = 0;
        int n = format.length();
        while (i < n) {
            char c = format.charAt(i);
            if (c == '<') {
                int close = format.indexOf('>', i);
                String name = close < 0 ? null : format.substring(i + 1, close);
                if (name == null || !fields.contains(name)) {
                    return null;
                }
                flush(lit, kinds, literals, index);
                kinds.add(FIELD);
                literals.add(null);
                index.add(fields.indexOf(name));
                i = close + 1;
            } else if (c == ' ') {
                flush(lit, kinds, literals, index);
                while (i < n && format.charAt(i) == ' ') {
                    i++;
                }
                kinds.add(SPACE);
                literals.add(null);
                index.add(-1);
            } else if (c == '\\') {
                if (i + 1 >= n || Character.isLetterOrDigit(format.charAt(i + 1))) {
                    return null; // \s, \d, \w ... are regex classes
                }
                lit.append(format.charAt(i + 1));
                i += 2;
            } else if ("()[]{}?*+|.^$".indexOf(c) >= 0) {
                return null;
            } else {
                lit.append(c);
                i++;
            }
        }
        flush(lit, kinds, literals, index);
        return new HeaderMatcher(kinds.stream().mapToInt(Integer::intValue).toArray(),
                literals.toArray(new String[0]), index.stream().mapToInt(Integer::intValue).toArray(), fields.size());
    }

    private static void flush(StringBuilder lit, List<Integer> kinds, List<String> literals, List<Integer> index) {
        if (lit.length() > 0) {
            kinds.add(LITERAL);
            literals.add(lit.toString());
            index.add(-1);
            lit.setLength(0);
        }
    }

    /** Matches the whole line; returns [start0, end0, start1, end1, ...] per field, or null when it does not match. */
    int[] match(String line) {
        int[] bounds = new int[fieldCount * 2];
        int[] budget = {STEP_BUDGET + 50 * line.length()};
        return match(line, 0, 0, bounds, budget) ? bounds : null;
    }

    private boolean match(String s, int seg, int pos, int[] bounds, int[] budget) {
        if (--budget[0] < 0) {
            return false;
        }
        if (seg == kinds.length) {
            return pos == s.length();
        }
        switch (kinds[seg]) {
            case LITERAL -> {
                String lit = literals[seg];
                return s.startsWith(lit, pos) && match(s, seg + 1, pos + lit.length(), bounds, budget);
            }
            case SPACE -> {
                int end = pos;
                while (end < s.length() && isSpace(s.charAt(end))) {
                    end++;
                }
                for (int e = end; e > pos; e--) {
                    if (match(s, seg + 1, e, bounds, budget)) {
                        return true;
                    }
                }
                return false;
            }
            default -> {
                int f = fieldIndex[seg];
                bounds[2 * f] = pos;
                if (seg + 1 == kinds.length) {
                    bounds[2 * f + 1] = s.length();
                    return true;
                }
                for (int e = pos; e <= s.length(); e++) {
                    if (--budget[0] < 0) {
                        return false;
                    }
                    if (!canStart(s, seg + 1, e)) {
                        continue;
                    }
                    bounds[2 * f + 1] = e;
                    if (match(s, seg + 1, e, bounds, budget)) {
                        return true;
                    }
                    if (budget[0] < 0) {
                        return false;
                    }
                }
                return false;
            }
        }
    }

    /** Cheap pre-check that segment {@code seg} can start at {@code pos}. */
    private boolean canStart(String s, int seg, int pos) {
        return switch (kinds[seg]) {
            case LITERAL -> s.startsWith(literals[seg], pos);
            case SPACE -> pos < s.length() && isSpace(s.charAt(pos));
            default -> true;
        };
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }
}
