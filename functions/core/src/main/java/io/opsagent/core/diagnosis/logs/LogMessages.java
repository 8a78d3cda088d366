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
        if (t.contains("msg=")) {
            String l = logfmtMessage(t);
            if (l != null) {
                return shorten(l);
            }
        }
        int cut = afterLevel(t);
        String m = t.substring(cut).strip();
        java.util.regex.Matcher spring = SPRING_HEADER.matcher(m);
        if (spring.find()) {
            m = m.substring(spring.end());
        }
        while (!m.isEmpty() && ":-]|>".indexOf(m.charAt(0)) >= 0) {
            m = m.substring(1).strip();
        }
        return shorten(m.isEmpty() ? t : m);
    }

    /** Spring Boot / logback: {@code 1 --- [app] [thread] logger : }. */
    private static final java.util.regex.Pattern SPRING_HEADER = java.util.regex.Pattern.compile(
            "^\\d+ --- (?:\\[[^\\]]*\\]\\s*){1,2}\\S+\\s+: ");

    private static final java.util.regex.Pattern LOGFMT_MSG = java.util.regex.Pattern.compile(
            "(?:^|\\s)msg=(?:\"((?:[^\"\\\\]|\\\\.)*)\"|(\\S+))");
    private static final java.util.regex.Pattern LOGFMT_ERR = java.util.regex.Pattern.compile(
            "(?:^|\\s)(?:err|error)=(?:\"((?:[^\"\\\\]|\\\\.)*)\"|(\\S+))");

    private static String logfmtMessage(String t) {
        java.util.regex.Matcher m = LOGFMT_MSG.matcher(t);
        if (!m.find()) {
            return null;
        }
        String msg = (m.group(1) != null ? m.group(1) : m.group(2)).replace("\\\"", "\"");
        java.util.regex.Matcher e = LOGFMT_ERR.matcher(t);
        if (e.find()) {
            String err = (e.group(1) != null ? e.group(1) : e.group(2)).replace("\\\"", "\"");
            return msg + ": " + err;
        }
        return msg;
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
        // level words are upper case in headers; "Error creating bean" is part of a message
        String upper = t.substring(0, limit);
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
