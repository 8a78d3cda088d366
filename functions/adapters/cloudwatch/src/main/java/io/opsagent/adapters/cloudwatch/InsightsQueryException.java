package io.opsagent.adapters.cloudwatch;

/** A Logs Insights query failed, was cancelled, timed out, or was stopped at the deadline; the message says which. */
public final class InsightsQueryException extends RuntimeException {
    public InsightsQueryException(String message) {
        super(message);
    }

    public InsightsQueryException(String message, Throwable cause) {
        super(message, cause);
    }
}
