package io.opsagent.core.changes;

/**
 * Port: opens an agent run that investigates a change that failed (the conversation engine, wired where the engine
 * is made). The run goes on by itself; this returns its id as soon as it is stored, so the change can link to it.
 */
@FunctionalInterface
public interface ChangeInvestigator {
    /**
     * @param user     whose run it is (the change's requester: the run is theirs to read)
     * @param workload {@code namespace/name} of the changed workload, or {@code namespace/*}
     * @param question what the run asks (names the change, what it did and the signals that failed it)
     * @return the run's id
     * @throws RuntimeException when no run could be opened (the workload is gone, the engine is busy)
     */
    String open(String user, String workload, String question);
}
