package io.opsagent.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsagent.app.config.Settings;
import io.opsagent.core.changes.ChangeService;
import io.opsagent.core.changes.ChangeTask;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * The change chain's worker in AWS ({@code io.opsagent.lambda.ChangeWorkerHandler::handleRequest}): its event source
 * is the change-task queue the state machine sends each step to, with the step's task token; each record is one step,
 * done by {@link io.opsagent.core.changes.ChainWorker}: a change chain's step by {@link ChangeService#handle}, a drift
 * check's by the drift service (each answers the token: SendTaskSuccess or SendTaskFailure). A record that is
 * not a change step is logged and dropped (it can never succeed); a step that throws is reported as a batch item
 * failure so SQS delivers it again. Its other event is the one-minute schedule: the approval requests the table holds
 * are heartbeated (the approval state's HeartbeatSeconds), so a lost request ends its chain instead of waiting out the
 * expiry. An investigation run a failed step opens is waited for before the invocation returns. A thin handler: the
 * logic is core's.
 */
public final class ChangeWorkerHandler implements RequestStreamHandler {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger("io.opsagent.lambda.changes");
    private final ChangeService changes;
    private final java.util.function.Consumer<ChangeTask> worker;

    public ChangeWorkerHandler() {
        this(Shared.changes(), Shared.snapshots(), Shared.CONTEXT.runs());
        alerts(Shared.CONTEXT.alerts() == null ? null : Shared.CONTEXT.alerts().service(), Shared.CONTEXT.runs());
    }

    private volatile io.opsagent.core.alerts.AlertService alerts;

    /**
     * Does the investigation machine's steps ({@code alert-*}) with {@code alerts}, a run's findings read from
     * {@code runs}; nothing when {@code alerts} has no machine. Returns this.
     */
    public ChangeWorkerHandler alerts(io.opsagent.core.alerts.AlertService alerts, io.opsagent.core.runs.RunStore runs) {
        if (alerts == null || alerts.machine() == null) return this;
        this.alerts = alerts;
        ((io.opsagent.core.changes.ChainWorker) worker).alerts(new io.opsagent.core.alerts.AlertSteps(alerts, alerts.machine(), runs));
        return this;
    }

    /** A handler over {@code changes}; drift steps too when {@code snapshots} (the cluster) is given. */
    public ChangeWorkerHandler(ChangeService changes, io.opsagent.core.tools.SnapshotProvider snapshots) {
        Telemetry.init();
        this.changes = Objects.requireNonNull(changes, "changes");
        io.opsagent.core.changes.DriftService drift = changes.intents() == null || snapshots == null ? null
                : new io.opsagent.core.changes.DriftService(changes.intents(), changes.actions(), snapshots.actions(),
                snapshots, changes::policy, io.opsagent.core.changes.DriftPolicy.DEFAULT, java.time.Clock.systemUTC())
                .changes(changes);
        this.worker = new io.opsagent.core.changes.ChainWorker(changes, drift, changes.orchestrator(), changes.actions().audit());
    }

    /** The same, recording drift checks as runs (source {@code remediation}) in {@code runs}. */
    public ChangeWorkerHandler(ChangeService changes, io.opsagent.core.tools.SnapshotProvider snapshots,
                               io.opsagent.core.runs.RunStore runs) {
        this(changes, snapshots);
        if (runs != null && changes.intents() != null) {
            ((io.opsagent.core.changes.ChainWorker) worker).runs(new io.opsagent.core.changes.DriftRuns(runs, changes.intents(),
                    io.opsagent.core.redact.Redactor.standard(), java.time.Clock.systemUTC(),
                    io.opsagent.core.runs.Instances.current()));
        }
    }

    public ChangeWorkerHandler(ChangeService changes) {
        this(changes, null);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context lambda) throws IOException {
        JsonNode event = JSON.readTree(input);
        ObjectNode out = JSON.createObjectNode();
        if (event != null && event.has("Records")) {
            ArrayNode failures = out.putArray("batchItemFailures");
            for (JsonNode r : event.path("Records")) {
                String id = r.path("messageId").asText();
                ChangeTask task;
                try {
                    task = ChangeTask.parse(r.path("body").asText());
                } catch (IllegalArgumentException e) {
                    LOG.log(System.Logger.Level.WARNING, "dropped a message that is not a change step: " + e.getMessage());
                    continue;
                }
                try {
                    Telemetry.withLogging(lambda, task.correlationId(), () -> {
                        worker.accept(task);
                        return null;
                    });
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, task + " failed", e);
                    failures.addObject().put("itemIdentifier", id);
                }
            }
            // an investigation opened by a step (a failed change) runs on its own thread: finish it before the
            // invocation returns and the environment is frozen (what the time does not allow, the reaper ends)
            // (an alert's investigation too: its step's token is answered when the run ends)
            for (Object i : new Object[] {changes.investigator(), alerts == null ? null : alerts.investigator()}) {
                if (i instanceof io.opsagent.app.config.EngineInvestigator inv) {
                    long left = lambda == null ? 60_000 : lambda.getRemainingTimeInMillis() - 10_000;
                    if (!inv.drain(java.time.Duration.ofMillis(Math.max(0, left)))) {
                        LOG.log(System.Logger.Level.WARNING, "an investigation run did not finish within the invocation");
                    }
                }
            }
        } else {
            // the schedule (EventBridge Scheduler or a rule): heartbeats of the approval requests held
            changes.heartbeatApprovals();
            out.put("heartbeats", true);
        }
        JSON.writeValue(output, out);
    }

    /** The execution environment's change service, built once from the environment. */
    private static final class Shared {
        static final io.opsagent.app.http.AppContext CONTEXT = LambdaApp.context(Settings.fromEnvironment(System.getenv()),
                ApiCaller.AUTHENTICATOR);

        static io.opsagent.core.tools.SnapshotProvider snapshots() {
            return CONTEXT.cluster();
        }

        static ChangeService changes() {
            var ctx = CONTEXT;
            if (ctx.changes() == null) {
                throw new IllegalStateException("the change worker needs a live cluster (OPSAGENT_EKS_CLUSTER) and "
                        + "OPSAGENT_CHANGE_STATE_MACHINE_ARN");
            }
            return ctx.changes();
        }
    }
}
