package io.opsagent.core.tools.cluster;

import io.opsagent.core.tools.ToolInputException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Time expressions tools accept for {@code since}/{@code until}: an ISO-8601 instant
 * ({@code 2026-11-21T09:30:00Z}), a time of day in UTC ({@code 10:00}, {@code 09:45:30}: on the day of the
 * cluster's "now", or the day before if that would be in the future), or an age ({@code 30m}, {@code 2h},
 * {@code 90s}, {@code 1d}, {@code 30 minutes}) counted back from the cluster's "now" (the latest time seen in the
 * snapshot, so a dump is read as of when it was taken).
 */
public final class TimeExpr {
    private static final Pattern AGE = Pattern.compile(
            "(\\d+)\\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hrs|hours?|d|days?)");
    private static final Pattern CLOCK = Pattern.compile("(\\d{1,2}):(\\d{2})(?::(\\d{2}))?");

    private TimeExpr() {
    }

    /** Parses {@code expr}; throws {@link ToolInputException} naming the accepted forms. */
    public static Instant parse(String expr, Instant now) {
        String s = expr.strip().toLowerCase(Locale.ROOT);
        try {
            return OffsetDateTime.parse(expr.strip()).toInstant();
        } catch (DateTimeParseException ignored) {
            // not ISO
        }
        try {
            return Instant.parse(expr.strip());
        } catch (DateTimeParseException ignored) {
            // not ISO
        }
        Instant ref = now == null ? Instant.now() : now;
        Matcher c = CLOCK.matcher(s);
        if (c.matches()) {
            int h = Integer.parseInt(c.group(1));
            int m = Integer.parseInt(c.group(2));
            int sec = c.group(3) == null ? 0 : Integer.parseInt(c.group(3));
            if (h > 23 || m > 59 || sec > 59) throw bad(expr);
            LocalDate day = ref.atZone(ZoneOffset.UTC).toLocalDate();
            Instant t = day.atTime(LocalTime.of(h, m, sec)).toInstant(ZoneOffset.UTC);
            return t.isAfter(ref) ? t.minus(Duration.ofDays(1)) : t;
        }
        Matcher a = AGE.matcher(s.replace("ago", "").strip());
        if (a.matches()) {
            long n = Long.parseLong(a.group(1));
            char unit = a.group(2).charAt(0);
            Duration d = switch (unit) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return ref.minus(d);
        }
        throw bad(expr);
    }

    private static ToolInputException bad(String expr) {
        return new ToolInputException("cannot read time '" + expr + "': use an ISO-8601 instant "
                + "(2026-11-21T09:30:00Z), a UTC time of day (10:00) or an age (30m, 2h, 1d)");
    }
}
