package io.opsagent.core.redact;

import java.util.regex.Pattern;

/**
 * Which key names hold secrets: names ending in password, passwd, passphrase, secret, token, credential(s),
 * api key, secret/private/signing/encryption/master/account/session/access key or key-data (any prefix, any case:
 * {@code DB_PASSWORD}, {@code spring.datasource.password}, {@code clientSecret}, {@code X-Api-Key},
 * {@code client-key-data}), and the exact names {@code auth}, {@code pass}, {@code pwd}.
 * Names that merely contain such a word are not secret keys: {@code token_type}, {@code secretName},
 * {@code max_tokens}, {@code password_reset}, {@code secretKeyRef}.
 */
final class SecretKeys {
    /** Characters a key name may contain. */
    static final String KEY_CHAR = "[A-Za-z0-9_.\\-]";
    /** Regex (no groups) of a secret key name, to be compiled case-insensitive. */
    static final String NAME = "(?:" + KEY_CHAR + "*" + "(?:pass(?:word|wd|phrase)|secret|token|credentials?"
            + "|api[_-]?key|(?:secret|private|signing|encryption|master|account|session|access)[_-]?key"
            + "|key[_-]?data)|auth|pass|pwd)";
    /** Words a secret key name can end with (lower case), longest first among those sharing a prefix. */
    private static final String[] LAST_WORDS = {
        "password", "passwd", "passphrase", "pass", "pwd", "secret", "token", "credentials", "credential", "key",
        "auth", "key-data", "key_data", "keydata",
    };
    private static final Pattern FULL = Pattern.compile(NAME, Pattern.CASE_INSENSITIVE);
    private static final Pattern AWS_SECRET = Pattern.compile(
            ".*(?:secret[_-]?access[_-]?key|aws[_-]?secret.*)", Pattern.CASE_INSENSITIVE);

    private SecretKeys() {
    }

    /** True when a whole key name (JSON field, env var name, YAML key) names a secret. */
    static boolean isSecretKey(String name) {
        return FULL.matcher(name).matches();
    }

    /**
     * Index just after the next place at or after {@code from} where a word that can end a secret key name
     * ends a name (followed by a character that cannot be part of a name); -1 when there is none. A cheap
     * pre-filter: only there is the key=value regex tried.
     */
    static int nextNameEnd(CharSequence text, int from) {
        int n = text.length();
        for (int i = from; i < n; i++) {
            char c = lower(text.charAt(i));
            if (c != 'p' && c != 's' && c != 't' && c != 'c' && c != 'k' && c != 'a') {
                continue;
            }
            for (String w : LAST_WORDS) {
                if (w.charAt(0) == c && regionEquals(text, i, w) && (i + w.length() == n
                        || !isKeyChar(text.charAt(i + w.length())))) {
                    return i + w.length();
                }
            }
        }
        return -1;
    }

    /** Start of the key name that ends just before {@code end}. */
    static int nameStart(CharSequence text, int end) {
        int i = end;
        while (i > 0 && isKeyChar(text.charAt(i - 1))) {
            i--;
        }
        return i;
    }

    private static boolean regionEquals(CharSequence text, int at, String lowerWord) {
        if (at + lowerWord.length() > text.length()) {
            return false;
        }
        for (int k = 1; k < lowerWord.length(); k++) {
            if (lower(text.charAt(at + k)) != lowerWord.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }

    private static boolean isKeyChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.'
                || c == '-';
    }

    /** True when the key name is one of the spellings of an AWS secret access key. */
    static boolean isAwsSecretKey(String name) {
        return AWS_SECRET.matcher(name).matches();
    }
}
