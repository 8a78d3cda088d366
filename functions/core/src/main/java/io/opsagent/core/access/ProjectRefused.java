package io.opsagent.core.access;

/**
 * A change to projects that was not made, and why: {@link Why#NOT_FOUND} (no such project, or not one the caller is a
 * member of: the same words), {@link Why#FORBIDDEN} (a member, not an admin; or namespaces they do not administer),
 * {@link Why#CONFLICT} (the name is taken, a stale version, the last admin, a project declared in the file) or
 * {@link Why#INVALID} (the request itself, naming the field).
 */
public final class ProjectRefused extends RuntimeException {
    public enum Why { NOT_FOUND, FORBIDDEN, CONFLICT, INVALID }

    private final Why why;

    public ProjectRefused(Why why, String message) {
        super(message);
        this.why = why;
    }

    public Why why() {
        return why;
    }
}
