package io.opsagent.core.redact;

/**
 * Cheap pre-check: one pass over the text finds which literal keywords occur (ignoring case), so that only the
 * rules whose keywords are present run their regular expressions. A line without any keyword costs one scan.
 */
final class Triggers {
    static final long PASS = bit(0);
    static final long PWD = bit(1);
    static final long SECRET = bit(2);
    static final long TOKEN = bit(3);
    static final long KEY = bit(4);
    static final long AUTH = bit(5);
    static final long BEARER = bit(6);
    static final long BASIC = bit(7);
    static final long URL = bit(8);
    static final long EYJ = bit(9);
    static final long AWS_ID = bit(10);
    static final long VENDOR = bit(11);
    static final long MACHINE = bit(12);
    static final long IDENTIFIED = bit(13);
    static final long KIND = bit(14);
    static final long DATA = bit(15);
    static final long AWS = bit(16);
    static final long SIG = bit(17);
    static final long ORACLE = bit(18);
    static final long PRIVATE_KEY = bit(19);
    static final long CREDENTIAL = bit(20);
    static final long COOKIE = bit(21);
    static final long AUTHORIZATION = bit(22);

    /**
     * Keyword (lower case) and the bit it sets; one bit may be listed for several spellings. A trailing {@code $}
     * means the keyword counts only where it ends a key name (the next character is not a letter, digit,
     * {@code _}, {@code .} or {@code -}): "authentication", "passing", "tokens" and "keyId" set nothing.
     */
    private static final String[] SPELLINGS = {
        "pass$", "pwd$", "secret$", "token$", "key$", "auth$", "bearer$", "basic$", "://", "eyj",
        "akia", "asia", "abia", "acca", "a3t",
        "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "xox", "xapp-", "aiza", "sk_live_",
        "rk_live_", "hooks.slack.com",
        "machine", "identified", "kind", "data", "aws", "sig", "jdbc:oracle", "private key", "credential$",
        "password$", "passwd$", "passphrase$", "authorization", "credentials$", "key-data$", "key_data$",
        "keydata$", "cookie", "sk-ant-", "sk-proj-", "hvs.", "hvb.",
    };
    private static final long[] BITS = {
        PASS, PWD, SECRET, TOKEN, KEY, AUTH, BEARER, BASIC, URL, EYJ,
        AWS_ID, AWS_ID, AWS_ID, AWS_ID, AWS_ID,
        VENDOR, VENDOR, VENDOR, VENDOR, VENDOR, VENDOR, VENDOR, VENDOR, VENDOR, VENDOR, VENDOR,
        VENDOR, VENDOR,
        MACHINE, IDENTIFIED, KIND, DATA, AWS, SIG, ORACLE, PRIVATE_KEY, CREDENTIAL,
        PASS, PASS, PASS, AUTH | AUTHORIZATION, CREDENTIAL, KEY, KEY,
        KEY, COOKIE, VENDOR, VENDOR, VENDOR, VENDOR,
    };
    private static final String[] WORDS = new String[SPELLINGS.length];
    private static final boolean[] AT_END = new boolean[SPELLINGS.length];
    /** For each pair of lower-case ASCII first two characters, the indexes of the keywords starting with it. */
    private static final int[][] BY_PAIR = new int[128 * 128][];

    static {
        for (int w = 0; w < SPELLINGS.length; w++) {
            AT_END[w] = SPELLINGS[w].endsWith("$");
            WORDS[w] = AT_END[w] ? SPELLINGS[w].substring(0, SPELLINGS[w].length() - 1) : SPELLINGS[w];
        }
        for (int w = 0; w < WORDS.length; w++) {
            int pair = WORDS[w].charAt(0) * 128 + WORDS[w].charAt(1);
            int[] old = BY_PAIR[pair];
            int[] grown = old == null ? new int[1] : java.util.Arrays.copyOf(old, old.length + 1);
            grown[grown.length - 1] = w;
            BY_PAIR[pair] = grown;
        }
    }

    private Triggers() {
    }

    private static long bit(int i) {
        return 1L << i;
    }

    /** The bits of all keywords that occur in {@code s}, ignoring ASCII case. */
    static long scan(CharSequence s) {
        long bits = 0;
        int n = s.length() - 1;
        if (n < 1) {
            return 0;
        }
        char next = s.charAt(0);
        for (int i = 0; i < n; i++) {
            char c = next;
            next = s.charAt(i + 1);
            if ((c | next) >= 128) {
                continue;
            }
            int[] candidates = BY_PAIR[lower(c) * 128 + lower(next)];
            if (candidates == null) {
                continue;
            }
            for (int w : candidates) {
                if (matchesAt(s, i, WORDS[w]) && (!AT_END[w] || endsName(s, i + WORDS[w].length()))) {
                    bits |= BITS[w];
                }
            }
        }
        return bits;
    }

    private static boolean matchesAt(CharSequence s, int at, String word) {
        int len = word.length();
        if (at + len > s.length()) {
            return false;
        }
        for (int k = 1; k < len; k++) {
            char c = s.charAt(at + k);
            if (c >= 128 || lower(c) != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static boolean endsName(CharSequence s, int at) {
        if (at >= s.length()) {
            return true;
        }
        char c = s.charAt(at);
        return !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.'
                || c == '-');
    }

    private static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }

    /** True when any of the bits in {@code wanted} is set in {@code bits}. */
    static boolean any(long bits, long wanted) {
        return (bits & wanted) != 0;
    }
}
