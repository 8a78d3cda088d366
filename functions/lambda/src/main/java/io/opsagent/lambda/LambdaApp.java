package io.opsagent.lambda;

import io.opsagent.adapters.dynamodb.DynamoRunStore;
import io.opsagent.adapters.dynamodb.DynamoSessionStore;
import io.opsagent.adapters.dynamodb.TableNames;
import io.opsagent.app.config.Assembly;
import io.opsagent.app.config.AwsSettings;
import io.opsagent.app.config.ClusterView;
import io.opsagent.app.config.Clusters;
import io.opsagent.app.config.Models;
import io.opsagent.app.config.Setting;
import io.opsagent.app.config.Settings;
import io.opsagent.app.http.AppContext;
import io.opsagent.app.http.HttpPolicy;
import io.opsagent.app.http.Authenticator;
import io.opsagent.core.agent.ConversationEngine;
import io.opsagent.core.agent.EngineConfig;
import io.opsagent.core.agent.model.ChatModel;
import io.opsagent.core.input.InputException;
import io.opsagent.core.redact.Redactor;
import io.opsagent.core.runs.Instances;
import io.opsagent.core.runs.RunReaper;
import io.opsagent.core.runs.RunStore;
import io.opsagent.core.runs.SessionStore;
import io.opsagent.core.tools.SnapshotProvider;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * The application as the Lambda functions run it, built once per execution environment from the environment:
 * DynamoDB stores on the tables the template creates (never created here), the configured chat model and its
 * prices, and the cluster (a dump directory for {@code sam local invoke} and demos, or a live EKS cluster). Shared
 * by the API handler and the chat server.
 *
 * <p>Settings read: {@code AWS_REGION} (or {@code AWS_DEFAULT_REGION}), {@code AWS_ENDPOINT_URL_DYNAMODB} (tests,
 * DynamoDB Local), {@link Setting#SESSIONS_TABLE} / {@link Setting#RUNS_TABLE} (else {@link Setting#TABLE_PREFIX},
 * default {@code opsagent-}), the model settings ({@link Models}), {@link Setting#MAX_STEPS}, and the cluster:
 * {@link Setting#DUMP_DIR}, {@link Setting#EVIDENCE_DIR} or {@link Setting#EKS_CLUSTER}.
 */
public final class LambdaApp {
    /** How long an approval request follows the change's rollout before calling it inconclusive. */
    static final Duration VERIFY_IN_REQUEST = Duration.ofSeconds(20);
    /** The SDK's own environment variable for a DynamoDB endpoint override (honoured here explicitly). */
    public static final String DYNAMODB_ENDPOINT = "AWS_ENDPOINT_URL_DYNAMODB";

    private LambdaApp() {
    }

    /**
     * The API function's application context. Its model client is never started (the API does not stream chats:
     * {@link Models#createLazily}); bad settings are an IllegalArgumentException naming them.
     */
    public static AppContext context(Settings settings, Authenticator auth) {
        return context(settings, auth, true);
    }

    /** The chat function's application context: as {@link #context(Settings, Authenticator)}, model client started now. */
    public static AppContext chatContext(Settings settings, Authenticator auth) {
        return context(settings, auth, false);
    }

    private static AppContext context(Settings settings, Authenticator auth, boolean lazyModel) {
        Region region = region(settings);
        ClusterView view = cluster(settings); // first: the most likely misconfiguration
        SnapshotProvider cluster = view.provider();
        ChatModel model = lazyModel ? Models.createLazily(settings) : Models.create(settings);
        EngineConfig config = Assembly.engineConfig(settings, model);
        DynamoDbClient dynamo = dynamo(settings, region);
        TableNames tables = AwsSettings.tables(settings);
        RunStore runs = new DynamoRunStore(dynamo, tables);
        SessionStore sessions = new DynamoSessionStore(dynamo, tables);
        Redactor redactor = Redactor.standard();
        // a live cluster can be changed, once a human approved: proposals and the audit log in the actions table;
        // the API function verifies a change within the request (API Gateway answers in 29 s: longer is inconclusive)
        io.opsagent.core.actions.ActionService actions = cluster.actions() == null ? null
                : new io.opsagent.core.actions.ActionService(cluster.actions(),
                new io.opsagent.adapters.dynamodb.DynamoProposalStore(dynamo, tables),
                new io.opsagent.adapters.dynamodb.DynamoAuditLog(dynamo, tables, Clock.systemUTC()),
                Assembly.approvalPolicy(settings, true), cluster, Clock.systemUTC(), Runnable::run, VERIFY_IN_REQUEST);
        io.opsagent.core.changes.ChangeService changes = changes(settings, region, dynamo, tables, actions, cluster);
        if (changes != null) changes.runs(runs);
        ConversationEngine engine = Assembly.engine(model, cluster, runs, sessions, config, actions, changes);
        // projects: who sees and may do what, by namespace — those of OPSAGENT_PROJECTS_FILE (in the deployment
        // package) and OPSAGENT_PROJECT_ADMIN_GROUP (the template's Cognito group), read-only, and those its admins make
        // through the API, kept in the actions table; changes are audited there. None of them: off.
        io.opsagent.core.access.Projects declared = Assembly.declaredProjects(settings);
        if (declared != null) {
            engine.withProjects(new io.opsagent.core.access.ProjectDirectory(declared,
                    new io.opsagent.adapters.dynamodb.DynamoProjectStore(dynamo, tables),
                    new io.opsagent.adapters.dynamodb.DynamoAuditLog(dynamo, tables, Clock.systemUTC()), Clock.systemUTC()));
        }
        // budgets of model use per user and UTC day (OPSAGENT_BUDGET_*), reserved in the actions table before each call
        long budgetTokens = Assembly.budgetTokens(settings);
        double budgetUsd = Assembly.budgetUsd(settings);
        int budgetRpm = Assembly.budgetRequestsPerMinute(settings);
        int budgetRuns = Assembly.budgetConcurrentRuns(settings);
        // and the budgets project admins give their projects
        io.opsagent.core.budget.Budgets budgets = Assembly.budgets(new io.opsagent.adapters.dynamodb.DynamoBudgetStore(dynamo, tables),
                budgetTokens, budgetUsd, budgetRpm, budgetRuns, engine.projectDirectory());
        // BudgetUsedPercent after each hold: the template's alarm at 80%
        if (budgets != null) engine.withBudgets(budgets.onUsage((b, u) -> BudgetMetrics.record(Telemetry.metrics(), b, u)));
        // many instances share the table: a run is orphaned once it outlived the chat function's timeout (no
        // invocation does) or sent no heartbeat for a model turn's timeout and a minute
        RunReaper reaper = new RunReaper(runs, Clock.systemUTC(), Instances.current(), false,
                Duration.ofSeconds(settings.integer(Setting.RUN_MAX_SECONDS, 900, 1, 86_400)),
                config.modelTimeout().plusMinutes(1));
        // behind API Gateway and the Lambda Web Adapter the platform routes by host; origins are the web UI's
        HttpPolicy policy = HttpPolicy.anyHost(settings.list(Setting.ALLOWED_ORIGINS));
        return new AppContext(engine, runs, sessions, cluster, view.inputDir(), null, redactor, null, auth, reaper,
                policy, actions, changes).withAlerts(alerts(settings, dynamo, tables, engine));
    }

    /**
     * Alerts in AWS: records and episodes in the actions table, investigations by this engine (runs of
     * {@link Setting#ALERT_USER}), findings to the notification topic; Alertmanager's webhook on the API when
     * {@link Setting#ALERT_TOKEN} is set.
     */
    static AppContext.Alerts alerts(Settings settings, DynamoDbClient dynamo, TableNames tables, ConversationEngine engine) {
        io.opsagent.core.alerts.AlertService svc = new io.opsagent.core.alerts.AlertService(
                new io.opsagent.adapters.dynamodb.DynamoAlertStore(dynamo, tables), io.opsagent.core.alerts.AlertTemplates.standard(),
                new io.opsagent.core.alerts.AlertService.Policy(settings.get(Setting.ALERT_USER, "opsagent"),
                        java.time.Duration.ofMinutes(10), 3), Clock.systemUTC());
        io.opsagent.app.config.EngineInvestigator inv = new io.opsagent.app.config.EngineInvestigator(engine, "alert");
        inv.onFinished(run -> svc.finished(run.id(), run.status().json(), run.finalAnswer()));
        svc.investigator(inv);
        svc.notifier(Assembly.notifier(settings), settings.get(Setting.WEB_URL).orElse(null));
        // each new episode's investigation is an execution of statemachines/investigation.asl.json, whose steps the
        // change worker does (ChangeWorkerHandler); without the machine they run here
        String machine = settings.get(Setting.INVESTIGATION_STATE_MACHINE_ARN).map(String::strip).filter(a -> !a.isEmpty()).orElse(null);
        if (machine != null) {
            if (!machine.matches("arn:aws[a-z-]*:states:[a-z0-9-]+:\\d{12}:stateMachine:[A-Za-z0-9_-]+")) {
                throw new IllegalArgumentException(Setting.INVESTIGATION_STATE_MACHINE_ARN.key() + " is not a state machine ARN: " + machine);
            }
            svc.machine(new io.opsagent.adapters.stepfunctions.SfnOrchestrator(software.amazon.awssdk.services.sfn.SfnClient.builder()
                    .region(region(settings)).httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                    .build(), machine));
        }
        // behind API Gateway (29 s) the function is frozen once it answered: the webhook waits up to 20 s for the
        // investigation (the offline analyst takes well under a second; a model run longer than that is ended by the
        // reaper as failed, the alert and its episode recorded); the alarm function waits for it in full
        String token = Assembly.alertToken(settings, () -> software.amazon.awssdk.services.secretsmanager.SecretsManagerClient
                .builder().region(region(settings))
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).build());
        return new AppContext.Alerts(svc, new java.util.concurrent.atomic.AtomicReference<>(token), java.time.Duration.ofSeconds(20),
                new java.util.concurrent.atomic.AtomicReference<>(settings.get(Setting.ALERT_HMAC_SECRET)
                        .filter(k -> !k.isBlank()).orElse(null)));
    }

    /**
     * The change chain in AWS ({@code statemachines/change.asl.json} deployed by the template): changes in the actions
     * table, executions started and answered through Step Functions; null without a live cluster or a state machine.
     */
    static io.opsagent.core.changes.ChangeService changes(Settings settings, Region region, DynamoDbClient dynamo,
                                                         TableNames tables, io.opsagent.core.actions.ActionService actions,
                                                         SnapshotProvider cluster) {
        String arn = settings.get(Setting.CHANGE_STATE_MACHINE_ARN).map(String::strip).filter(a -> !a.isEmpty()).orElse(null);
        if (arn == null || actions == null) return null;
        if (!arn.matches("arn:aws[a-z-]*:states:[a-z0-9-]+:\\d{12}:stateMachine:[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException(Setting.CHANGE_STATE_MACHINE_ARN.key() + " is not a state machine ARN: " + arn);
        }
        var sfn = software.amazon.awssdk.services.sfn.SfnClient.builder().region(region)
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).build();
        io.opsagent.core.changes.ChangePolicy policy = io.opsagent.core.changes.ChangePolicy.LOCAL
                .withRegistries(settings.list(Setting.ALLOWED_REGISTRIES))
                .withTimes(Duration.ofSeconds(settings.integer(Setting.CHANGE_ANALYSIS_SECONDS, 60, 0, 600)),
                        // the worker heartbeats pending approvals once a minute (its schedule): 5 minutes of silence = lost
                        io.opsagent.core.changes.ChangePolicy.LOCAL.approvalTimeout(), Duration.ofMinutes(5));
        io.opsagent.core.changes.ChangeService svc = new io.opsagent.core.changes.ChangeService(
                new io.opsagent.adapters.dynamodb.DynamoChangeStore(dynamo, tables), actions, cluster.actions(),
                new io.opsagent.adapters.stepfunctions.SfnOrchestrator(sfn, arn), policy, Clock.systemUTC());
        svc.intents(new io.opsagent.adapters.dynamodb.DynamoIntendedStateStore(dynamo, tables));
        svc.notifier(Assembly.notifier(settings), settings.get(Setting.WEB_URL).orElse(null));
        return svc;
    }

    /** {@code AWS_REGION}, else {@code AWS_DEFAULT_REGION} ({@link AwsSettings#region}); unset → IllegalArgumentException. */
    public static Region region(Settings settings) {
        return AwsSettings.region(settings).orElseThrow(() -> new IllegalArgumentException(
                "AWS_REGION is not set (Lambda sets it; set it for tests and local runs)"));
    }

    /**
     * The DynamoDB client: the URL-connection HTTP client (smallest cold start), the default credentials chain
     * (resolved per call, so credentials after a SnapStart restore are fresh), {@code AWS_ENDPOINT_URL_DYNAMODB}
     * when set.
     */
    public static DynamoDbClient dynamo(Settings settings, Region region) {
        DynamoDbClientBuilder b = DynamoDbClient.builder()
                .region(region)
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClient(UrlConnectionHttpClient.builder().build());
        Optional<String> endpoint = settings.environment(DYNAMODB_ENDPOINT);
        if (endpoint.isPresent()) {
            try {
                b.endpointOverride(URI.create(endpoint.get()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(DYNAMODB_ENDPOINT + " '" + endpoint.get() + "' is not a URL: "
                        + e.getMessage(), e);
            }
        }
        return b.build();
    }

    /**
     * The cluster the functions read, chosen by {@link Clusters#open} — the same code as the local product:
     * {@link Setting#DUMP_DIR} (a {@code kubectl cluster-info dump} directory, for {@code sam local invoke} and
     * demos), {@link Setting#EVIDENCE_DIR}, or {@link Setting#EKS_CLUSTER} (live: endpoint and CA from
     * {@code eks:DescribeCluster}, tokens signed with the function's role, optional impersonation of the caller), with
     * the log source of {@link Setting#LOG_SOURCE}. No cluster configured is an error naming the settings.
     */
    public static ClusterView cluster(Settings settings) {
        if (!Clusters.configured(settings)) {
            throw new IllegalArgumentException("no cluster configured: set " + Setting.EKS_CLUSTER.key()
                    + " (an EKS cluster name) or " + Setting.DUMP_DIR.key() + " (a kubectl cluster-info dump directory, "
                    + "for sam local invoke and demos)");
        }
        try {
            return Clusters.open(settings, null, null);
        } catch (InputException e) {
            Setting input = settings.isSet(Setting.DUMP_DIR) ? Setting.DUMP_DIR : Setting.EVIDENCE_DIR;
            IllegalArgumentException bad = settings.bad(input, "cannot be read: " + e.getMessage());
            bad.initCause(e);
            throw bad;
        }
    }
}
