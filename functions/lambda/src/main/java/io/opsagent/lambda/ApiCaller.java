package io.opsagent.lambda;

import com.sun.net.httpserver.Headers;
import io.opsagent.app.http.ApiError;
import io.opsagent.app.http.Authenticator;
import java.util.Map;

/**
 * Who calls the API function: the subject ({@code sub}) of the JWT that API Gateway's JWT authorizer already
 * validated, taken from {@code requestContext.authorizer.jwt.claims}. The verified subject travels with the
 * request's own {@link Headers} object ({@link VerifiedHeaders}), never as a header value, so nothing a client
 * sends can name a user.
 */
public final class ApiCaller {
    /** Longest subject accepted (Cognito subjects are 36-character UUIDs). */
    public static final int MAX_SUBJECT = 128;

    /** The authenticator of the API function: the verified subject (or 401) and its verified groups. */
    public static final Authenticator AUTHENTICATOR = new Authenticator() {
        @Override
        public String user(Headers h) {
            if (h instanceof VerifiedHeaders v && v.subject() != null) return v.subject();
            throw new ApiError(401, "not authenticated: the request carries no verified token (API Gateway's JWT"
                    + " authorizer passes its claims; call the API with 'Authorization: Bearer <Cognito token>')", null);
        }

        @Override
        public java.util.List<String> groups(Headers h) {
            return h instanceof VerifiedHeaders v ? v.groups() : java.util.List.of();
        }
    };

    /**
     * The token's Cognito groups from the authorizer's claims: API Gateway passes the {@code cognito:groups} array as
     * one string, {@code [approvers sre]}; none when absent.
     */
    public static java.util.List<String> groups(Map<String, String> claims) {
        String g = claims == null ? null : claims.get("cognito:groups");
        if (g == null || g.isBlank()) return java.util.List.of();
        String inner = g.strip();
        if (inner.startsWith("[") && inner.endsWith("]")) inner = inner.substring(1, inner.length() - 1);
        return java.util.Arrays.stream(inner.split("[,\\s]+")).map(String::strip).filter(x -> !x.isEmpty())
                .map(x -> x.replaceAll("^\"|\"$", "")).toList();
    }

    private ApiCaller() {
    }

    /**
     * The user from the authorizer's claims: the {@code sub} claim when it is a plausible subject (1..128
     * printable characters, no spaces), else null (→ 401).
     */
    public static String subject(Map<String, String> claims) {
        if (claims == null) return null;
        String sub = claims.get("sub");
        if (sub == null || sub.isEmpty() || sub.length() > MAX_SUBJECT) return null;
        for (int i = 0; i < sub.length(); i++) {
            char c = sub.charAt(i);
            if (c <= ' ' || c == 0x7f) return null;
        }
        return sub;
    }

    /** Request headers that also carry the verified subject (null when the request is not authenticated). */
    public static final class VerifiedHeaders extends Headers {
        private final String subject;
        private final java.util.List<String> groups;

        public VerifiedHeaders(String subject) {
            this(subject, java.util.List.of());
        }

        public VerifiedHeaders(String subject, java.util.List<String> groups) {
            this.subject = subject;
            this.groups = groups == null ? java.util.List.of() : java.util.List.copyOf(groups);
        }

        public String subject() {
            return subject;
        }

        /** The token's groups, verified with it. */
        public java.util.List<String> groups() {
            return groups;
        }
    }
}
