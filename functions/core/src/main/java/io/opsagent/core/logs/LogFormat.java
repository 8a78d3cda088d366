package io.opsagent.core.logs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
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
    private final int levelGroup;
    private final int[] timeGroups;

    private LogFormat(String source, Pattern pattern, List<String> fields) {
        this.source = source;
        this.pattern = pattern;
        this.fields = Collections.unmodifiableList(fields);
        this.levelGroup = fields.indexOf("Level") + 1;
        List<Integer> time = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            if (isTimeField(fields.get(i))) {
                time.add(i + 1);
            }
        }
        this.timeGroups = time.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Compiles a format. Throws IllegalArgumentException naming the format and the problem when it has no
     * {@code <Content>} field, repeats a field, or is not a valid pattern.
     */
    public static LogFormat compile(String format) {
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
            return new LogFormat(format, Pattern.compile(regex.toString()), fields);
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
        Matcher m = pattern.matcher(line);
        if (!m.matches()) {
            return new Parsed(line, line, null);
        }
        return new Parsed(line, m.group("Content"), m);
    }

    /** One line split by a format: the message and, when the header matched, its fields. */
    public final class Parsed {
        private final String line;
        private final String message;
        private final Matcher match;

        private Parsed(String line, String message, Matcher match) {
            this.line = line;
            this.message = message;
            this.match = match;
        }

        /** The message (the whole line when the header did not match). */
        public String message() {
            return message;
        }

        /** True when the line matched the format. */
        public boolean matched() {
            return match != null;
        }

        /** A header field's text, or null when the line did not match or the field is unknown. */
        public String field(String name) {
            if (match == null || !fields.contains(name)) {
                return null;
            }
            return match.group(name);
        }

        /** The date/time fields of the header joined by a space (Date, Time, Timestamp, Month, Day), or null. */
        public String timestamp() {
            if (match == null || timeGroups.length == 0) {
                return null;
            }
            StringBuilder sb = new StringBuilder();
            for (int g : timeGroups) {
                String v = match.group(g);
                if (v != null && !v.isEmpty()) {
                    if (sb.length() > 0) {
                        sb.append(' ');
                    }
                    sb.append(v);
                }
            }
            return sb.length() == 0 ? null : sb.toString();
        }

        /** The level from the header's Level field if it names one, else detected from the whole line. */
        public LogLevel level() {
            if (match != null && levelGroup > 0) {
                String v = match.group(levelGroup);
                if (v != null) {
                    try {
                        return LogLevel.parse(v);
                    } catch (IllegalArgumentException notALevel) {
                        // e.g. BGL's Level field holds "INFO"/"FATAL" but others hold free text: fall back
                    }
                }
            }
            return LogLevel.detect(line);
        }
    }
}
