package io.opsagent.core.logs.search;

import io.opsagent.core.logs.LogLevel;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The level of one log line, with a few formats beyond {@link LogLevel#detect}: in a JSON line only its level
 * field counts (a key such as {@code "error": null} is no level), including pino/bunyan numeric levels
 * ({@code "level":50}); Fluent Bit's padded {@code [ warn]}.
 */
public final class LineLevel {
    private LineLevel() {
    }

    private static final Pattern JSON_LEVEL = Pattern.compile(
            "\"(?:level|severity|lvl|log\\.level|levelname)\"\\s*:\\s*(?:\"([A-Za-z]+)\"|(\\d{1,2})\\b)");
    private static final Pattern PADDED = Pattern.compile(
            "\\[\\s+(info|warn|error|debug|trace|fatal)\\s*\\]", Pattern.CASE_INSENSITIVE);

    /** The level of {@code text}; UNKNOWN when none is found. */
    public static LogLevel of(String text) {
        if (text.isEmpty()) {
            return LogLevel.UNKNOWN;
        }
        if (text.charAt(0) == '{') {
            Matcher m = JSON_LEVEL.matcher(text);
            if (!m.find()) {
                return LogLevel.UNKNOWN;
            }
            if (m.group(2) != null) {
                return numeric(Integer.parseInt(m.group(2)));
            }
            try {
                return LogLevel.parse(m.group(1));
            } catch (IllegalArgumentException e) {
                return LogLevel.UNKNOWN;
            }
        }
        LogLevel l = LogLevel.detect(text);
        if (l == LogLevel.UNKNOWN && text.indexOf("[ ") >= 0) {
            Matcher m = PADDED.matcher(text.length() > 80 ? text.substring(0, 80) : text);
            if (m.find()) {
                return LogLevel.parse(m.group(1));
            }
        }
        return l;
    }

    /** pino / bunyan numeric levels: 60 fatal, 50 error, 40 warn, 30 info, 20 debug, 10 trace. */
    static LogLevel numeric(int n) {
        if (n >= 60) return LogLevel.FATAL;
        if (n >= 50) return LogLevel.ERROR;
        if (n >= 40) return LogLevel.WARN;
        if (n >= 30) return LogLevel.INFO;
        if (n >= 20) return LogLevel.DEBUG;
        return LogLevel.TRACE;
    }
}
