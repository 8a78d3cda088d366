package io.opsagent.adapters.dynamodb;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Small helpers to read and write item attributes; absent attributes stand for null. */
final class Items {
    /** Fixed-width UTC time with nanoseconds, so that sort keys order by time as strings. */
    private static final DateTimeFormatter SORTABLE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.nnnnnnnnn'Z'").withZone(ZoneOffset.UTC);

    private Items() {
    }

    static AttributeValue s(String value) {
        return AttributeValue.builder().s(value).build();
    }

    static AttributeValue n(long value) {
        return AttributeValue.builder().n(Long.toString(value)).build();
    }

    static AttributeValue n(double value) {
        return AttributeValue.builder().n(Double.toString(value)).build();
    }

    static AttributeValue bool(boolean value) {
        return AttributeValue.builder().bool(value).build();
    }

    /** Puts a string if not null. */
    static void put(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, s(value));
        }
    }

    /** Puts a text if not null, capped by {@link TextCap}. */
    static void putText(Map<String, AttributeValue> item, String name, String value) {
        put(item, name, TextCap.cap(value));
    }

    static void put(Map<String, AttributeValue> item, String name, Instant value) {
        if (value != null) {
            item.put(name, s(value.toString()));
        }
    }

    static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    static Instant instant(Map<String, AttributeValue> item, String name) {
        String v = str(item, name);
        return v == null ? null : Instant.parse(v);
    }

    static long num(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0L : Long.parseLong(v.n());
    }

    static Long numOrNull(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? null : Long.parseLong(v.n());
    }

    static double dbl(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0.0 : Double.parseDouble(v.n());
    }

    static boolean bool(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v != null && Boolean.TRUE.equals(v.bool());
    }

    /** The time as a fixed-width string that sorts like the time. */
    static String sortable(Instant t) {
        return SORTABLE.format(t);
    }

    /** A sort key ordering by time, made unique by the id: {@code <sortable time>#<id>}. */
    static String timeKey(Instant t, String id) {
        return sortable(t) + "#" + id;
    }

    /** A zero-padded number, so that sort keys order numerically. */
    static String padded(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("sequence numbers start at 0, got " + n);
        }
        return String.format("%010d", n);
    }
}
