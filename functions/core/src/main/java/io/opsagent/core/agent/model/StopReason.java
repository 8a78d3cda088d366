package io.opsagent.core.agent.model;

import java.util.Locale;

/** Why a model turn ended (Bedrock {@code stopReason}, OpenAI {@code finish_reason}). */
public enum StopReason {
    /** The answer is complete. */
    END_TURN,
    /** The model wants tool results before going on. */
    TOOL_USE,
    /** The output hit the token limit. */
    MAX_TOKENS,
    /** The model (or its transport) failed; see {@link ModelEvent.Stop#error()}. */
    ERROR;

    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
