package io.opsagent.core.runs;

import java.util.List;
import java.util.Optional;

/**
 * Port: where runs and their steps are kept (DynamoDB in AWS and, embedded, locally). Reads take the asking user
 * and return empty for runs of other users — the HTTP layer turns that into 404.
 */
public interface RunStore {
    void create(Run run);

    /** Replaces the run's mutable fields (status, answer, counters, completion). */
    void update(Run run);

    /** Appends a step; steps are immutable once written. */
    void addStep(Step step);

    Optional<Run> get(String user, String runId);

    List<Step> steps(String user, String runId);

    Page<Run> list(RunQuery query);

    RunStats stats(RunQuery query);

    /**
     * Asks a running run to stop at its next step boundary. Returns false if the run is not the user's, does not
     * exist, or is already finished.
     */
    boolean requestCancel(String user, String runId);

    /** True once {@link #requestCancel} succeeded for the run. */
    boolean cancelRequested(String runId);
}
