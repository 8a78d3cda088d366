package io.opsagent.core.logs.search;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the timestamp at the start of a log line, in the common formats: RFC 3339 / ISO 8601 with {@code Z} or an
 * offset and up to nanoseconds ({@code 2026-11-21T10:00:00.123456789Z}, as {@code kubectl logs --timestamps}
 * writes), {@code 2026-11-21 10:00:00,123} (log4j, Python), {@code 2026/11/21 10:00:00} (Go, nginx), klog's
 * {@code I1121 10:00:00.123456}, syslog's {@code Nov 21 10:00:00}, Redis's {@code 1:M 21 Nov 2026 10:00:00.123},
 * optionally in brackets or after
 * {@code time=}/{@code ts=}; and in JSON lines the {@code ts}, {@code time}, {@code timestamp} or
 * {@code @timestamp} field (text or epoch seconds/milliseconds). Times without a zone are UTC; formats without a
 * year take the year given by the caller.
 */
public final class LogTimestamps {
    private LogTimestamps() {
    }

    /**
     * A timestamp read from a line.
     *
     * @param instant the time
     * @param end     index in the line just after the timestamp text (0 for JSON fields): the header ends there
     */
    public record Parsed(Instant instant, int end) {
    }

    private static final Pattern ISO = Pattern.compile(
            "^\\[?(?:(?:time|ts|timestamp)=\"?)?(\\d{4})[-/](\\d{2})[-/](\\d{2})[T ](\\d{2}):(\\d{2}):(\\d{2})"
                    + "(?:[.,](\\d{1,9}))?(?: ?(Z|UTC|[+-]\\d{2}:?\\d{2}))?\"?\\]?");
    private static final Pattern KLOG = Pattern.compile(
            "^[IWEF](\\d{2})(\\d{2}) (\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?");
    private static final Pattern SYSLOG = Pattern.compile(
            "^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}(\\d{1,2}) (\\d{2}):(\\d{2}):(\\d{2})");
    /** Redis: {@code 1:M 21 Nov 2026 10:00:00.123 * Ready to accept connections}. */
    private static final Pattern REDIS = Pattern.compile(
            "^\\d+:[A-Z] (\\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\\d{4}) (\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?");
    private static final Pattern JSON_TIME = Pattern.compile(
            "\"(?:ts|time|timestamp|@timestamp)\"\\s*:\\s*(?:\"([^\"]+)\"|(\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?))");
    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

    /** The timestamp at the start of {@code line}, or null. {@code year} is used for formats without one. */
    public static Parsed parse(String line, int year) {
        if (line == null || line.length() < 8) {
            return null;
        }
        char c0 = line.charAt(0);
        if (c0 == '{') {
            return json(line, year);
        }
        if (Character.isDigit(c0) || c0 == '[' || c0 == 't') {
            Matcher m = ISO.matcher(line);
            if (m.find()) {
                Instant t = iso(m);
                return t == null ? null : new Parsed(t, m.end());
            }
            if (Character.isDigit(c0)) {
                Matcher r = REDIS.matcher(line);
                if (r.find()) {
                    int month = MONTHS.indexOf(r.group(2)) / 3 + 1;
                    Instant t = of(num(r, 3), month, num(r, 1), num(r, 4), num(r, 5), num(r, 6), r.group(7), null);
                    return t == null ? null : new Parsed(t, r.end());
                }
            }
            return null;
        }
        if ((c0 == 'I' || c0 == 'W' || c0 == 'E' || c0 == 'F') && Character.isDigit(line.charAt(1))) {
            Matcher m = KLOG.matcher(line);
            if (m.find()) {
                Instant t = of(year, num(m, 1), num(m, 2), num(m, 3), num(m, 4), num(m, 5), m.group(6), null);
                return t == null ? null : new Parsed(t, m.end());
            }
            return null;
        }
        if (Character.isUpperCase(c0)) {
            Matcher m = SYSLOG.matcher(line);
            if (m.find()) {
                int month = MONTHS.indexOf(m.group(1)) / 3 + 1;
                Instant t = of(year, month, num(m, 2), num(m, 3), num(m, 4), num(m, 5), null, null);
                return t == null ? null : new Parsed(t, m.end());
            }
        }
        return null;
    }

    private static Parsed json(String line, int year) {
        Matcher m = JSON_TIME.matcher(line);
        if (!m.find()) {
            return null;
        }
        if (m.group(1) != null) {
            Parsed p = parse(m.group(1), year);
            return p == null ? null : new Parsed(p.instant(), 0);
        }
        try {
            BigDecimal v = new BigDecimal(m.group(2));
            BigDecimal factor;
            if (v.compareTo(BigDecimal.valueOf(100_000_000_000L)) < 0) {
                factor = BigDecimal.valueOf(1_000_000_000L); // epoch seconds
            } else if (v.compareTo(BigDecimal.valueOf(100_000_000_000_000L)) < 0) {
                factor = BigDecimal.valueOf(1_000_000L); // epoch milliseconds
            } else if (v.compareTo(BigDecimal.valueOf(100_000_000_000_000_000L)) < 0) {
                factor = BigDecimal.valueOf(1_000L); // microseconds
            } else {
                factor = BigDecimal.ONE; // nanoseconds
            }
            long nanos = v.multiply(factor).longValue();
            return new Parsed(Instant.ofEpochSecond(0, nanos), 0);
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    private static Instant iso(Matcher m) {
        return of(num(m, 1), num(m, 2), num(m, 3), num(m, 4), num(m, 5), num(m, 6), m.group(7), m.group(8));
    }

    private static int num(Matcher m, int g) {
        return Integer.parseInt(m.group(g));
    }

    private static Instant of(int y, int mo, int d, int h, int mi, int s, String fraction, String zone) {
        try {
            int nanos = 0;
            if (fraction != null) {
                nanos = Integer.parseInt((fraction + "000000000").substring(0, 9));
            }
            ZoneOffset offset = ZoneOffset.UTC;
            if (zone != null && !zone.equals("Z") && !zone.equals("UTC")) {
                String z = zone.length() == 5 ? zone.substring(0, 3) + ":" + zone.substring(3) : zone;
                offset = ZoneOffset.of(z);
            }
            return LocalDateTime.of(y, mo, d, h, mi, s, nanos).toInstant(offset);
        } catch (DateTimeException e) {
            return null;
        }
    }
}
