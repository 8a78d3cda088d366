package io.opsagent.app.config;

import io.opsagent.adapters.stepfunctions.LocalStack;
import io.opsagent.adapters.stepfunctions.SfnOrchestrator;
import io.opsagent.adapters.stepfunctions.StateMachines;
import io.opsagent.adapters.stepfunctions.TaskQueue;
import io.opsagent.core.actions.ActionService;
import io.opsagent.core.actions.ClusterActions;
import io.opsagent.core.changes.ChangePolicy;
import io.opsagent.core.changes.ChangeService;
import io.opsagent.core.changes.ChangeStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.StateMachineListItem;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The change chain on a laptop: {@code statemachines/change.asl.json} (the file deployed to AWS) on LocalStack's Step
 * Functions in host mode ({@code aws-local/localstack}, started if it does not answer), its steps read from a local
 * SQS queue by this process and done by {@link ChangeService}. The state machine is created, or updated to the file,
 * on every start, so an edit of the file is what runs next. A LocalStack this process started is stopped with it.
 */
public final class LocalChangeChain implements AutoCloseable {
    static final String MACHINE = "opsagent-change";
    static final String REMEDIATION = "opsagent-remediation";
    static final String QUEUE = "opsagent-change-tasks";
    static final String INVESTIGATION = "opsagent-investigation";
    static final String ALERT_DLQ = "opsagent-alert-dead-letters";
    private final SfnOrchestrator orchestrator;
    private final SqsClient sqs;
    private final String queueUrl;
    private final String endpoint;
    private final LocalStack localstack;
    private final SfnOrchestrator remediation;
    private final SfnOrchestrator investigation;
    private final String alertDeadLetters;
    private TaskQueue queue;
    private java.util.concurrent.ScheduledExecutorService schedule;
    private io.opsagent.core.changes.DriftService drift;
    private io.opsagent.core.changes.ChainWorker worker;
    private io.opsagent.core.runs.RunStore runs;
    private String runOwner;

    /**
     * Records drift checks as runs in {@code runs} (source {@code remediation}), owned by the process {@code owner};
     * call before {@link #service}. Returns this.
     */
    public LocalChangeChain runs(io.opsagent.core.runs.RunStore runs, String owner) {
        this.runs = runs;
        this.runOwner = owner;
        return this;
    }
    private java.time.Duration driftEvery = java.time.Duration.ofMinutes(5);

    /** How often a drift check starts (zero: never on its own; {@link #checkDrift} still does one). */
    public LocalChangeChain driftEvery(java.time.Duration d) {
        this.driftEvery = d;
        return this;
    }

    public java.time.Duration driftEvery() {
        return driftEvery;
    }
    private ChangeService service;

    private LocalChangeChain(SfnOrchestrator orchestrator, SqsClient sqs, String queueUrl, String endpoint,
                             LocalStack localstack, SfnOrchestrator remediation, SfnOrchestrator investigation,
                             String alertDeadLetters) {
        this.investigation = investigation;
        this.alertDeadLetters = alertDeadLetters;
        this.localstack = localstack;
        this.remediation = remediation;
        this.orchestrator = orchestrator;
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.endpoint = endpoint;
    }

    /** LocalStack on {@code port} (started and, the first time, installed), the queue and the state machine. */
    public static LocalChangeChain start(Path repoRoot, int port) throws IOException {
        Path asl = repoRoot.resolve("statemachines/change.asl.json");
        if (!Files.isRegularFile(asl)) throw new IOException("the change chain's definition is missing: " + asl);
        LocalStack ls = LocalStack.ensure(repoRoot, port);
        SqsClient sqs = ls.sqs();
        String url = sqs.createQueue(r -> r.queueName(QUEUE)).queueUrl();
        SfnClient sfn = ls.sfn();
        String arn = machine(sfn, MACHINE, StateMachines.definition(asl, Map.of("ChangeTaskQueueUrl", url)));
        String rem = machine(sfn, REMEDIATION, StateMachines.definition(repoRoot.resolve("statemachines/remediation.asl.json"),
                Map.of("ChangeTaskQueueUrl", url)));
        String dlq = sqs.createQueue(r -> r.queueName(ALERT_DLQ)).queueUrl();
        String inv = machine(sfn, INVESTIGATION, StateMachines.definition(repoRoot.resolve("statemachines/investigation.asl.json"),
                Map.of("ChangeTaskQueueUrl", url, "AlertDeadLetterQueueUrl", dlq)));
        return new LocalChangeChain(new SfnOrchestrator(sfn, arn), sqs, url, ls.endpoint().toString(), ls,
                new SfnOrchestrator(sfn, rem), new SfnOrchestrator(sfn, inv), dlq);
    }

    /** The state machine {@code name}, created or updated to {@code definition}; its ARN. */
    private static String machine(SfnClient sfn, String name, String definition) {
        String arn = sfn.listStateMachines().stateMachines().stream().filter(m -> m.name().equals(name))
                .map(StateMachineListItem::stateMachineArn).findFirst().orElse(null);
        if (arn == null) {
            return sfn.createStateMachine(r -> r.name(name).definition(definition)
                    .roleArn("arn:aws:iam::000000000000:role/opsagent-change-chain")).stateMachineArn();
        }
        String a = arn;
        sfn.updateStateMachine(r -> r.stateMachineArn(a).definition(definition));
        return arn;
    }

    /**
     * The change service over {@code actions} with its changes in {@code store}, and the queue's reader doing its
     * steps. Changes whose chain stopped while OpsAgent was down are ended first ({@link ChangeService#recover}).
     */
    public ChangeService service(ActionService actions, ClusterActions cluster, ChangePolicy policy, ChangeStore store) {
        return service(actions, null, cluster, policy, store, null, null);
    }

    /**
     * The change service over {@code actions} with its changes in {@code store}, the drift service over the intended
     * states in {@code intents} (null: no drift remediation), and the queue's reader doing both machines' steps.
     * Changes whose chain stopped while OpsAgent was down are ended first ({@link ChangeService#recover}). With
     * {@code driftEvery} (not null), a drift check starts that often (statemachines/remediation.asl.json).
     */
    public ChangeService service(ActionService actions, io.opsagent.core.tools.SnapshotProvider snapshots,
                                 ClusterActions cluster, ChangePolicy policy, ChangeStore store,
                                 io.opsagent.core.changes.IntendedStateStore intents, java.time.Duration driftEvery) {
        service = new ChangeService(store, actions, cluster, orchestrator, policy, Clock.systemUTC());
        service.runs(runs);
        int ended = service.recover();
        if (ended > 0) {
            java.util.logging.Logger.getLogger("io.opsagent.changes").warning(ended + " change(s) whose chain stopped while"
                    + " OpsAgent was down are ended as error (their records say why)");
        }
        if (intents != null) {
            service.intents(intents);
            service.driftCheck(this::checkDrift);
            ChangeService s = service;
            drift = new io.opsagent.core.changes.DriftService(intents, actions, cluster, snapshots, s::policy,
                    io.opsagent.core.changes.DriftPolicy.DEFAULT, Clock.systemUTC()).changes(s);
        }
        worker = new io.opsagent.core.changes.ChainWorker(service, drift, orchestrator, actions.audit());
        if (runs != null && intents != null) {
            worker.runs(new io.opsagent.core.changes.DriftRuns(runs, intents, io.opsagent.core.redact.Redactor.standard(),
                    Clock.systemUTC(), runOwner));
        }
        queue = new TaskQueue(sqs, queueUrl, worker, 2, 8).start();
        if (drift != null && driftEvery != null && !driftEvery.isZero()) {
            schedule = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "drift-schedule");
                t.setDaemon(true);
                return t;
            });
            schedule.scheduleAtFixedRate(() -> checkDrift(null), driftEvery.toMillis(), driftEvery.toMillis(),
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        return service;
    }

    /** Starts one drift check (an execution of the remediation machine); returns its name. */
    public String checkDrift() {
        return checkDrift(null);
    }

    /**
     * Starts one drift check for {@code user} (null: the schedule's); its name, which names the user after
     * {@code -by-} so the check's run is theirs ({@link io.opsagent.core.changes.DriftRuns#starter}).
     */
    public String checkDrift(String user) {
        String name = "drift-" + java.time.Instant.now().toString().replaceAll("[^0-9]", "").substring(0, 17)
                + (user == null ? "" : "-by-" + user.replaceAll("[^A-Za-z0-9_-]", "_"));
        if (name.length() > 80) name = name.substring(0, 80);
        try {
            remediation.start(name, "{}");
        } catch (RuntimeException e) {
            java.util.logging.Logger.getLogger("io.opsagent.changes").warning("drift check " + name + " did not start: " + e);
        }
        return name;
    }

    /**
     * Alert investigations run as executions of {@code statemachines/investigation.asl.json}: {@code alerts} starts
     * them, and this chain's queue worker does their steps ({@link io.opsagent.core.alerts.AlertSteps}), reading a
     * run's findings from {@code runs}. Call after {@link #service}.
     */
    public void alerts(io.opsagent.core.alerts.AlertService alerts, io.opsagent.core.runs.RunStore runs) {
        if (worker == null) throw new IllegalStateException("call service(...) first: the worker does the alert steps");
        worker.alerts(new io.opsagent.core.alerts.AlertSteps(alerts, investigation, runs));
        alerts.machine(investigation);
    }

    /** The investigation machine (its executions: one per alert episode, named by the episode id). */
    public SfnOrchestrator investigation() {
        return investigation;
    }

    /** The queue where findings that could not be delivered go (the episode id and the error). */
    public String alertDeadLetters() {
        return alertDeadLetters;
    }

    public SqsClient sqs() {
        return sqs;
    }

    /** The remediation machine (its executions: the drift checks). */
    public SfnOrchestrator remediation() {
        return remediation;
    }

    public io.opsagent.core.changes.DriftService drift() {
        return drift;
    }

    public String describe() {
        return "LocalStack Step Functions at " + endpoint + " (state machine " + MACHINE + ")";
    }

    /** Stops reading the queue, and LocalStack if this process started it (its executions end with it). */
    @Override
    public void close() {
        if (schedule != null) schedule.shutdownNow();
        if (queue != null) queue.close();
        if (service != null) service.close();
        localstack.stopIfStartedHere();
    }
}
