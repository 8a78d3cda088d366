package io.opsagent.core.alerts;

/** A delivery that is not a well-formed alert payload: names the field that is wrong (HTTP 400, CLI exit 2). */
public final class AlertException extends RuntimeException {
    private final String field;

    public AlertException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
