package io.opsagent.core.access;

/**
 * The projects cannot be read (their store failed for longer than {@link ProjectDirectory#STALE_LIMIT}): nothing is
 * shown or done until they can (fail closed). The message says so without the store's own words (logged instead).
 */
public final class ProjectsUnavailable extends IllegalStateException {
    public ProjectsUnavailable(Throwable cause) {
        super("who may see what cannot be read just now (the projects' store failed): nothing is shown until it can; "
                + "try again in a moment", cause);
    }
}
