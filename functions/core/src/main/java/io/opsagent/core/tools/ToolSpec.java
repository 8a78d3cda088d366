package io.opsagent.core.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Objects;

/**
 * A tool declared as data: what the model is told, and the limits the registry enforces.
 *
 * @param name           snake_case name the model calls
 * @param description    what it returns and when to use it
 * @param parameters     JSON Schema of the argument object ({@code type: object}, {@code properties},
 *                       {@code required}); arguments are validated against it before the tool runs
 * @param timeout        the longest the tool may run; then the call ends with a tool error
 * @param maxOutputChars the result text is cut to this size (with a marker saying so)
 */
public record ToolSpec(String name, String description, ObjectNode parameters, Duration timeout,
                       int maxOutputChars) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_OUTPUT_CHARS = 12_000;

    public ToolSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(parameters, "parameters");
        if (!name.matches("[a-z][a-z0-9_]{0,63}")) {
            throw new IllegalArgumentException("tool name must be snake_case, was '" + name + "'");
        }
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        if (maxOutputChars < 200) {
            throw new IllegalArgumentException("maxOutputChars must be at least 200, was " + maxOutputChars);
        }
    }

    public ToolSpec(String name, String description, ObjectNode parameters) {
        this(name, description, parameters, DEFAULT_TIMEOUT, DEFAULT_MAX_OUTPUT_CHARS);
    }

    public ToolSpec withLimits(Duration newTimeout, int newMaxOutputChars) {
        return new ToolSpec(name, description, parameters, newTimeout, newMaxOutputChars);
    }
}
