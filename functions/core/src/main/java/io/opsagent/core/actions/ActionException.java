package io.opsagent.core.actions;

/** A refused action or decision, with why: the HTTP layer maps {@link Reason} to a status code. */
public final class ActionException extends RuntimeException {
    /** Why it was refused. */
    public enum Reason {
        /** The input is malformed or names something that cannot be changed this way (400). */
        BAD_INPUT,
        /** No such proposal, or not one the caller may see (404). */
        NOT_FOUND,
        /** The caller may not do this (403): not an approver, their own proposal, RBAC. */
        FORBIDDEN,
        /** The proposal is not in a state that allows it, or the hash differs (409). */
        CONFLICT,
        /** The proposal expired (410). */
        EXPIRED
    }

    private final Reason reason;

    public ActionException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
