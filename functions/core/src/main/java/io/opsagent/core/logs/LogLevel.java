package io.opsagent.core.logs;

import java.util.Locale;

/**
 * Severity of a log line, read from the usual spellings (ERROR, E, err, level=error, "level":"error", FATAL, W...).
 * Ordered from most to least severe.
 */
public enum LogLevel {
    FATAL, ERROR, WARN, INFO, DEBUG, TRACE, UNKNOWN;

    /** Parses a level name as given by a user or a filter ("error", "warning", "E"); throws on unknown names. */
    public static LogLevel parse(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT);
        return switch (n) {
            case "FATAL", "CRITICAL", "CRIT", "PANIC", "EMERG", "ALERT", "F", "SEVERE" -> FATAL;
            case "ERROR", "ERR", "E" -> ERROR;
            case "WARN", "WARNING", "W" -> WARN;
            case "INFO", "NOTICE", "I" -> INFO;
            case "DEBUG", "D", "FINE" -> DEBUG;
            case "TRACE", "T", "FINER", "FINEST" -> TRACE;
            default -> throw new IllegalArgumentException("unknown log level '" + name
                    + "' (expected one of fatal, error, warn, info, debug, trace)");
        };
    }

    /** True if this level is at least as severe as {@code other} (UNKNOWN is below everything). */
    public boolean atLeast(LogLevel other) {
        return this != UNKNOWN && ordinal() <= other.ordinal();
    }

    /**
     * Detects the level of one line by looking for a level token near the start of the line (first 120 chars):
     * a whole word such as ERROR/WARN/INFO, {@code level=error}, {@code "level":"warn"}, klog's {@code E0412}
     * prefix, or Python's {@code ERROR:}. Returns UNKNOWN when none is found.
     */
    public static LogLevel detect(String line) {
        if (line == null || line.isEmpty()) {
            return UNKNOWN;
        }
        int limit = Math.min(line.length(), 120);
        // klog / glog: "E0412 10:00:00.000000  1 file.go:12] msg"
        if (line.length() > 5) {
            char c0 = line.charAt(0);
            if ((c0 == 'E' || c0 == 'W' || c0 == 'I' || c0 == 'F') && Character.isDigit(line.charAt(1))
                    && Character.isDigit(line.charAt(2)) && Character.isDigit(line.charAt(3))
                    && Character.isDigit(line.charAt(4))) {
                return switch (c0) {
                    case 'E' -> ERROR;
                    case 'W' -> WARN;
                    case 'F' -> FATAL;
                    default -> INFO;
                };
            }
        }
        int i = 0;
        while (i < limit) {
            char c = line.charAt(i);
            if (!Character.isLetter(c)) {
                i++;
                continue;
            }
            int j = i;
            while (j < line.length() && Character.isLetter(line.charAt(j))) {
                j++;
            }
            int len = j - i;
            if (len >= 3 && len <= 8) {
                LogLevel l = word(line, i, len);
                if (l != null) {
                    return l;
                }
            }
            i = j;
        }
        return UNKNOWN;
    }

    private static LogLevel word(String s, int from, int len) {
        String w = s.substring(from, from + len);
        // level words are upper case in most formats; lower case only with a key ("level=error") or a bracket
        boolean upper = w.equals(w.toUpperCase(Locale.ROOT));
        boolean keyed = from > 0 && "=:\"'[<".indexOf(s.charAt(from - 1)) >= 0;
        if (!upper && !keyed) {
            return null;
        }
        return switch (w.toUpperCase(Locale.ROOT)) {
            case "FATAL", "CRITICAL", "CRIT", "PANIC", "EMERG", "ALERT", "SEVERE" -> FATAL;
            case "ERROR", "ERR" -> ERROR;
            case "WARN", "WARNING" -> WARN;
            case "INFO", "NOTICE" -> INFO;
            case "DEBUG" -> DEBUG;
            case "TRACE" -> TRACE;
            default -> null;
        };
    }
}
