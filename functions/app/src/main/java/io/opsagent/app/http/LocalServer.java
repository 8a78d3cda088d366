package io.opsagent.app.http;

import io.opsagent.adapters.dynamodb.DynamoRunStore;
import io.opsagent.app.config.Assembly;
import io.opsagent.adapters.dynamodb.DynamoSessionStore;
import io.opsagent.adapters.dynamodb.LocalDynamo;
import io.opsagent.adapters.dynamodb.TableNames;
import io.opsagent.adapters.dynamodb.TableSetup;
import io.opsagent.core.agent.ConversationEngine;
import io.opsagent.core.agent.EngineConfig;
import io.opsagent.core.agent.model.ChatModel;
import io.opsagent.core.agent.offline.OfflineAnalyst;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.redact.Redactor;
import io.opsagent.core.runs.Instances;
import io.opsagent.core.runs.RunReaper;
import io.opsagent.core.runs.RunStore;
import io.opsagent.core.runs.SessionStore;
import io.opsagent.core.tools.SnapshotProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything {@code opsagent up} runs, in one object: embedded DynamoDB Local (in a data directory or in memory),
 * the run and session stores, the conversation engine over a snapshot, and the HTTP application. Closing it stops
 * the server, then DynamoDB.
 */
public final class LocalServer implements AutoCloseable {

    /**
     * What to start.
     *
     * @param cluster   the cluster the engine and the workloads API read (a snapshot, or a live cluster)
     * @param dataDir   DynamoDB Local's directory; null keeps everything in memory
     * @param inputDir  the dump/evidence directory the snapshot was read from (for citations), or null
     * @param model     the chat model (the offline analyst when null)
     * @param tables    table names (default {@code opsagent-*})
     * @param heartbeat SSE keep-alive period (default 15 s)
     */
    public record Options(SnapshotProvider cluster, Path inputDir, Path webDir, Path dataDir, String host, int port,
                          ChatModel model, TableNames tables, Duration heartbeat) {
        public Options {
            Objects.requireNonNull(cluster, "cluster");
            host = host == null ? "127.0.0.1" : host;
            model = model == null ? new OfflineAnalyst() : model;
            tables = tables == null ? TableNames.DEFAULT : tables;
        }

        /** A fixed snapshot (a dump or pasted evidence read from {@code inputDir}). */
        public Options(ClusterSnapshot snapshot, Path inputDir, Path webDir, Path dataDir, String host, int port,
                       ChatModel model, TableNames tables, Duration heartbeat) {
            this(SnapshotProvider.of(Objects.requireNonNull(snapshot, "snapshot")), inputDir, webDir, dataDir, host,
                    port, model, tables, heartbeat);
        }
    }

    private final LocalDynamo db;
    private io.opsagent.app.config.LocalChangeChain chain;
    private io.opsagent.core.changes.ChangeService changeService;
    private AppContext.Alerts alerts;

    /** The alert intake; {@code token} turns Alertmanager's webhook on (null: off). */
    public AppContext.Alerts alerts(String token) {
        alerts.tokenRef().set(token == null || token.isBlank() ? null : token);
        return alerts;
    }
    private final HttpApp http;
    private final RunStore runs;
    private final SessionStore sessions;
    private final ConversationEngine engine;
    private io.opsagent.adapters.dynamodb.TableNames tables = io.opsagent.adapters.dynamodb.TableNames.DEFAULT;
    private volatile Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
    /** How long runs going on get to finish when the server stops (then they are cancelled, then ended). */
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(20);
    /** Where executed changes are followed to their rollout's end (daemon threads: a stop does not wait for them). */
    private static final java.util.concurrent.ExecutorService VERIFIER = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "opsagent-action-verifier");
        t.setDaemon(true);
        return t;
    });
    /** After the grace period and a cancel request, how long runs get to stop at a step boundary. */
    static final Duration CANCEL_WAIT = Duration.ofSeconds(3);

    private LocalServer(LocalDynamo db, HttpApp http, RunStore runs, SessionStore sessions, ConversationEngine engine) {
        this.db = db;
        this.http = http;
        this.runs = runs;
        this.sessions = sessions;
        this.engine = engine;
    }

    /**
     * Starts DynamoDB, the stores, the engine and the server.
     *
     * @throws java.net.BindException if the port is in use (DynamoDB is stopped again)
     * @throws IllegalStateException  if the data directory is used by another OpsAgent
     */
    public static LocalServer start(Options o) throws IOException {
        return start(o, o.dataDir() == null ? LocalDynamo.startInMemory() : LocalDynamo.start(o.dataDir()));
    }

    /**
     * As {@link #start(Options)} on a DynamoDB Local already started (e.g. in parallel with reading the input);
     * takes ownership of {@code db} ({@link Options#dataDir()} is not used) and closes it on failure.
     */
    public static LocalServer start(Options o, LocalDynamo db) throws IOException {
        return start(o, db, EngineConfig.defaults());
    }

    /** As {@link #start(Options, LocalDynamo)} with engine settings (step limit, price table for the model). */
    public static LocalServer start(Options o, LocalDynamo db, EngineConfig config) throws IOException {
        return start(o, db, config, null);
    }

    /**
     * As {@link #start(Options, LocalDynamo, EngineConfig)} with the request policy (default
     * {@link HttpPolicy#local}: loopback hosts and the server's own origin).
     */
    public static LocalServer start(Options o, LocalDynamo db, EngineConfig config, HttpPolicy policy)
            throws IOException {
        return start(o, db, config, policy, io.opsagent.core.actions.ApprovalPolicy.LOCAL);
    }

    /**
     * As {@link #start(Options, LocalDynamo, EngineConfig, HttpPolicy)} with who may decide action proposals (on a
     * live cluster; a dump cannot be changed).
     */
    public static LocalServer start(Options o, LocalDynamo db, EngineConfig config, HttpPolicy policy,
                                    io.opsagent.core.actions.ApprovalPolicy approvals) throws IOException {
        return start(o, db, config, policy, approvals, null, null);
    }

    /**
     * As {@link #start(Options, LocalDynamo, EngineConfig, HttpPolicy, io.opsagent.core.actions.ApprovalPolicy)} with
     * the change chain (on a live cluster): {@code chain} null for none; the server closes it when it stops.
     */
    public static LocalServer start(Options o, LocalDynamo db, EngineConfig config, HttpPolicy policy,
                                    io.opsagent.core.actions.ApprovalPolicy approvals,
                                    io.opsagent.app.config.LocalChangeChain chain,
                                    io.opsagent.core.changes.ChangePolicy changePolicy) throws IOException {
        try {
            TableSetup.ensureTables(db.client(), o.tables());
            RunStore runs = new DynamoRunStore(db.client(), o.tables());
            // the data directory is locked to this process: a run another process left running is orphaned
            String self = Instances.next(); // this server's runs: any other owner in this data directory is gone
            config = config.withOwner(self);
            RunReaper reaper = new RunReaper(runs, Clock.systemUTC(), self, true,
                    Duration.ofMinutes(AppContext.DEFAULT_MAX_RUN_MINUTES), Duration.ofMinutes(AppContext.DEFAULT_STALE_MINUTES));
            int orphans = reaper.sweep();
            if (orphans > 0) {
                java.util.logging.Logger.getLogger("io.opsagent.runs").warning("ended " + orphans
                        + " run(s) left running when OpsAgent last stopped: they are marked failed");
            }
            SessionStore sessions = new DynamoSessionStore(db.client(), o.tables());
            Redactor redactor = Redactor.standard();
            SnapshotProvider cluster = o.cluster();
            io.opsagent.core.actions.ActionService actions = cluster.actions() == null ? null
                    : new io.opsagent.core.actions.ActionService(cluster.actions(),
                    new io.opsagent.adapters.dynamodb.DynamoProposalStore(db.client(), o.tables()),
                    new io.opsagent.adapters.dynamodb.DynamoAuditLog(db.client(), o.tables(), Clock.systemUTC()),
                    approvals, cluster, Clock.systemUTC(), VERIFIER, null);
            if (chain != null) chain.runs(runs, self);
            io.opsagent.core.changes.ChangeService changes = actions == null || chain == null ? null
                    : chain.service(actions, cluster, cluster.actions(), changePolicy == null
                    ? io.opsagent.core.changes.ChangePolicy.LOCAL : changePolicy,
                    new io.opsagent.adapters.dynamodb.DynamoChangeStore(db.client(), o.tables()),
                    new io.opsagent.adapters.dynamodb.DynamoIntendedStateStore(db.client(), o.tables()), chain.driftEvery());
            ConversationEngine engine = Assembly.engine(o.model(), cluster, runs, sessions, config, actions, changes);
            if (actions != null) {
                int left = actions.recover();
                if (left > 0) {
                    java.util.logging.Logger.getLogger("io.opsagent.actions").warning(left + " action(s) were being"
                            + " executed when OpsAgent last stopped: unsent ones are marked failed, sent ones verified again");
                }
            }
            // alerts: recorded and investigated through this engine; the webhook is off until a token is set
            io.opsagent.core.alerts.AlertService alertService = new io.opsagent.core.alerts.AlertService(
                    new io.opsagent.adapters.dynamodb.DynamoAlertStore(db.client(), o.tables()),
                    io.opsagent.core.alerts.AlertTemplates.standard(), io.opsagent.core.alerts.AlertService.Policy.LOCAL,
                    Clock.systemUTC());
            alertService.investigator(new io.opsagent.app.config.EngineInvestigator(engine, "alert")
                    .onFinished(run -> alertService.finished(run.id(), run.status().json(), run.finalAnswer())));
            // on a live cluster with the change chain, each investigation is an execution of investigation.asl.json
            if (chain != null && changes != null) chain.alerts(alertService, runs);
            AppContext.Alerts alerts = new AppContext.Alerts(alertService, new java.util.concurrent.atomic.AtomicReference<>());
            AppContext ctx = new AppContext(engine, runs, sessions, cluster, o.inputDir(), o.webDir(), redactor,
                    o.heartbeat(), Authenticator.local(engine::projects), reaper, policy, actions, changes, alerts);
            HttpApp http = HttpApp.start(ctx, new InetSocketAddress(o.host(), o.port()));
            LocalServer server = new LocalServer(db, http, runs, sessions, engine);
            server.tables = o.tables();
            server.chain = chain;
            server.changeService = changes;
            server.alerts = alerts;
            return server;
        } catch (IOException | RuntimeException e) {
            if (chain != null) chain.close();
            db.close();
            throw e;
        }
    }

    public HttpApp http() {
        return http;
    }

    /** The change chain's service, or null when changes are off (no live cluster, no chain). */
    public io.opsagent.core.changes.ChangeService changes() {
        return changeService;
    }

    public RunStore runs() {
        return runs;
    }

    public SessionStore sessions() {
        return sessions;
    }

    public String modelId() {
        return engine.modelId();
    }

    /**
     * Daily budgets of model use per user (tokens, US dollars by the model's price table; 0: no limit of that kind),
     * held in this server's DynamoDB (the actions table); both 0: none.
     */
    public void budgets(long tokensPerDay, double usdPerDay) {
        budgets(tokensPerDay, usdPerDay, 0);
    }

    /** As above, with at most {@code requestsPerMinute} chat requests a minute per user (0: no limit). */
    public void budgets(long tokensPerDay, double usdPerDay, int requestsPerMinute) {
        budgets(tokensPerDay, usdPerDay, requestsPerMinute, 0);
    }

    /** As above, with at most {@code concurrentRuns} runs going on at once per user (0: no limit). */
    public void budgets(long tokensPerDay, double usdPerDay, int requestsPerMinute, int concurrentRuns) {
        this.perUser = new PerUser(tokensPerDay, usdPerDay, requestsPerMinute, concurrentRuns);
        wireBudgets();
    }

    /** The per-user budgets last set (0: no limit of that kind). */
    private record PerUser(long tokensPerDay, double usdPerDay, int requestsPerMinute, int concurrentRuns) {
    }

    private volatile PerUser perUser = new PerUser(0, 0, 0, 0);

    /** Per user (as last set), and the projects' own budgets: wired again whenever either changes. */
    private void wireBudgets() {
        PerUser u = perUser;
        engine.withBudgets(Assembly.budgets(new io.opsagent.adapters.dynamodb.DynamoBudgetStore(db.client(), tables),
                u.tokensPerDay(), u.usdPerDay(), u.requestsPerMinute(), u.concurrentRuns(), engine.projectDirectory()));
    }

    /**
     * Who may see and do what, by project: {@code declared} (a file's: read-only here; null: none) and those made through
     * the API, the CLI and the admin page, kept in this server's DynamoDB; {@code seed} is written when that holds
     * none and nothing is declared (the local default on a first start). Both null: no projects (everyone sees
     * everything). Changes are audited in the audit log of this server's DynamoDB.
     */
    public void projects(io.opsagent.core.access.Projects declared, io.opsagent.core.access.Projects seed) {
        if (declared == null && seed == null) {
            engine.withProjects((io.opsagent.core.access.ProjectDirectory) null);
            wireBudgets();
            return;
        }
        io.opsagent.core.access.ProjectDirectory d = new io.opsagent.core.access.ProjectDirectory(declared,
                new io.opsagent.adapters.dynamodb.DynamoProjectStore(db.client(), tables),
                new io.opsagent.adapters.dynamodb.DynamoAuditLog(db.client(), tables, Clock.systemUTC()), Clock.systemUTC());
        d.seedIfEmpty(seed, "opsagent");
        engine.withProjects(d);
        wireBudgets();
    }

    /** As {@link #projects(io.opsagent.core.access.Projects, io.opsagent.core.access.Projects)} with {@code p} declared. */
    public void projects(io.opsagent.core.access.Projects p) {
        projects(p, null);
    }

    /** The conversation engine (its one diagnosis is the workloads API's too). */
    public ConversationEngine engine() {
        return engine;
    }

    /** DynamoDB's data directory, or null in memory. */
    public Path dataDir() {
        return db.dataDir();
    }

    /** How long runs going on get to finish when the server stops (default 20 s). */
    public LocalServer shutdownGrace(Duration grace) {
        if (grace.isNegative()) throw new IllegalArgumentException("the shutdown grace period must not be negative");
        this.shutdownGrace = grace;
        return this;
    }

    /**
     * Stops gracefully: no new run starts; runs going on get the grace period, then a cancel request, then are
     * ended as failed with a {@code final} event to their clients; only then do the server and storage close. No
     * run is left {@code running}.
     */
    @Override
    public void close() {
        try {
            int ended = http.drain(shutdownGrace, CANCEL_WAIT);
            if (ended > 0) {
                java.util.logging.Logger.getLogger("io.opsagent.runs").warning("ended " + ended
                        + " run(s) still going on at shutdown: marked failed, their clients told");
            }
        } catch (RuntimeException e) {
            java.util.logging.Logger.getLogger("io.opsagent.runs").warning("draining runs failed: " + e);
        }
        try {
            if (chain != null) chain.close();
            http.close();
        } finally {
            db.close();
        }
    }
}
