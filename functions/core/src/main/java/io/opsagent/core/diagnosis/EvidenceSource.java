package io.opsagent.core.diagnosis;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a piece of evidence was read. Serialised in lower case. */
public enum EvidenceSource {
    STATUS, EVENT, LOG, SPEC, DESCRIBE;

    @JsonValue
    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
