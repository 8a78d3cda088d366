package io.opsagent.core.alerts;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.opsagent.core.changes.ChangeOrchestrator;
import io.opsagent.core.changes.ChangeTask;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The worker of {@code statemachines/investigation.asl.json}: its steps {@code alert-intake}, {@code alert-investigate}
 * and {@code alert-notify}, each done by {@link AlertService} and answered on the task token. Errors the machine
 * reacts to: {@code Alert.Transient} (retried), {@code Alert.NotInvestigated} (people are still told),
 * {@code Alert.Failed} (no such episode: dead-lettered).
 */
public final class AlertSteps implements Consumer<ChangeTask> {
    private static final Logger LOG = Logger.getLogger(AlertSteps.class.getName());
    private final AlertService alerts;
    private final ChangeOrchestrator answers;
    private final Function<String, String> runAnswers;

    /** @param runs where the investigations' runs are stored (their findings are their final answers) */
    public AlertSteps(AlertService alerts, ChangeOrchestrator answers, io.opsagent.core.runs.RunStore runs) {
        this.alerts = alerts;
        this.answers = answers;
        this.runAnswers = run -> runs.get(alerts.policy().owner(), run).map(io.opsagent.core.runs.Run::finalAnswer).orElse(null);
    }

    @Override
    public void accept(ChangeTask t) {
        try {
            switch (t.step()) {
                case "alert-intake" -> succeed(t, alerts.intakeStep(t.changeId()).toString());
                case "alert-investigate" -> {
                    String workload = t.item() == null ? null : t.item().path("workload").asText(null);
                    String question = t.item() == null ? null : t.item().path("question").asText(null);
                    if (workload == null || question == null) {
                        fail(t, "Alert.NotInvestigated", "the step names no workload or question");
                        return;
                    }
                    try {
                        alerts.investigateStep(t.changeId(), workload, question, (run, status) -> succeed(t,
                                JsonNodeFactory.instance.objectNode().put("runId", run).put("status", status).toString()));
                    } catch (IllegalStateException e) {
                        fail(t, "Alert.NotInvestigated", e.getMessage());
                    }
                }
                case "alert-notify" -> {
                    String delivery;
                    try {
                        delivery = alerts.notifyStep(t.changeId(), runAnswers);
                    } catch (IllegalArgumentException e) {
                        throw e;
                    } catch (RuntimeException e) {
                        fail(t, "Alert.Transient", "delivery failed: " + e.getMessage());
                        return;
                    }
                    succeed(t, JsonNodeFactory.instance.objectNode().put("delivery", delivery).toString());
                }
                default -> fail(t, "Alert.Failed", "unknown step " + t.step());
            }
        } catch (IllegalArgumentException e) {
            fail(t, "Alert.Failed", e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, t.step() + " of episode " + t.changeId() + " failed", e);
            fail(t, "Alert.Transient", t.step() + " failed: " + e);
        }
    }

    private void succeed(ChangeTask t, String output) {
        try {
            answers.succeed(t.token(), output);
        } catch (ChangeOrchestrator.TokenGone gone) {
            // answered or timed out already
        }
    }

    private void fail(ChangeTask t, String error, String cause) {
        try {
            answers.fail(t.token(), error, cause.length() > 32_000 ? cause.substring(0, 32_000) : cause);
        } catch (ChangeOrchestrator.TokenGone gone) {
            // nothing waits for it
        }
    }
}
