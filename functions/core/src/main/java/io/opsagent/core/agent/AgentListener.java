package io.opsagent.core.agent;

/** Receives a run's {@link AgentEvent}s as they happen, on the thread running the engine. */
@FunctionalInterface
public interface AgentListener {
    void on(AgentEvent event);

    AgentListener NONE = e -> { };
}
