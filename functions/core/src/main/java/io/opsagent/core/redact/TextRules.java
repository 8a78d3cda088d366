package io.opsagent.core.redact;

import static io.opsagent.core.redact.Triggers.any;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The single-pass text rules (everything except Kubernetes Secret manifests). Each rule runs only when the
 * keywords it needs were found by {@link Triggers#scan}. Rules run in {@link Rule} order; every rule leaves
 * already-masked values alone so that redaction is idempotent.
 */
final class TextRules {
    private static final int CI = Pattern.CASE_INSENSITIVE;
    private static final String NAME = SecretKeys.NAME;

    private static final Pattern PEM_BLOCK = Pattern.compile(
            "(-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----)([^-]*+(?:-(?!----)[^-]*+)*+)(-----END \\2PRIVATE KEY-----)");
    private static final Pattern PEM_ORPHAN = Pattern.compile(
            "(-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----)((?:(?:\\r?\\n|(?:\\\\r)?\\\\n)[ \\t]*[A-Za-z0-9+/=]{8,}[ \\t]*)+)");
    private static final Pattern ENV_YAML = Pattern.compile(
            "(?m)^([ \\t]*-[ \\t]+name:[ \\t]*[\"']?)((?i:" + NAME + "))([\"']?[ \\t]*\\r?\\n[ \\t]+value:[ \\t]*)(.*?)[ \\t]*$");
    private static final Pattern ENV_JSON = Pattern.compile(
            "(\"name\"\\s*:\\s*\")((?i:" + NAME + "))(\"\\s*,\\s*\"value\"\\s*:\\s*\")((?:[^\"\\\\]|\\\\.)*)(\")");
    /** Groups: 1 header, then 2-4 a multi-parameter scheme and all its parameters, or 5-7 scheme and credential. */
    private static final Pattern AUTH_HEADER = Pattern.compile(
            "(\\b(?:proxy-)?authorization(?:\\\\?[\"'])?[ \\t]*[:=][ \\t]*(?:\\\\?[\"'])?)"
                    + "(?:(digest|negotiate|ntlm|aws4-hmac-sha256)([ \\t]+)([^\\r\\n\"'\\\\]+)"
                    + "|(?:(bearer|basic|token|apikey|sso-key)([ \\t]+))?([^\\s\"'\\\\,]+))", CI);
    private static final Pattern COOKIE = Pattern.compile(
            "(\\b(?:set-)?cookie(?:\\\\?[\"'])?[ \\t]*:[ \\t]*(?:\\\\?[\"'])?)([^\\r\\n\"'\\\\]+)", CI);
    private static final Pattern SCHEME_WORD = Pattern.compile(
            "bearer|basic|token|digest|negotiate|ntlm|apikey|aws4-hmac-sha256|sso-key", CI);
    private static final Pattern BEARER = Pattern.compile(
            "(\\bbearer[ \\t]+)([A-Za-z0-9\\-._~+/]+=*)(?![A-Za-z0-9\\-._~+/=])", CI);
    private static final Pattern BASIC = Pattern.compile(
            "(\\bbasic[ \\t]+)([A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])", CI);
    private static final Pattern URL_USERINFO = Pattern.compile(
            "(?<![A-Za-z0-9+.\\-])([A-Za-z][A-Za-z0-9+.\\-]*://[^\\s:/?#@\"'<>\\[\\]]*:)([^\\s/?#\"'<>]+)(@)");
    private static final Pattern ORACLE = Pattern.compile(
            "(jdbc:oracle:[a-z]+:[A-Za-z0-9_$#]+/)([^@\\s\"']+)(@)", CI);
    private static final Pattern URL_SIGNATURE = Pattern.compile(
            "([?&](?:x-amz-signature|x-amz-security-token|x-goog-signature|x-goog-credential|sig|signature)=)"
                    + "([^&#\\s\"'<>]+)", CI);
    private static final Pattern CLI_FLAG = Pattern.compile(
            "(?<![\\w-])(--(?:" + NAME + ")[ \\t]+)(?!-)(\"[^\"\\n]*\"|'(?:[^'\\n]|'')*'|[^\\s\"']+)", CI);
    private static final Pattern NETRC = Pattern.compile(
            "(?m)^([ \\t]*(?:(?:machine|default)[ \\t]+\\S+[ \\t]+)?(?:(?:login|account)[ \\t]+\\S+[ \\t]+)*"
                    + "password[ \\t]+)(?!for\\b)(\\S+)", CI);
    private static final Pattern SQL_IDENTIFIED = Pattern.compile(
            "(\\bidentified[ \\t]+by[ \\t]+(?:password[ \\t]+)?)('(?:[^'\\n]|'')*'|\"[^\"\\n]*\"|[^\\s;]+)", CI);
    private static final Pattern SQL_PASSWORD = Pattern.compile("(\\bpassword[ \\t]+)('(?:[^'\\n]|'')*')", CI);
    /** Used with {@code lookingAt()} at the start of a candidate key name found by {@link SecretKeys#nextNameEnd}. */
    private static final Pattern KEY_VALUE = Pattern.compile(
            "(?<key>" + NAME + ")(?![A-Za-z0-9_.\\-])"
                    + "(?<sep>(?:\\\\?[\"'])?[ \\t]*(?:=>|:=|=|:)(?:[ \\t]+(?![A-Za-z0-9_.\\-]+=[^=\\s]))?)"
                    + "(?<val>\\\\\"(?:[^\"\\\\]|\\\\[^\"])*\\\\\"|\"(?:[^\"\\\\\\n]|\\\\.)*\"|'(?:[^'\\n]|'')*'"
                    + "|\\$\\{[^}\\s]*\\}|\\$\\([^)\\s]*\\)"
                    + "|[^\\s\"',;&(){}\\[\\]<][^\\s\"',;&(){}\\[\\]]*)", CI);
    private static final Pattern BYTES_AFTER = Pattern.compile("[ \\t]*bytes\\b");
    private static final Pattern VENDOR = Pattern.compile(
            "\\b(gh[pousr]_|github_pat_|glpat-|xox[abposre]-|xapp-|AIza|[sr]k_live_|sk-ant-|sk-proj-|hv[sb]\\.)([A-Za-z0-9_\\-]{16,})");
    private static final Pattern SLACK_WEBHOOK = Pattern.compile(
            "(hooks\\.slack\\.com/services/[A-Za-z0-9]+/[A-Za-z0-9]+/)([A-Za-z0-9]{16,})");
    private static final Pattern AWS_KEY_ID = Pattern.compile(
            "\\b(AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])([A-Z0-9]{16})\\b");
    private static final Pattern JWT = Pattern.compile(
            "\\beyJ[A-Za-z0-9_\\-]{2,}\\.eyJ[A-Za-z0-9_\\-]{2,}\\.[A-Za-z0-9_\\-]*");
    private static final Pattern AWS_SECRET_BARE = Pattern.compile(
            "(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])");

    /** The JWT mask: the {@code eyJ} prefix (base64 of <code>{"</code>) is the only part kept. */
    static final String JWT_MASK = "eyJ****.****.****";

    private TextRules() {
    }

    /** Runs the rules whose trigger keywords are in {@code bits} over {@code text}. */
    static String apply(String text, long bits, Tally tally) {
        String t = text;
        if (any(bits, Triggers.PRIVATE_KEY)) {
            t = privateKeys(t, tally);
        }
        if (any(bits, Triggers.KIND) && any(bits, Triggers.SECRET) && any(bits, Triggers.DATA)) {
            t = SecretManifests.apply(t, tally);
        }
        if (any(bits, Triggers.PASS | Triggers.PWD | Triggers.SECRET | Triggers.TOKEN | Triggers.KEY
                | Triggers.AUTH | Triggers.CREDENTIAL)) {
            t = envValues(t, tally);
        }
        if (any(bits, Triggers.AUTHORIZATION)) {
            t = Rewriter.replace(AUTH_HEADER, t, m -> authHeader(m, tally));
        }
        if (any(bits, Triggers.COOKIE)) {
            t = Rewriter.replace(COOKIE, t, m -> {
                if (Masks.isNonSecret(m.group(2)) || m.group(2).indexOf('=') < 0) {
                    return null;
                }
                tally.add(Rule.AUTH_HEADER);
                return m.group(1) + Masks.SHORT;
            });
        }
        if (any(bits, Triggers.BEARER)) {
            t = Rewriter.replace(BEARER, t, m -> bearer(m, tally));
        }
        if (any(bits, Triggers.BASIC)) {
            t = Rewriter.replace(BASIC, t, m -> basic(m, tally));
        }
        if (any(bits, Triggers.URL)) {
            t = Rewriter.replace(URL_USERINFO, t, m -> middle(m, tally, Rule.URL_CREDENTIALS));
        }
        if (any(bits, Triggers.ORACLE)) {
            t = Rewriter.replace(ORACLE, t, m -> middle(m, tally, Rule.URL_CREDENTIALS));
        }
        if (any(bits, Triggers.SIG | Triggers.TOKEN) && t.indexOf('=') > 0) {
            t = Rewriter.replace(URL_SIGNATURE, t, m -> secondGroup(m, tally, Rule.URL_SIGNATURE));
        }
        t = keyed(t, bits, tally);
        if (any(bits, Triggers.VENDOR)) {
            t = Rewriter.replace(VENDOR, t, m -> prefixKept(m, tally));
            t = Rewriter.replace(SLACK_WEBHOOK, t, m -> prefixKept(m, tally));
        }
        if (any(bits, Triggers.AWS_ID)) {
            t = Rewriter.replace(AWS_KEY_ID, t, m -> {
                tally.add(Rule.AWS_ACCESS_KEY_ID);
                return m.group(1) + Masks.sameLength(m.group(2));
            });
        }
        if (any(bits, Triggers.EYJ)) {
            t = Rewriter.replace(JWT, t, m -> {
                tally.add(Rule.JWT);
                return JWT_MASK;
            });
        }
        if (any(bits, Triggers.AWS_ID | Triggers.AWS)) {
            t = Rewriter.replace(AWS_SECRET_BARE, t, m -> bareAwsSecret(m, tally));
        }
        return t;
    }

    private static String keyed(String text, long bits, Tally tally) {
        String t = text;
        long names = Triggers.PASS | Triggers.PWD | Triggers.SECRET | Triggers.TOKEN | Triggers.KEY | Triggers.AUTH
                | Triggers.CREDENTIAL;
        if (any(bits, names) && t.contains("--")) {
            t = Rewriter.replace(CLI_FLAG, t, m -> secondGroup(m, tally, Rule.CLI_FLAG));
        }
        if (any(bits, Triggers.MACHINE) && any(bits, Triggers.PASS)) {
            t = Rewriter.replace(NETRC, t, m -> secondGroup(m, tally, Rule.NETRC));
        }
        if (any(bits, Triggers.IDENTIFIED)) {
            t = Rewriter.replace(SQL_IDENTIFIED, t, m -> secondGroup(m, tally, Rule.SQL_PASSWORD));
        }
        if (any(bits, Triggers.PASS)) {
            t = Rewriter.replace(SQL_PASSWORD, t, m -> secondGroup(m, tally, Rule.SQL_PASSWORD));
        }
        if (any(bits, names)) {
            t = keyValues(t, tally);
        }
        return t;
    }

    /** The key=value rule, tried only where a key name ends with a secret word. */
    private static String keyValues(String text, Tally tally) {
        Matcher m = KEY_VALUE.matcher(text);
        StringBuilder out = null;
        int last = 0;
        int i = 0;
        while (i < text.length()) {
            int end = SecretKeys.nextNameEnd(text, i);
            if (end < 0) {
                break;
            }
            i = end;
            int start = SecretKeys.nameStart(text, end);
            if (start < last || !m.region(start, text.length()).lookingAt()) {
                continue;
            }
            String replacement = keyValue(text, m, tally);
            if (replacement != null) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 16);
                }
                out.append(text, last, start).append(replacement);
                last = m.end();
                i = last;
            }
        }
        return out == null ? text : out.append(text, last, text.length()).toString();
    }

    private static String privateKeys(String text, Tally tally) {
        String t = Rewriter.replace(PEM_BLOCK, text, m -> {
            String body = m.group(3);
            String sep = body.contains("\n") ? "\n" : body.contains("\\n") ? "\\n" : " ";
            if (body.strip().equals(Masks.SHORT) || body.equals(sep + Masks.SHORT + sep)) {
                return null;
            }
            tally.add(Rule.PRIVATE_KEY);
            return m.group(1) + sep + Masks.SHORT + sep + m.group(4);
        });
        return Rewriter.replace(PEM_ORPHAN, t, m -> {
            String body = m.group(2);
            String sep = body.startsWith("\\") ? "\\n" : "\n";
            tally.add(Rule.PRIVATE_KEY);
            return m.group(1) + sep + Masks.SHORT;
        });
    }

    private static String envValues(String text, Tally tally) {
        String t = text;
        if (t.indexOf('\n') >= 0 && t.contains("value:")) {
            t = Rewriter.replace(ENV_YAML, t, m -> {
                String value = m.group(4);
                String open = value.startsWith("\"") || value.startsWith("'") ? value.substring(0, 1) : "";
                String inner = open.isEmpty() ? value : value.substring(1, Math.max(1, value.length() - 1));
                if (Masks.isNonSecret(inner)) {
                    return null;
                }
                tally.add(Rule.ENV_SECRET_VALUE);
                return m.group(1) + m.group(2) + m.group(3) + open + Masks.VALUE + open;
            });
        }
        if (t.contains("\"value\"")) {
            t = Rewriter.replace(ENV_JSON, t, m -> {
                if (Masks.isNonSecret(m.group(4))) {
                    return null;
                }
                tally.add(Rule.ENV_SECRET_VALUE);
                return m.group(1) + m.group(2) + m.group(3) + Masks.VALUE + m.group(5);
            });
        }
        return t;
    }

    private static String authHeader(Matcher m, Tally tally) {
        boolean multi = m.group(2) != null;
        String credential = multi ? m.group(4) : m.group(7);
        String scheme = multi ? m.group(2) + m.group(3) : m.group(5) == null ? "" : m.group(5) + m.group(6);
        if (Masks.isNonSecret(credential) || (scheme.isEmpty() && (SCHEME_WORD.matcher(credential).matches()
                || !(looksSecret(credential) || credential.length() >= 20)))) {
            return null; // "may require authorization: server message: ..." is prose, not a header
        }
        tally.add(Rule.AUTH_HEADER);
        return m.group(1) + scheme + Masks.SHORT;
    }

    private static String bearer(Matcher m, Tally tally) {
        String token = m.group(2);
        if (token.length() < 8 || !(hasDigit(token) || token.length() >= 20)) {
            return null;
        }
        tally.add(Rule.BEARER_TOKEN);
        return m.group(1) + Masks.SHORT;
    }

    private static String basic(Matcher m, Tally tally) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(m.group(2)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
        if (decoded.indexOf(':') <= 0) {
            return null;
        }
        tally.add(Rule.BASIC_AUTH);
        return m.group(1) + Masks.SHORT;
    }

    /** Three groups: prefix, secret, suffix; the secret becomes {@link Masks#VALUE}. */
    private static String middle(Matcher m, Tally tally, Rule rule) {
        if (Masks.isNonSecret(m.group(2))) {
            return null;
        }
        tally.add(rule);
        return m.group(1) + Masks.VALUE + m.group(3);
    }

    /** Two groups: prefix, secret (maybe quoted); the secret becomes {@link Masks#VALUE}, quotes kept. */
    private static String secondGroup(Matcher m, Tally tally, Rule rule) {
        return masked(m.group(1), m.group(2), tally, rule);
    }

    private static String masked(String prefix, String value, Tally tally, Rule rule) {
        Quoted q = Quoted.of(value);
        if (Masks.isNonSecret(q.inner)) {
            return null;
        }
        tally.add(rule);
        return prefix + q.open + Masks.VALUE + q.close;
    }

    private static String keyValue(String text, Matcher m, Tally tally) {
        int keyStart = m.start("key");
        String key = m.group("key");
        String sep = m.group("sep");
        Quoted q = Quoted.of(m.group("val"));
        if (Masks.isNonSecret(q.inner)) {
            return null;
        }
        if ((key.equalsIgnoreCase("pwd") || key.equalsIgnoreCase("pass"))
                && (q.inner.startsWith("/") || q.inner.startsWith("~"))) {
            return null;
        }
        if (BYTES_AFTER.matcher(text).region(m.end(), text.length()).lookingAt() && isDigits(q.inner)) {
            return null;
        }
        boolean quotedKey = keyStart > 0 && (text.charAt(keyStart - 1) == '"' || text.charAt(keyStart - 1) == '\'');
        boolean colon = sep.indexOf('=') < 0;
        if (colon && !quotedKey && q.open.isEmpty() && !atLineStart(text, keyStart) && !looksSecret(q.inner)) {
            return null;
        }
        tally.add(SecretKeys.isAwsSecretKey(key) ? Rule.AWS_SECRET_KEY : Rule.SECRET_KEY_VALUE);
        return m.group("key") + sep + q.open + Masks.VALUE + q.close;
    }

    private static String prefixKept(Matcher m, Tally tally) {
        tally.add(Rule.VENDOR_TOKEN);
        return m.group(1) + Masks.sameLength(m.group(2));
    }

    private static String bareAwsSecret(Matcher m, Tally tally) {
        String s = m.group();
        boolean upper = false;
        boolean lower = false;
        boolean other = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            upper |= c >= 'A' && c <= 'Z';
            lower |= c >= 'a' && c <= 'z';
            other |= (c >= '0' && c <= '9') || c == '/' || c == '+';
        }
        if (!(upper && lower && other)) {
            return null;
        }
        tally.add(Rule.AWS_SECRET_KEY_BARE);
        return Masks.sameLength(s);
    }

    /** Only indentation or a YAML list dash between the start of the line and the key. */
    private static boolean atLineStart(String text, int pos) {
        for (int i = pos - 1; i >= 0; i--) {
            char c = text.charAt(i);
            if (c == '\n') {
                return true;
            }
            if (c != ' ' && c != '\t' && c != '-') {
                return false;
            }
        }
        return true;
    }

    /** A value that looks generated rather than a word: letters and digits, at least 6 characters. */
    private static boolean looksSecret(String v) {
        if (v.length() < 6) {
            return false;
        }
        boolean letter = false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            letter |= Character.isLetter(c);
        }
        return letter && hasDigit(v);
    }

    private static boolean hasDigit(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                return true;
            }
        }
        return false;
    }

    private static boolean isDigits(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** A value split into its quotes and its content: {@code "x"}, {@code 'x'}, {@code \"x\"} or bare. */
    private record Quoted(String open, String inner, String close) {
        static Quoted of(String v) {
            if (v.length() >= 4 && v.startsWith("\\\"") && v.endsWith("\\\"")) {
                return new Quoted("\\\"", v.substring(2, v.length() - 2), "\\\"");
            }
            if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.endsWith(v.substring(0, 1))) {
                return new Quoted(v.substring(0, 1), v.substring(1, v.length() - 1), v.substring(0, 1));
            }
            return new Quoted("", v, "");
        }
    }
}
