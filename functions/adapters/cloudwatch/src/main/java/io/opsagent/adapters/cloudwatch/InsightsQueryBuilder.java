package io.opsagent.adapters.cloudwatch;

import io.opsagent.core.logs.LogLevel;
import io.opsagent.core.logs.search.LogQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Builds a CloudWatch Logs Insights query string from a core {@link LogQuery}, for Container Insights / Fluent Bit
 * log groups (fields {@code kubernetes.namespace_name}, {@code kubernetes.pod_name},
 * {@code kubernetes.container_name}, {@code log}, {@code @message}, {@code @timestamp}, {@code @logStream}).
 *
 * <p>AWS documents no escaping rules for user strings in Insights queries, so the query is assembled only from
 * validated parts; no user or model text can add, remove or change a command:
 * <ul>
 *   <li>names (namespace, pod, workload, container) must be Kubernetes names (DNS-1123: lower-case letters, digits,
 *       {@code -} and {@code .}), so they can be written inside {@code "..."} and {@code /.../} with nothing to
 *       escape but {@code .};</li>
 *   <li>each keyword becomes {@code filter @message like /(?i)<literal>/}, every ASCII character other than a
 *       letter, digit, space or {@code _} written as {@code \<char>} (valid in PCRE, RE2 and Java alike) (so {@code /}, {@code |}, quotes and backslashes are
 *       literal); control, format (zero-width, bidi), separator, surrogate and private-use characters and the
 *       backtick are rejected;</li>
 *   <li>a user regex must compile with Java's {@link Pattern}, use no construct outside a subset both Java and
 *       Insights read the same way (no look-around, back-references, possessive or atomic groups, inline flags
 *       other than a leading {@code (?i)}), and contain no rejected character; an unescaped {@code /} is escaped.</li>
 * </ul>
 * The minimum level is pushed down as a case-insensitive match of the level words at or above it (a superset of
 * what {@link LogLevel#detect} accepts; the core's LogSearch re-checks every filter). The time range is not part of
 * the query string: it is the StartQuery {@code startTime}/{@code endTime}.
 *
 * <p>Built queries have the shape {@code fields ... | filter ... | sort @timestamp desc | limit N}.
 */
public final class InsightsQueryBuilder {
    /** Largest number of rows Logs Insights returns for one query. */
    public static final int MAX_ROWS = 10_000;

    /** The fields every built query selects, in order. */
    public static final List<String> FIELDS = List.of("@timestamp", "@message", "@logStream", "@log",
            "kubernetes.namespace_name", "kubernetes.pod_name", "kubernetes.container_name", "log");

    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS1123_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    /** A pod-name prefix, as in {@code api-7d9f*}: may end with '-' or '.'. */
    private static final Pattern NAME_PREFIX = Pattern.compile("[a-z0-9][-a-z0-9.]*");

    private InsightsQueryBuilder() {
    }

    /** The query for {@code query}, with {@code limit} = min(query.limit, {@link #MAX_ROWS}). */
    public static String build(LogQuery query) {
        return build(query, Math.min(query.limit(), MAX_ROWS));
    }

    /**
     * The query for {@code query}'s scope and filters returning at most {@code limit} rows (newest first).
     *
     * @throws IllegalArgumentException naming the part that cannot be represented safely
     */
    public static String build(LogQuery query, int limit) {
        if (limit < 1 || limit > MAX_ROWS) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_ROWS + ", was " + limit);
        }
        List<String> commands = new ArrayList<>();
        commands.add("fields " + String.join(", ", FIELDS));
        commands.addAll(filters(query));
        commands.add("sort @timestamp desc");
        commands.add("limit " + limit);
        return String.join("\n| ", commands);
    }

    /**
     * The pattern query for {@code query}'s scope and filters: the same filters, then {@code pattern @message}
     * (returns {@code @pattern}, {@code @ratio}, {@code @sampleCount}, {@code @severityLabel}...).
     */
    public static String buildPattern(LogQuery query) {
        List<String> commands = new ArrayList<>();
        commands.add("fields @timestamp, @message");
        commands.addAll(filters(query));
        commands.add("pattern @message");
        return String.join("\n| ", commands);
    }

    /** The filter commands (each starting with {@code filter}) for the query's scope and line filters. */
    static List<String> filters(LogQuery query) {
        List<String> out = new ArrayList<>();
        if (query.namespace() != null) {
            out.add("filter kubernetes.namespace_name = \"" + label("namespace", query.namespace()) + "\"");
        }
        if (query.pod() != null) {
            String pod = query.pod();
            if (pod.endsWith("*")) {
                String prefix = pod.substring(0, pod.length() - 1);
                if (prefix.isEmpty() || prefix.length() > 253 || !NAME_PREFIX.matcher(prefix).matches()) {
                    throw invalidName("pod prefix", pod);
                }
                out.add("filter kubernetes.pod_name like /^" + escapeDots(prefix) + "/");
            } else {
                out.add("filter kubernetes.pod_name = \"" + subdomain("pod", pod) + "\"");
            }
        }
        if (query.workload() != null) {
            String w = subdomain("workload", query.workload());
            out.add("filter kubernetes.pod_name like /^" + escapeDots(w) + "(-|$)/");
        }
        if (query.container() != null) {
            out.add("filter kubernetes.container_name = \"" + label("container", query.container()) + "\"");
        }
        for (String keyword : query.keywords()) {
            out.add("filter @message like /(?i)" + literal(keyword) + "/");
        }
        if (query.regex() != null) {
            out.add("filter @message like /" + regex(query.regex().pattern()) + "/");
        }
        if (query.minLevel() != null) {
            String levels = levelRegex(query.minLevel());
            if (levels != null) {
                out.add("filter @message like /" + levels + "/");
            }
        }
        return out;
    }

    /**
     * A regex (Insights syntax, without delimiters) matching the level words at or above {@code min}, or null when
     * the level does not narrow anything worth pushing down (INFO and below: most lines).
     */
    static String levelRegex(LogLevel min) {
        return switch (min) {
            case FATAL -> "(?i)(fatal|critical|crit|panic|emerg|alert|severe)|\\bF\\d{4}";
            case ERROR -> "(?i)(fatal|critical|crit|panic|emerg|alert|severe|err)|\\b[EF]\\d{4}";
            case WARN -> "(?i)(fatal|critical|crit|panic|emerg|alert|severe|err|warn)|\\b[EFW]\\d{4}";
            default -> null;
        };
    }

    /**
     * {@code text} as a regex literal for {@code /.../}: ASCII letters, digits, spaces and {@code _} as they are, other ASCII
     * characters written {@code \<char>}, other code points as they are once checked by {@link #checkCharacters}.
     */
    static String literal(String text) {
        checkCharacters("keyword", text);
        StringBuilder sb = new StringBuilder(text.length() * 2);
        text.codePoints().forEach(cp -> {
            if (cp < 128 && !Character.isLetterOrDigit(cp) && cp != ' ' && cp != '_') {
                sb.append('\\');
            }
            sb.appendCodePoint(cp);
        });
        return sb.toString();
    }

    /**
     * A user regex for {@code /.../}: checked to compile, to use only the safe subset and no rejected character;
     * an unescaped {@code /} becomes {@code \/}.
     */
    static String regex(String regex) {
        checkCharacters("regex", regex);
        try {
            Pattern.compile(regex);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid regex '" + regex + "': " + e.getDescription(), e);
        }
        StringBuilder sb = new StringBuilder(regex.length() + 8);
        boolean inClass = false;
        boolean afterQuantifier = false;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\') {
                if (i + 1 >= regex.length()) {
                    throw unsafeRegex(regex, "ends with a lone backslash");
                }
                char n = regex.charAt(i + 1);
                if (n >= '1' && n <= '9' || n == 'k') {
                    throw unsafeRegex(regex, "back-references (\\" + n + ") are not supported");
                }
                if (n == 'Q' || n == 'E') {
                    throw unsafeRegex(regex, "\\Q...\\E quoting is not supported; escape each character");
                }
                if (n == 'p' || n == 'P') {
                    throw unsafeRegex(regex, "Unicode classes (\\" + n + ") are not supported");
                }
                sb.append(c).append(n);
                i++;
                afterQuantifier = false;
                continue;
            }
            if (c == '/') {
                sb.append("\\/");
                afterQuantifier = false;
                continue;
            }
            if (inClass) {
                if (c == '[') {
                    throw unsafeRegex(regex, "nested character classes are not supported");
                }
                if (c == ']') {
                    inClass = false;
                }
                sb.append(c);
                continue;
            }
            if (c == '[') {
                inClass = true;
                sb.append(c);
                // a ']' right after '[' or '[^' is a literal member
                if (regex.startsWith("^]", i + 1)) {
                    sb.append("^]");
                    i += 2;
                } else if (regex.startsWith("]", i + 1)) {
                    sb.append(']');
                    i++;
                }
                afterQuantifier = false;
                continue;
            }
            if (c == '(' && regex.startsWith("?", i + 1)) {
                boolean nonCapturing = regex.startsWith("(?:", i);
                boolean leadingCaseFlag = i == 0 && regex.startsWith("(?i)");
                if (!nonCapturing && !leadingCaseFlag) {
                    throw unsafeRegex(regex, "only (?:...) groups and a leading (?i) are supported"
                            + " (no look-around, named or atomic groups, or other inline flags)");
                }
            }
            if (c == '+' && afterQuantifier) {
                throw unsafeRegex(regex, "possessive quantifiers (" + regex.charAt(i - 1) + "+) are not supported");
            }
            sb.append(c);
            afterQuantifier = c == '*' || c == '+' || c == '?' || c == '}';
        }
        return sb.toString();
    }

    /**
     * Rejects characters that cannot be represented safely in a query: control characters (newline, tab...),
     * format characters (zero-width, bidi overrides), line/paragraph separators, surrogates, private-use and
     * unassigned code points, and the backtick (Insights' quote for field names).
     */
    static void checkCharacters(String what, String text) {
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            String problem = problem(cp);
            if (problem != null) {
                throw new IllegalArgumentException(what + " '" + printable(text) + "' contains " + problem
                        + String.format(" (U+%04X) at index %d, which cannot be used in a Logs Insights query", cp, i));
            }
            i += Character.charCount(cp);
        }
    }

    private static String problem(int cp) {
        if (cp == '`') {
            return "a backtick";
        }
        return switch (Character.getType(cp)) {
            case Character.CONTROL -> "a control character";
            case Character.FORMAT -> "an invisible format character";
            case Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> "a line separator";
            case Character.SPACE_SEPARATOR -> cp == ' ' ? null : "a non-ASCII space";
            case Character.SURROGATE -> "an unpaired surrogate";
            case Character.PRIVATE_USE -> "a private-use character";
            case Character.UNASSIGNED -> "an unassigned code point";
            default -> null;
        };
    }

    private static String printable(String text) {
        StringBuilder sb = new StringBuilder();
        text.codePoints().forEach(cp -> {
            if (cp >= 0x20 && cp < 0x7f || problem(cp) == null && cp != '`') {
                sb.appendCodePoint(cp);
            } else {
                sb.append(String.format("\\u%04X", cp));
            }
        });
        return sb.toString();
    }

    private static String label(String what, String value) {
        if (value.length() > 63 || !DNS1123_LABEL.matcher(value).matches()) {
            throw invalidName(what, value);
        }
        return value;
    }

    private static String subdomain(String what, String value) {
        if (value.length() > 253 || !DNS1123_SUBDOMAIN.matcher(value).matches()) {
            throw invalidName(what, value);
        }
        return value;
    }

    private static String escapeDots(String name) {
        return name.replace(".", "\\.");
    }

    private static IllegalArgumentException invalidName(String what, String value) {
        return new IllegalArgumentException(what + " name '" + printable(value) + "' is not a valid Kubernetes name"
                + " (DNS-1123: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit)");
    }

    private static IllegalArgumentException unsafeRegex(String regex, String why) {
        return new IllegalArgumentException("regex '" + printable(regex) + "' cannot be used in a Logs Insights query: "
                + why);
    }
}
