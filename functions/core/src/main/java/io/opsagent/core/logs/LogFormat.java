package io.opsagent.core.logs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A log header format in Loghub {@code log_format} syntax, e.g. {@code <Date> <Time> <Level> <Component>: <Content>}.
 * Each {@code <Field>} becomes a lazy named group, runs of spaces match any run of whitespace, everything else is a
 * regular expression fragment (so {@code \[} is a literal bracket), and the whole line is anchored.
 * {@code <Content>} is the message; a line that does not match is treated as a message without a header.
 * The format only says where the message starts: it never changes how messages are mined.
 */
public final class LogFormat {
    private static final Pattern FIELD = Pattern.compile("<([A-Za-z][A-Za-z0-9_]*)>");

    private final String source;
    private final Pattern pattern;
    private final List<String> fields;
    private final HeaderMatcher fast;
    private final int contentIndex;
    private final int levelIndex;
    private final int timeFirst;
    private final int timeLast;

    private LogFormat(String source, Pattern pattern, List<String> fields, boolean allowFast) {
        this.source = source;
        this.pattern = pattern;
        this.fields = Collections.unmodifiableList(fields);
        this.fast = allowFast ? HeaderMatcher.compile(source, fields) : null;
        this.contentIndex = fields.indexOf("Content");
        this.levelIndex = fields.indexOf("Level");
        int first = -1;
        for (int i = 0; i < fields.size() && first < 0; i++) {
            if (isTimeField(fields.get(i))) {
                first = i;
            }
        }
        int last = first;
        while (first >= 0 && last + 1 < fields.size() && isTimeField(fields.get(last + 1))) {
            last++;
        }
        this.timeFirst = first;
        this.timeLast = last;
    }

    /**
     * Compiles a format. Throws IllegalArgumentException naming the format and the problem when it has no
     * {@code <Content>} field, repeats a field, or is not a valid pattern.
     */
    public static LogFormat compile(String format) {
        return compile(format, true);
    }

    /** Compiles a format; {@code allowFast=false} always uses the regular expression (tests compare the two). */
    static LogFormat compile(String format, boolean allowFast) {
        if (format == null || format.isBlank()) {
            throw new IllegalArgumentException("log format is empty (expected e.g. '<Date> <Time> <Level> <Content>')");
        }
        StringBuilder regex = new StringBuilder("^");
        List<String> fields = new ArrayList<>();
        Matcher m = FIELD.matcher(format);
        int last = 0;
        while (m.find()) {
            appendLiteral(regex, format.substring(last, m.start()));
            String name = m.group(1);
            if (fields.contains(name)) {
                throw new IllegalArgumentException("log format '" + format + "': field <" + name + "> appears twice");
            }
            fields.add(name);
            regex.append("(?<").append(name).append(">.*?)");
            last = m.end();
        }
        appendLiteral(regex, format.substring(last));
        regex.append('$');
        if (!fields.contains("Content")) {
            throw new IllegalArgumentException("log format '" + format
                    + "' has no <Content> field (it must say where the message starts)");
        }
        try {
            return new LogFormat(format, Pattern.compile(regex.toString()), fields, allowFast);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("log format '" + format + "' is not a valid pattern: "
                    + e.getDescription(), e);
        }
    }

    private static void appendLiteral(StringBuilder regex, String text) {
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == ' ') {
                while (i < text.length() && text.charAt(i) == ' ') {
                    i++;
                }
                regex.append("\\s+");
                continue;
            }
            regex.append(c);
            i++;
        }
    }

    /** Level names seen in the Level field, parsed once each (UNKNOWN: not a level name). */
    private final Map<String, LogLevel> levelNames = new ConcurrentHashMap<>();

    private static LogLevel levelOrUnknown(String text) {
        try {
            return LogLevel.parse(text);
        } catch (IllegalArgumentException notALevel) {
            return LogLevel.UNKNOWN;
        }
    }

    private static boolean isTimeField(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.equals("date") || n.equals("time") || n.equals("timestamp") || n.equals("datetime")
                || n.equals("month") || n.equals("day");
    }

    /** The format as given. */
    public String source() {
        return source;
    }

    /** The header field names in order, including {@code Content}. */
    public List<String> fields() {
        return fields;
    }

    /** Splits one line; never null: a line that does not match yields the whole line as the message. */
    public Parsed parse(String line) {
        int[] bounds;
        if (fast != null) {
            bounds = fast.match(line);
        } else {
            Matcher m = pattern.matcher(new BudgetedChars(line));
            bounds = null;
            if (matchesWithinBudget(m)) {
                bounds = new int[fields.size() * 2];
                for (int i = 0; i < fields.size(); i++) {
                    bounds[2 * i] = m.start(fields.get(i));
                    bounds[2 * i + 1] = m.end(fields.get(i));
                }
            }
        }
        return new Parsed(line, bounds);
    }

    private static boolean matchesWithinBudget(Matcher m) {
        try {
            return m.matches();
        } catch (BudgetedChars.Exhausted e) {
            return false; // pathological backtracking on a line that does not fit: treat as no header
        }
    }

    /**
     * The line as seen by the regular expression, with a bound on character reads so that a line which does not
     * fit a format with many lazy fields cannot make backtracking explode (it is then treated as not matching).
     */
    private static final class BudgetedChars implements CharSequence {
        private final String text;
        private long budget;

        BudgetedChars(String text) {
            this.text = text;
            this.budget = 10_000L + 50L * text.length();
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            if (--budget < 0) {
                throw new Exhausted();
            }
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            return text;
        }

        /** Thrown when the budget is spent; never escapes {@link LogFormat}. */
        static final class Exhausted extends RuntimeException {
            Exhausted() {
                super(null, null, false, false);
            }
        }
    }

    /** One line split by a format: the message and, when the header matched, its fields. */
    public final class Parsed {
        private final String line;
        private final int[] bounds;

        private Parsed(String line, int[] bounds) {
            this.line = line;
            this.bounds = bounds;
        }

        /** The message (the whole line when the header did not match). */
        public String message() {
            return bounds == null ? line : group(contentIndex);
        }

        /** True when the line matched the format. */
        public boolean matched() {
            return bounds != null;
        }

        private String group(int i) {
            return bounds[2 * i] < 0 ? null : line.substring(bounds[2 * i], bounds[2 * i + 1]);
        }

        /** A header field's text, or null when the line did not match or the field is unknown. */
        public String field(String name) {
            int i = fields.indexOf(name);
            return bounds == null || i < 0 ? null : group(i);
        }

        /**
         * The timestamp text: from the first date/time field (Date, Time, Timestamp, DateTime, Month, Day) through
         * the date/time fields that directly follow it, as written in the line; null when there is none.
         */
        public String timestamp() {
            if (bounds == null || timeFirst < 0 || bounds[2 * timeFirst] < 0) {
                return null;
            }
            int from = bounds[2 * timeFirst];
            int to = bounds[2 * timeLast + 1];
            return to > from ? line.substring(from, to) : null;
        }

        /** The level from the header's Level field if it names one, else detected from the whole line. */
        public LogLevel level() {
            if (bounds != null && levelIndex >= 0) {
                String v = group(levelIndex);
                if (v != null) {
                    LogLevel l = levelNames.computeIfAbsent(v, LogFormat::levelOrUnknown);
                    if (l != LogLevel.UNKNOWN) {
                        return l;
                    }
                }
            }
            return LogLevel.detect(line);
        }
    }
}
