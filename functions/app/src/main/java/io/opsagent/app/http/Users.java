package io.opsagent.app.http;

import java.util.regex.Pattern;

/**
 * Local dev users: the caller names itself with the header {@value #HEADER} ({@code [a-z0-9_.-]{1,64}});
 * without the header the user is {@value #DEFAULT_USER}. There is no password: this is for one machine bound to
 * the loopback interface. Every session and run belongs to the user that created it.
 */
public final class Users {
    public static final String HEADER = "X-OpsAgent-User";
    public static final String DEFAULT_USER = "dev";
    private static final Pattern NAME = Pattern.compile("[a-z0-9_.-]{1,64}");

    private Users() {
    }

    /** True if {@code name} is a valid user name. */
    public static boolean valid(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** The user named by a header value (null or blank → the default user); 400 naming the header if invalid. */
    public static String fromHeader(String value) {
        if (value == null || value.isBlank()) return DEFAULT_USER;
        String v = value.strip();
        if (!NAME.matcher(v).matches()) {
            throw ApiError.badRequest(HEADER, HEADER + " must match [a-z0-9_.-]{1,64}, got '"
                    + (v.length() > 70 ? v.substring(0, 70) + "…" : v) + "'");
        }
        return v;
    }
}
