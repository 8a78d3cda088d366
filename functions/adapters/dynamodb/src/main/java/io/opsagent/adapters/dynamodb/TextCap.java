package io.opsagent.adapters.dynamodb;

import java.nio.charset.StandardCharsets;

/**
 * The hard cap on one stored text attribute: {@value #MAX_BYTES} bytes of UTF-8. Callers already cap and redact
 * what they store; this cap only guarantees that no item can reach DynamoDB's 400 KB item limit (a step holds at
 * most four capped texts). A longer text keeps its head and ends with a marker saying how long it was.
 */
public final class TextCap {
    /** 32 KB. */
    public static final int MAX_BYTES = 32 * 1024;
    /** Start of the marker appended to a truncated text. */
    public static final String MARKER = "\n…[truncated by the store: ";

    private TextCap() {
    }

    /** The text itself if it fits in {@value #MAX_BYTES} UTF-8 bytes, else its head plus a marker; null stays null. */
    public static String cap(String text) {
        if (text == null) {
            return null;
        }
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= MAX_BYTES) {
            return text;
        }
        String marker = MARKER + utf8.length + " bytes, kept the first " + "%d]";
        int budget = MAX_BYTES - marker.getBytes(StandardCharsets.UTF_8).length - 8;
        int end = budget;
        while (end > 0 && (utf8[end] & 0xC0) == 0x80) {
            end--; // do not cut a multi-byte character
        }
        String head = new String(utf8, 0, end, StandardCharsets.UTF_8);
        return head + String.format(marker, end);
    }
}
