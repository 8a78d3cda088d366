package io.opsagent.core.runs;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Lifecycle of an agent run. Serialised in lower case (running, completed, failed, cancelled, max_steps, refused:
 * a budget refused its model call before it was made).
 */
public enum RunStatus {
    RUNNING, COMPLETED, FAILED, CANCELLED, MAX_STEPS, REFUSED;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the lower-case form; throws IllegalArgumentException naming the accepted values. */
    public static RunStatus parse(String s) {
        for (RunStatus v : values()) {
            if (v.json().equals(s)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown run status '" + s
                + "' (expected running, completed, failed, cancelled, max_steps or refused)");
    }

    public boolean terminal() {
        return this != RUNNING;
    }
}
