package io.opsagent.core.access;

import java.util.Locale;

/**
 * A member's role in a project, each including the ones before it: a viewer reads and chats; an operator also proposes
 * actions and changes; an approver also decides them; an admin also manages the project.
 */
public enum Role {
    VIEWER, OPERATOR, APPROVER, ADMIN;

    public boolean atLeast(Role r) {
        return compareTo(r) >= 0;
    }

    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code viewer}, {@code operator}, {@code approver} or {@code admin}; throws naming them otherwise. */
    public static Role parse(String s) {
        for (Role r : values()) if (r.json().equals(s == null ? "" : s.strip().toLowerCase(Locale.ROOT))) return r;
        throw new IllegalArgumentException("unknown role '" + s + "' (viewer, operator, approver or admin)");
    }
}
