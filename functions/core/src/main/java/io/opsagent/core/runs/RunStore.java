package io.opsagent.core.runs;

import java.util.List;
import java.util.Optional;

/**
 * Port: where runs and their steps are kept (DynamoDB in AWS and, embedded, locally). Reads take the asking user
 * and return empty for runs of other users — the HTTP layer turns that into 404.
 */
public interface RunStore {
    void create(Run run);

    /**
     * Replaces the mutable fields (status, answer, counters, completion, heartbeat) of a run that is still
     * running; the same call ends it when {@code run}'s status is terminal. Returns false, changing nothing, when
     * the stored run is no longer running (ended by a {@link RunReaper} or a shutdown): the caller must stop.
     *
     * @throws java.util.NoSuchElementException if the run does not exist or is another user's
     */
    boolean update(Run run);

    /**
     * Deletes the user's run with all its steps (a deleted session takes its runs with it). Returns false if there
     * is no such run of the user. A running run is not deleted: IllegalStateException.
     */
    boolean delete(String user, String runId);

    /** Every running run of every user (the reaper's sweep), oldest first. */
    List<Run> running();

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
