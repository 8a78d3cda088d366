package io.opsagent.core.input.text;

import io.fabric8.kubernetes.api.model.Quantity;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small conversions of kubectl's human-readable values. */
final class Values {
    private Values() {
    }

    /** Null for empty, {@code <none>}, {@code <unset>}, {@code <nil>}; else the trimmed text. */
    static String clean(String v) {
        if (v == null) return null;
        String t = v.trim();
        if (t.isEmpty() || t.equals("<none>") || t.equals("<unset>") || t.equals("<nil>") || t.equals("<unknown>")) {
            return null;
        }
        return t;
    }

    /** {@code a=b} lines (or a comma-separated list) into a map; {@code <none>} gives an empty map. */
    static Map<String, String> keyValues(List<String> items) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String item : items) {
            for (String part : item.split(",")) {
                String p = part.trim();
                if (p.isEmpty() || p.equals("<none>")) continue;
                int eq = p.indexOf('=');
                if (eq < 0) out.put(p, "");
                else out.put(p.substring(0, eq), p.substring(eq + 1));
            }
        }
        return out;
    }

    /** Annotation lines {@code key: value} into a map. */
    static Map<String, String> annotations(List<String> items) {
        Map<String, String> out = new LinkedHashMap<>();
        String last = null;
        for (String item : items) {
            int c = item.indexOf(": ");
            if (c > 0 && !item.substring(0, c).contains(" ")) {
                last = item.substring(0, c);
                out.put(last, item.substring(c + 2).trim());
            } else if (item.endsWith(":") && !item.contains(" ")) {
                last = item.substring(0, item.length() - 1);
                out.put(last, "");
            } else if (last != null) {
                out.put(last, (out.get(last) + "\n" + item).trim());
            }
        }
        return out;
    }

    /** kubectl's RFC 1123 times ("Tue, 12 Aug 2025 06:42:07 +0200") as RFC 3339 UTC; null if not a time. */
    static String time(String v) {
        String t = clean(v);
        if (t == null) return null;
        try {
            return OffsetDateTime.parse(t, DateTimeFormatter.RFC_1123_DATE_TIME).withOffsetSameInstant(ZoneOffset.UTC)
                    .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME).replace("+00:00", "Z");
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(t).withOffsetSameInstant(ZoneOffset.UTC)
                        .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME).replace("+00:00", "Z");
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    static Integer integer(String v) {
        String t = clean(v);
        if (t == null) return null;
        int end = 0;
        while (end < t.length() && (Character.isDigit(t.charAt(end)) || (end == 0 && t.charAt(0) == '-'))) end++;
        if (end == 0 || (end == 1 && t.charAt(0) == '-')) return null;
        try {
            return Integer.parseInt(t.substring(0, end));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static Boolean bool(String v) {
        String t = clean(v);
        if (t == null) return null;
        if (t.equalsIgnoreCase("true")) return true;
        if (t.equalsIgnoreCase("false")) return false;
        return null;
    }

    /** A resource quantity ("50Mi", "500m"); a value like "950m (11%)" keeps the first word. */
    static Quantity quantity(String v) {
        String t = clean(v);
        if (t == null) return null;
        int sp = t.indexOf(' ');
        return new Quantity(sp > 0 ? t.substring(0, sp) : t);
    }

    /** Kubernetes duration-ish seconds from "300s", "10s", "1m". */
    static Integer seconds(String v) {
        String t = clean(v);
        if (t == null) return null;
        try {
            if (t.endsWith("ms")) return 0;
            if (t.endsWith("s")) return Integer.parseInt(t.substring(0, t.length() - 1));
            if (t.endsWith("m")) return Integer.parseInt(t.substring(0, t.length() - 1)) * 60;
            if (t.endsWith("h")) return Integer.parseInt(t.substring(0, t.length() - 1)) * 3600;
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
