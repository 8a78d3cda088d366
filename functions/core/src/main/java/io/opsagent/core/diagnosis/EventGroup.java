package io.opsagent.core.diagnosis;

import io.fabric8.kubernetes.api.model.Event;
import java.util.List;

/**
 * Repeated events about one object with the same type, reason and message, merged: {@code latest} is the one to
 * cite and {@code count} the total number of occurrences reported (the {@code count} fields summed).
 */
public record EventGroup(Event latest, int count, List<Event> events) {

    public String reason() {
        return latest.getReason() == null ? "" : latest.getReason();
    }

    public String message() {
        return latest.getMessage() == null ? "" : latest.getMessage().strip();
    }

    public boolean warning() {
        return "Warning".equalsIgnoreCase(latest.getType());
    }

    /** {@code Warning BackOff (x12): Back-off restarting failed container}. */
    public String describe() {
        return (latest.getType() == null ? "" : latest.getType() + " ") + reason()
                + (count > 1 ? " (x" + count + ")" : "") + ": " + message();
    }
}
