package io.opsagent.lambda;

import io.opsagent.core.agent.AgentEvent;
import io.opsagent.core.agent.AgentListener;
import java.util.function.LongSupplier;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * Records one agent run from its {@link AgentEvent}s and flushes its metrics as one EMF document on
 * {@link AgentEvent.RunFinished}: {@value #RUNS}, {@value #STEPS}, {@value #TOOL_CALLS}, {@value #TOOL_ERRORS},
 * {@value #INPUT_TOKENS}, {@value #OUTPUT_TOKENS}, {@value #COST}, {@value #TIME_TO_FIRST_TOKEN} (when the run
 * wrote text), {@value #RUN_DURATION}, and {@value #RUNS_FAILED} for a failed run; the run id and status as
 * metadata. Events are passed on to the delegate first; a metrics failure never breaks the run.
 */
final class RunMetrics implements AgentListener {
    static final String RUNS = "Runs";
    static final String RUNS_FAILED = "RunsFailed";
    static final String STEPS = "Steps";
    static final String TOOL_CALLS = "ToolCalls";
    static final String TOOL_ERRORS = "ToolErrors";
    static final String INPUT_TOKENS = "InputTokens";
    static final String OUTPUT_TOKENS = "OutputTokens";
    static final String COST = "Cost";
    static final String TIME_TO_FIRST_TOKEN = "TimeToFirstToken";
    static final String RUN_DURATION = "RunDuration";

    private static final System.Logger LOG = System.getLogger("io.opsagent.lambda.metrics");

    private final Metrics metrics;
    private final AgentListener delegate;
    private final LongSupplier nanos;
    private long started = -1;
    private long firstToken = -1;
    private int toolCalls;
    private int toolErrors;

    RunMetrics(Metrics metrics, AgentListener delegate, LongSupplier nanos) {
        this.metrics = metrics;
        this.delegate = delegate == null ? AgentListener.NONE : delegate;
        this.nanos = nanos;
    }

    @Override
    public void on(AgentEvent e) {
        try {
            delegate.on(e);
        } finally {
            try {
                record(e);
            } catch (RuntimeException x) {
                LOG.log(System.Logger.Level.WARNING, "run=" + e.runId() + " metrics not recorded: " + x);
            }
        }
    }

    private void record(AgentEvent e) {
        if (e instanceof AgentEvent.RunStarted) {
            started = nanos.getAsLong();
        } else if (e instanceof AgentEvent.TextDelta && firstToken < 0 && started >= 0) {
            firstToken = nanos.getAsLong();
        } else if (e instanceof AgentEvent.ToolFinished t) {
            toolCalls++;
            if (t.error()) toolErrors++;
        } else if (e instanceof AgentEvent.RunFinished f) {
            metrics.flushMetrics(m -> {
                m.addMetric(RUNS, 1, MetricUnit.COUNT);
                if ("failed".equals(f.status())) m.addMetric(RUNS_FAILED, 1, MetricUnit.COUNT);
                m.addMetric(STEPS, f.steps(), MetricUnit.COUNT);
                m.addMetric(TOOL_CALLS, toolCalls, MetricUnit.COUNT);
                m.addMetric(TOOL_ERRORS, toolErrors, MetricUnit.COUNT);
                m.addMetric(INPUT_TOKENS, f.inputTokens(), MetricUnit.COUNT);
                m.addMetric(OUTPUT_TOKENS, f.outputTokens(), MetricUnit.COUNT);
                m.addMetric(COST, f.cost(), MetricUnit.NONE);
                if (firstToken >= 0) m.addMetric(TIME_TO_FIRST_TOKEN, (firstToken - started) / 1e6, MetricUnit.MILLISECONDS);
                m.addMetric(RUN_DURATION, f.durationMs(), MetricUnit.MILLISECONDS);
                m.addMetadata("runId", f.runId());
                m.addMetadata("status", f.status());
            });
        }
    }
}
