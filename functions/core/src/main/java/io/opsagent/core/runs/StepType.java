package io.opsagent.core.runs;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What one step of a run was. Serialised in lower case. */
public enum StepType {
    MODEL_TURN, TOOL_CALL, APPROVAL, RESPONSE,
    /** Written by the server, not the agent: e.g. the run ended because its server stopped. */
    SYSTEM;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
