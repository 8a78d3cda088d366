package io.opsagent.core.alerts;

/**
 * Port: opens an agent run (source {@code alert}) investigating an alert, through the conversation engine; returns
 * its id once it is stored, the run going on by itself.
 */
public interface AlertInvestigator {
    /** @throws RuntimeException when no run could be opened (the workload is not in the cluster, the engine is busy) */
    String open(String user, String workload, String question);

    /**
     * As {@link #open(String, String, String)}, with {@code ended} told the run's status and final answer when it ends
     * (instead of whatever this investigator does with ended runs otherwise): the investigation state machine's step
     * answers its task token from it.
     *
     * @throws UnsupportedOperationException when this investigator cannot tell when its runs end
     */
    default String open(String user, String workload, String question, java.util.function.BiConsumer<String, String> ended) {
        throw new UnsupportedOperationException("this investigator cannot report when its runs end");
    }

    /** Whether the agent that investigates has {@code tool} (a template names its first tools only if so). */
    default boolean offers(String tool) {
        return true;
    }
}
