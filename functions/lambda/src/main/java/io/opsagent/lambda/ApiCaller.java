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

    /** The authenticator of the API function: the verified subject, or 401. */
    public static final Authenticator AUTHENTICATOR = h -> {
        if (h instanceof VerifiedHeaders v && v.subject() != null) return v.subject();
        throw new ApiError(401, "not authenticated: the request carries no verified token (API Gateway's JWT"
                + " authorizer passes its claims; call the API with 'Authorization: Bearer <Cognito token>')", null);
    };

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

        public VerifiedHeaders(String subject) {
            this.subject = subject;
        }

        public String subject() {
            return subject;
        }
    }
}
