package io.opsagent.core.diagnosis.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Locale;

/** Small text helpers: the message part of a log line, and a key under which identical errors fold together. */
final class LogMessages {
    private LogMessages() {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX = 160;

    /**
     * The message of a line without its header: for a JSON line its {@code msg}/{@code message} (and
     * {@code error}) fields, otherwise the text after the level word when there is one near the start.
     */
    static String message(String line) {
        String t = line.strip();
        if (t.startsWith("{")) {
            String j = jsonMessage(t);
            if (j != null) {
                return shorten(j);
            }
        }
        int cut = afterLevel(t);
        String m = t.substring(cut).strip();
        while (!m.isEmpty() && ":-]|>".indexOf(m.charAt(0)) >= 0) {
            m = m.substring(1).strip();
        }
        return shorten(m.isEmpty() ? t : m);
    }

    private static String jsonMessage(String t) {
        try {
            JsonNode n = JSON.readTree(t);
            if (n == null || !n.isObject()) {
                return null;
            }
            String msg = text(n, "msg", "message", "event");
            String err = text(n, "error", "err", "exception", "error.message");
            if (msg == null) {
                return err;
            }
            return err == null || msg.contains(err) ? msg : msg + ": " + err;
        } catch (Exception e) {
            return null;
        }
    }

    private static String text(JsonNode n, String... keys) {
        for (String k : keys) {
            JsonNode v = n.get(k);
            if (v != null && !v.isNull()) {
                return v.isTextual() ? v.asText() : v.toString();
            }
        }
        return null;
    }

    private static final String[] LEVELS = {"FATAL", "CRITICAL", "ERROR", "PANIC", "SEVERE", "WARNING", "WARN", "INFO",
            "EMERG", "CRIT", "ALERT", "ERR"};

    private static int afterLevel(String t) {
        int limit = Math.min(t.length(), 120);
        String head = t.substring(0, limit);
        String upper = head.toUpperCase(Locale.ROOT);
        for (String l : LEVELS) {
            int i = upper.indexOf(l);
            while (i >= 0) {
                int end = i + l.length();
                boolean startOk = i == 0 || !Character.isLetter(upper.charAt(i - 1));
                boolean endOk = end >= upper.length() || !Character.isLetter(upper.charAt(end));
                if (startOk && endOk) {
                    // skip a bracket/colon right after, and a logger "[main] c.e.Foo :" section is kept
                    return end;
                }
                i = upper.indexOf(l, i + 1);
            }
        }
        return 0;
    }

    static String shorten(String s) {
        String t = s.strip();
        return t.length() <= MAX ? t : t.substring(0, MAX - 1) + "…";
    }

    /**
     * A key under which repeated identical lines fold: the lower-case text with every word that holds a digit
     * (numbers, timestamps, ids, addresses' octets) replaced by {@code #}.
     */
    static String foldKey(String text) {
        StringBuilder sb = new StringBuilder(Math.min(text.length(), 300));
        int n = Math.min(text.length(), 300);
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                int j = i;
                boolean digit = false;
                while (j < n && Character.isLetterOrDigit(text.charAt(j))) {
                    digit |= Character.isDigit(text.charAt(j));
                    j++;
                }
                if (digit) {
                    sb.append('#');
                } else {
                    for (int k = i; k < j; k++) {
                        sb.append(Character.toLowerCase(text.charAt(k)));
                    }
                }
                i = j;
            } else {
                sb.append(c);
                i++;
            }
        }
        return sb.toString();
    }
}
