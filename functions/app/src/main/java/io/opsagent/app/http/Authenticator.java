package io.opsagent.app.http;

import com.sun.net.httpserver.Headers;

/**
 * Who is calling. Locally the caller names itself with the {@value Users#HEADER} header (one machine, loopback);
 * in AWS the caller presents a JWT that is verified before anything is read or written. Every session and run
 * belongs to the user returned here.
 */
@FunctionalInterface
public interface Authenticator {

    /** Local development users from the {@value Users#HEADER} header (default {@value Users#DEFAULT_USER}). */
    Authenticator LOCAL_HEADER = h -> Users.fromHeader(h.getFirst(Users.HEADER));

    /**
     * The user id of the request with these headers.
     *
     * @throws ApiError 401 when the request is not authenticated, 400 when the header is malformed
     */
    String user(Headers headers);

    /**
     * The groups of the caller, verified as the user is (in AWS the token's {@code cognito:groups}); none locally.
     * They decide who may approve a change ({@code OPSAGENT_APPROVER_GROUP}).
     */
    default java.util.List<String> groups(Headers headers) {
        return java.util.List.of();
    }
}
