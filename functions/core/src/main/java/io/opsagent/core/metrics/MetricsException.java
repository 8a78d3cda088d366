package io.opsagent.core.metrics;

/** A metrics query that cannot be made (bad names) or answered (the source is unreachable or answered an error). */
public class MetricsException extends RuntimeException {
    public MetricsException(String message) {
        super(message);
    }

    public MetricsException(String message, Throwable cause) {
        super(message, cause);
    }
}
