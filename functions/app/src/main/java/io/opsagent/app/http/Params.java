package io.opsagent.app.http;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Query parameter parsing with 400s naming the parameter. */
final class Params {
    private Params() {
    }

    /** {@code s} cut to {@code max} characters with {@code …}: a client's value quoted back in an error. */
    static String clip(String s, int max) {
        return s.length() > max ? s.substring(0, max) + "…" : s;
    }

    static int intParam(Request r, String name, int dflt, int min, int max) {
        String v = r.query(name);
        if (v == null) return dflt;
        try {
            int n = Integer.parseInt(v.strip());
            if (n < min || n > max) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw ApiError.badRequest(name, "'" + name + "' must be a whole number from " + min + " to " + max + ", got '" + v + "'");
        }
    }

    /** An ISO-8601 instant ({@code 2026-11-21T10:00:00Z}) or a date ({@code 2026-11-21}, midnight UTC), or null. */
    static Instant instant(Request r, String name) {
        String v = r.query(name);
        if (v == null) return null;
        try {
            if (v.length() == 10) return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw ApiError.badRequest(name, "'" + name + "' must be an ISO-8601 time such as 2026-11-21T10:00:00Z or a "
                    + "date such as 2026-11-21, got '" + v + "'");
        }
    }
}
