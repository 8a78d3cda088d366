package io.opsagent.core.alerts;

/**
 * Port: opens an agent run (source {@code alert}) investigating an alert, through the conversation engine; returns
 * its id once it is stored, the run going on by itself.
 */
@FunctionalInterface
public interface AlertInvestigator {
    /** @throws RuntimeException when no run could be opened (the workload is not in the cluster, the engine is busy) */
    String open(String user, String workload, String question);

    /** Whether the agent that investigates has {@code tool} (a template names its first tools only if so). */
    default boolean offers(String tool) {
        return true;
    }
}
