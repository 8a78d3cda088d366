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
     * Local users from the {@value Users#HEADER} header, with the groups the projects file gives them ({@code users:
     * {zoe: {groups: [...]}}}; none without projects).
     */
    static Authenticator local(java.util.function.Supplier<io.opsagent.core.access.Projects> projects) {
        return new Authenticator() {
            @Override
            public String user(Headers h) {
                return LOCAL_HEADER.user(h);
            }

            @Override
            public java.util.List<String> groups(Headers h) {
                io.opsagent.core.access.Projects p = projects.get();
                return p == null ? java.util.List.of() : p.groupsOf(user(h));
            }
        };
    }

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
