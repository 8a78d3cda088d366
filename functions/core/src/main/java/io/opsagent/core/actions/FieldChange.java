package io.opsagent.core.actions;

/**
 * One field a change sets: its path in the object ({@code spec.template.spec.containers[cart].resources.limits.memory})
 * and its value before and after, as JSON text ({@code null} when absent).
 */
public record FieldChange(String path, String before, String after) {
    /** {@code path: before → after}. */
    public String text() {
        return path + ": " + (before == null ? "(none)" : before) + " → " + (after == null ? "(none)" : after);
    }
}
