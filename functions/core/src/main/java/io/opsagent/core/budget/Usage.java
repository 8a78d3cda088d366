package io.opsagent.core.budget;

/** What a scope used (and holds in reservations) on one UTC day: tokens and millionths of a dollar. */
public record Usage(String scope, String day, long tokens, long microUsd) {
    public static Usage none(String scope, String day) {
        return new Usage(scope, day, 0, 0);
    }
}
