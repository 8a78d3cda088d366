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
    default boolean update(Run run) {
        return write(run) != RunWrite.NOT_RUNNING;
    }

    /** What a write of a running run's progress found. */
    enum RunWrite {
        /** Written. */
        WRITTEN,
        /** Written, and a cancel has been requested: the run should stop at this step boundary. */
        CANCEL_REQUESTED,
        /** Not written: the run is no longer running (ended by a reaper or a shutdown). */
        NOT_RUNNING
    }

    /**
     * As {@link #update}, also telling whether a cancel was requested, so a run learns of a cancel from the write
     * it makes at every step instead of reading for it.
     */
    RunWrite write(Run run);

    /**
     * Stores steps and the run's progress together (one request where the store can: a step is never stored
     * without the progress that counts it). NOT_RUNNING stores neither. The default is {@link #addStep} for each,
     * then {@link #write}.
     */
    default RunWrite record(List<Step> steps, Run run) {
        steps.forEach(this::addStep);
        return write(run);
    }

    /**
     * Deletes the user's run with all its steps (a deleted session takes its runs with it). Returns false if there
     * is no such run of the user. A running run is not deleted: IllegalStateException.
     */
    boolean delete(String user, String runId);

    /**
     * Starts a run: stores it and appends the question to its session, in one transaction where the stores allow
     * (the default: {@link #create}, then {@link SessionStore#addMessage}).
     */
    default void start(Run run, SessionStore sessions, Message question) {
        create(run);
        sessions.addMessage(run.user(), question);
    }

    /**
     * Ends a run: its last steps, the answer appended to the session (when there is one), then the run's end, in
     * one transaction where the stores allow (the default: in that order, so a crash in between leaves a running
     * run, never a finished run without its answer). False when the run is no longer running (ended by a reaper
     * or a shutdown): a transactional store then stores nothing more.
     */
    default boolean finish(Run run, List<Step> lastSteps, SessionStore sessions, Message answer) {
        for (Step s : lastSteps) addStep(s);
        if (answer != null) sessions.addMessage(run.user(), answer);
        return update(run);
    }

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
