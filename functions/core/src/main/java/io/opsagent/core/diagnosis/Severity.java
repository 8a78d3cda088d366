package io.opsagent.core.diagnosis;

import com.fasterxml.jackson.annotation.JsonValue;

/** How urgent a finding is. Serialised in lower case. */
public enum Severity {
    CRITICAL, WARNING, INFO;

    @JsonValue
    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
