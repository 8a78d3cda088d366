package io.opsagent.core.tools;

/**
 * Thrown by a tool when its arguments name something that does not exist or make no sense (unknown pod, bad
 * time). The registry turns it into a tool error carrying just the message, so the model can correct the call.
 */
public final class ToolInputException extends RuntimeException {
    public ToolInputException(String message) {
        super(message);
    }
}
