package io.opsagent.core.runs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Ends runs that no live process owns, so no run is left {@code running} by a crash, a kill or a timeout.
 *
 * <p>A running run is <em>orphaned</em> when its owner is not this instance and
 * <ul>
 *   <li>the store is <em>exclusive</em> to this instance (locally: the data directory is locked to one process,
 *       so any other owner is a process that is gone), or</li>
 *   <li>it has run longer than {@code maxRunTime} (in Lambda: the function's timeout; no invocation outlives it),
 *       or its heartbeat (written with every stored batch of steps) is older than {@code staleAfter}.</li>
 * </ul>
 * An orphaned run is ended {@code failed} with a {@link StepType#SYSTEM} step saying why; the end is conditional
 * on the run still running ({@link RunStore#update}), so a run that finishes meanwhile keeps its own end.
 */
public final class RunReaper {
    private static final Logger LOG = Logger.getLogger("io.opsagent.runs");
    /** The error of a run whose server stopped before it finished. */
    public static final String SERVER_STOPPED = "the server stopped before the run finished";

    private final RunStore runs;
    private final Clock clock;
    private final String self;
    private final boolean exclusive;
    private final Duration maxRunTime;
    private final Duration staleAfter;

    public RunReaper(RunStore runs, Clock clock, String self, boolean exclusive, Duration maxRunTime,
                     Duration staleAfter) {
        this.runs = Objects.requireNonNull(runs, "runs");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.self = Objects.requireNonNull(self, "self");
        this.exclusive = exclusive;
        this.maxRunTime = Objects.requireNonNull(maxRunTime, "maxRunTime");
        this.staleAfter = Objects.requireNonNull(staleAfter, "staleAfter");
    }

    /** True when {@code run} is running and no live instance owns it. */
    public boolean orphaned(Run run) {
        if (run.status().terminal() || self.equals(run.owner())) return false;
        if (exclusive) return true;
        Instant now = clock.instant();
        if (run.started().plus(maxRunTime).isBefore(now)) return true;
        Instant beat = run.heartbeat() != null ? run.heartbeat() : run.started();
        return beat.plus(staleAfter).isBefore(now);
    }

    /** Ends every orphaned run; returns how many it ended (each is logged; the caller says what the count means). */
    public int sweep() {
        int n = 0;
        for (Run r : runs.running()) {
            if (orphaned(r) && end(r, RunStatus.FAILED, why(r)).isPresent()) n++;
        }
        return n;
    }

    /** {@code run} as it should be shown: ended first if it is orphaned (the check on read). */
    public Run checked(Run run) {
        if (!orphaned(run)) return run;
        return end(run, RunStatus.FAILED, why(run)).orElse(run);
    }

    /**
     * Ends a running run now with {@code status} and {@code error}, after a {@link StepType#SYSTEM} step saying
     * so. Returns the ended run, or empty when it was no longer running (someone else ended it first).
     */
    public Optional<Run> end(Run run, RunStatus status, String error) {
        Instant now = clock.instant();
        int number = nextStep(run);
        try {
            runs.addStep(new Step(run.id(), number, StepType.SYSTEM, null, null, null, error, null, now, 0, 0, 0));
        } catch (IllegalStateException e) {
            // the owner wrote a step under that number meanwhile: it is alive after all, or just ended
            return Optional.empty();
        }
        Run ended = run.withProgress(number, run.inputTokens(), run.outputTokens(), run.cost())
                .withStatus(status, run.finalAnswer(), now, error);
        if (!runs.update(ended)) return Optional.empty();
        LOG.info("run=" + run.id() + " ended " + status.json() + ": " + error);
        return Optional.of(ended);
    }

    private int nextStep(Run run) {
        List<Step> steps = runs.steps(run.user(), run.id());
        int max = run.steps();
        for (Step s : steps) max = Math.max(max, s.number());
        return max + 1;
    }

    private String why(Run run) {
        return SERVER_STOPPED + " (owner " + (run.owner() == null ? "unknown" : run.owner())
                + (exclusive ? " is not running" : " sent no heartbeat since "
                + (run.heartbeat() != null ? run.heartbeat() : run.started())) + ")";
    }
}
