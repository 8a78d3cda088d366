package io.opsagent.local;

import io.opsagent.app.config.Assembly;
import io.opsagent.app.config.ClusterView;
import io.opsagent.app.config.Clusters;
import io.opsagent.app.config.Models;
import io.opsagent.app.config.Setting;
import io.opsagent.app.config.Settings;
import io.opsagent.core.input.InputException;
import io.opsagent.adapters.dynamodb.LocalDynamo;
import io.opsagent.core.agent.model.ChatModel;
import io.opsagent.app.http.AppContext;
import io.opsagent.app.http.HttpPolicy;
import io.opsagent.app.http.LocalServer;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code opsagent up}: starts the local product — embedded DynamoDB Local, the stores, the agent (offline analyst)
 * and the HTTP application (web UI, JSON API, chat stream) — and runs until Ctrl-C.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Start OpsAgent locally: web UI, JSON API and streaming chat on http://127.0.0.1:8080/.",
                "Reads the demo cluster dump (events/clusters/demo) unless a cluster is configured (--dump, "
                        + "--evidence, --context, or the settings in docs/configuration.md); keeps "
                        + "sessions and runs in embedded DynamoDB Local under ~/.opsagent/data (or --data DIR). "
                        + "Stop with Ctrl-C."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped", "2:bad input, port in use or data directory in use"})
final class UpCommand implements Callable<Integer> {
    static final String DEMO = "events/clusters/demo";
    /** Held so its level is not lost to garbage collection. */
    private static final java.util.logging.Logger SQLITE_LOG = java.util.logging.Logger.getLogger("com.almworks.sqlite4java");

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "port (default 8080; 0 picks a free one)")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "address to listen on (default 127.0.0.1, this machine only)")
    String bind;

    @Option(names = "--insecure-header-auth-on-network",
            description = "allow --bind to a non-loopback address although users are chosen by the X-OpsAgent-User "
                    + "header (anyone who reaches the port can act as anyone); without it such a --bind is refused")
    boolean insecureHeaderAuth;

    @Option(names = "--dump", paramLabel = "DIR",
            description = "a directory written by kubectl cluster-info dump (default: the demo dump " + DEMO + ")")
    Path dump;

    @Option(names = "--evidence", paramLabel = "DIR", description = "a directory of pasted kubectl output")
    Path evidence;

    @Option(names = "--data", paramLabel = "DIR", description = "where sessions and runs are kept (default ~/.opsagent/data, "
            + "or $OPSAGENT_DATA_DIR)")
    Path data;

    @Option(names = "--context", paramLabel = "K8S_CONTEXT",
            description = "a live cluster: a kubeconfig context ($KUBECONFIG or ~/.kube/config), read-only")
    String context;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
            description = "a live cluster: read only this namespace (default: all; OPSAGENT_NAMESPACE)")
    String namespace;

    @Mixin
    ModelOptions models;

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--in-memory", description = "keep sessions and runs in memory only (lost on exit)")
    boolean inMemory;

    @Option(names = "--web", paramLabel = "DIR", description = "the web UI's directory (default web/dist or web/ of the checkout)")
    Path web;

    @Override
    public Integer call() throws Exception {
        oneLineLogs();
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--port must be 0..65535, got " + port);
        if ((dump != null ? 1 : 0) + (evidence != null ? 1 : 0) + (context != null ? 1 : 0) > 1) {
            throw new IllegalArgumentException("give at most one of --dump DIR or --evidence DIR or --context K8S_CONTEXT");
        }
        if (inMemory && data != null) throw new IllegalArgumentException("give at most one of --data DIR or --in-memory");
        if (!loopback(bind) && !insecureHeaderAuth) {
            throw new IllegalArgumentException("--bind " + bind + " would serve the network, but the local server "
                    + "takes the user from the X-OpsAgent-User header: anyone who reaches the port could act as any "
                    + "user. Keep the default 127.0.0.1 (use an SSH tunnel or a reverse proxy with authentication), or "
                    + "accept that risk with --insecure-header-auth-on-network");
        }
        Map<String, String> env = Main.env();
        Settings settings = settings(env);
        Path root = checkoutRoot();
        Path demo = root.resolve(DEMO);
        if (!Clusters.configured(settings) && !Files.isDirectory(demo)) {
            throw new InputException(demo.toString(), "the demo dump is missing: run from the OpsAgent checkout or give --dump DIR");
        }
        ChatModel model = Models.create(settings); // bad model settings fail before anything starts
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (configOptions.show) {
            try (ClusterView cluster = Clusters.open(settings, null, demo)) {
                ConfigOptions.print(out, configOptions.file(env), settings, model, cluster);
            }
            return 0;
        }
        Path webDir = web != null ? web : AppContext.findWebDir(root);
        Path dataDir = inMemory ? null : settings.get(Setting.DATA_DIR).map(Path::of).orElseGet(LocalDynamo::defaultDataDir);
        // DynamoDB Local starts while the input is read (both take seconds on a cold JVM)
        CompletableFuture<LocalDynamo> db = CompletableFuture.supplyAsync(
                () -> dataDir == null ? LocalDynamo.startInMemory() : LocalDynamo.start(dataDir));
        ClusterView cluster;
        try {
            cluster = Clusters.open(settings, null, demo);
        } catch (InputException | RuntimeException e) {
            try {
                join(db).close();
            } catch (RuntimeException ignored) {
                // the input error is the one to report
            }
            throw e;
        }
        // the change chain: on a live cluster, statemachines/change.asl.json on LocalStack's Step Functions
        io.opsagent.app.config.LocalChangeChain chain = null;
        String changesSetting = settings.get(Setting.CHANGES).map(String::strip).orElse("local");
        if (!changesSetting.equals("local") && !changesSetting.equals("off")) {
            err.println("opsagent: OPSAGENT_CHANGES must be local or off, not '" + changesSetting + "'");
            err.flush();
            cluster.close();
            join(db).close();
            return Main.EXIT_BAD_INPUT;
        }
        if (cluster.provider().actions() != null && changesSetting.equals("local")) {
            try {
                err.println("opsagent: starting the change chain (LocalStack's Step Functions; the first time installs "
                        + "it from PyPI, about a minute)…");
                err.flush();
                chain = io.opsagent.app.config.LocalChangeChain.start(root,
                        settings.integer(Setting.LOCALSTACK_PORT, 4566, 1, 65535))
                        .driftEvery(java.time.Duration.ofMinutes(settings.integer(Setting.DRIFT_MINUTES, 5, 0, 1440)));
            } catch (java.io.IOException | RuntimeException e) {
                err.println("opsagent: changes are off: the change chain could not start (" + String.valueOf(e.getMessage()).lines()
                        .findFirst().orElse("") + "); everything else works (OPSAGENT_CHANGES=off silences this)");
                err.flush();
            }
        }
        io.opsagent.core.changes.ChangePolicy changePolicy = io.opsagent.core.changes.ChangePolicy.LOCAL
                .withRegistries(settings.list(Setting.ALLOWED_REGISTRIES))
                .withTimes(java.time.Duration.ofSeconds(settings.integer(Setting.CHANGE_ANALYSIS_SECONDS, 30, 0, 3600)),
                        io.opsagent.core.changes.ChangePolicy.LOCAL.approvalTimeout(),
                        io.opsagent.core.changes.ChangePolicy.LOCAL.heartbeat());
        LocalServer server;
        try {
            server = LocalServer.start(new LocalServer.Options(cluster.provider(), cluster.inputDir(), webDir, dataDir,
                    bind, port, model, null, null), join(db), Assembly.engineConfig(settings, model),
                    HttpPolicy.local(allowedHosts(settings), settings.list(Setting.ALLOWED_ORIGINS)),
                    Assembly.approvalPolicy(settings, false), chain, changePolicy);
        } catch (BindException e) {
            cluster.close();
            err.println("opsagent: port " + port + " on " + bind + " is in use (" + e.getMessage()
                    + "): stop the other program or choose another with --port N");
            err.flush();
            return Main.EXIT_BAD_INPUT;
        } catch (IllegalStateException e) {
            cluster.close();
            err.println("opsagent: " + e.getMessage());
            err.flush();
            return Main.EXIT_BAD_INPUT;
        }
        // who is told (Slack, SNS: one notifier for changes and alerts) and the alert intake's settings
        try {
            io.opsagent.core.notify.Notifier notifier = io.opsagent.app.config.Assembly.notifier(settings);
            String web = settings.get(Setting.WEB_URL).orElse(server.http().uri().toString());
            var alertIntake = server.alerts(settings.get(Setting.ALERT_TOKEN).orElse(null));
            alertIntake.hmacRef().set(settings.get(Setting.ALERT_HMAC_SECRET).filter(k -> !k.isBlank()).orElse(null));
            var alertService = alertIntake.service();
            alertService.policy(new io.opsagent.core.alerts.AlertService.Policy(settings.get(Setting.ALERT_USER, "dev"),
                    io.opsagent.core.alerts.AlertService.Policy.LOCAL.group(),
                    io.opsagent.core.alerts.AlertService.Policy.LOCAL.perWorkloadPerHour()));
            alertService.notifier(notifier, web);
            // projects: a user sees only their projects' namespaces, with their role's tools (unset: no projects)
            server.projects(io.opsagent.app.config.Assembly.declaredProjects(settings), seed(settings));
            // budgets of model use per user and day, reserved before each model call (0: none)
            server.budgets(io.opsagent.app.config.Assembly.budgetTokens(settings), io.opsagent.app.config.Assembly.budgetUsd(settings),
                    io.opsagent.app.config.Assembly.budgetRequestsPerMinute(settings),
                    io.opsagent.app.config.Assembly.budgetConcurrentRuns(settings));
            if (server.changes() != null) server.changes().notifier(notifier, web);
        } catch (IllegalArgumentException e) {
            server.close();
            cluster.close();
            err.println("opsagent: " + e.getMessage());
            err.flush();
            return Main.EXIT_BAD_INPUT;
        }
        server.shutdownGrace(java.time.Duration.ofSeconds(settings.integer(Setting.SHUTDOWN_GRACE_SECONDS,
                (int) LocalServer.DEFAULT_SHUTDOWN_GRACE.toSeconds(), 0, 3600)));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            err.println("opsagent: stopping…");
            err.flush();
            try {
                server.close();
            } finally {
                cluster.close();
                stopped.countDown();
            }
        }, "opsagent-shutdown"));
        out.println("OpsAgent is running at " + server.http().uri());
        out.println("  model:   " + Models.describe(model));
        out.println("  cluster: " + cluster.describe());
        out.println("  logs:    " + cluster.logSource());
        out.println("  metrics: " + (cluster.provider().metrics() == null ? "none (set OPSAGENT_PROMETHEUS_URL for query_metrics and rightsize)"
                  : cluster.provider().metrics().name()));
        out.println("  data:    " + (dataDir == null ? "in memory (lost on exit)" : dataDir.toAbsolutePath().normalize()));
        out.println("  notify:  " + describeNotifications(settings));
        out.println("  budgets: " + describeBudgets(settings) + describeProjectBudgets(server.engine().projectDirectory()));
        out.println("  projects: " + describeProjects(settings, server.engine().projectDirectory()));
        out.println("  alerts:  " + (settings.get(Setting.ALERT_TOKEN).filter(t -> !t.isBlank()).isPresent()
                ? "Alertmanager webhook on at POST /api/alerts/alertmanager (bearer token set)"
                : "webhook off (set OPSAGENT_ALERT_TOKEN); ./opsagent alert FILE works"));
        out.println("  changes: " + (chain != null ? chain.describe()
                : cluster.provider().actions() == null ? "none (a dump cannot be changed)" : "off"));
        out.println("  web UI:  " + (webDir == null ? "not installed (API only)" : webDir.toAbsolutePath().normalize()));
        out.println("  config:  " + describeConfig(configOptions.file(env)));
        out.println("  users:   header X-OpsAgent-User (default 'dev'); API reference: docs/api.md");
        out.println("Press Ctrl-C to stop.");
        out.flush();
        stopped.await();
        return 0;
    }

    /** Loopback literals and names: the only addresses served without --insecure-header-auth-on-network. */
    static boolean loopback(String address) {
        String a = address.strip().toLowerCase(java.util.Locale.ROOT);
        return HttpPolicy.LOOPBACK.contains(a) || a.matches("127(\\.\\d{1,3}){3}");
    }

    /** OPSAGENT_ALLOWED_HOSTS, plus the bind address when it is not loopback (reached by that address). */
    private java.util.List<String> allowedHosts(Settings settings) {
        java.util.List<String> hosts = new java.util.ArrayList<>(settings.list(Setting.ALLOWED_HOSTS));
        if (!loopback(bind) && !bind.equals("0.0.0.0") && !bind.equals("::")) {
            hosts.add(bind.contains(":") && !bind.startsWith("[") ? "[" + bind + "]" : bind);
        }
        return hosts;
    }

    /** The settings in force: config file &lt; environment &lt; flags (a cluster flag replaces a configured cluster). */
    Settings settings(Map<String, String> env) {
        return ConfigOptions.clusterFlags(models.addTo(configOptions.builder(env)), dump, evidence, context)
                .flag(Setting.NAMESPACE, namespace, "--namespace")
                .flag(Setting.DATA_DIR, data == null ? null : data.toString(), "--data").build();
    }

    /** Where approvals waiting and changes that end are told, never the webhook's secret URL. */
    /** What an empty project store starts with: the local default when no file is set (written once, then editable). */
    static io.opsagent.core.access.Projects seed(Settings settings) {
        return settings.isSet(Setting.PROJECTS_FILE) ? null : io.opsagent.core.access.Projects.localDefault();
    }

    static String describeProjects(Settings settings, io.opsagent.core.access.ProjectDirectory d) {
        if (d == null) return "none (OPSAGENT_PROJECTS_FILE=none: everyone sees every namespace)";
        var entries = d.entries();
        long declared = entries.stream().filter(io.opsagent.core.access.ProjectDirectory.Entry::declared).count();
        boolean onlyDefault = entries.size() == 1 && entries.get(0).project().equals(io.opsagent.core.access.Projects.localDefault().all().get(0));
        String what = onlyDefault ? "the local default: every namespace, for dev (admin), alice (approver) and bob (operator)"
                : entries.size() + (declared > 0 ? " (" + declared + " declared by settings, read-only)" : "");
        return what + "; anyone else sees nothing. Change them with ./opsagent projects, the Projects page or /api/projects";
    }

    /** "; 2 projects have budgets of their own (shop, payments)", or nothing. */
    static String describeProjectBudgets(io.opsagent.core.access.ProjectDirectory d) {
        if (d == null) return "";
        java.util.List<String> names = d.current().all().stream().filter(p -> p.budget() != null)
                .map(io.opsagent.core.access.Project::name).toList();
        if (names.isEmpty()) return "";
        return names.size() == 1 ? "; project " + names.get(0) + " has a budget of its own, capping all use in its namespaces"
                : "; " + names.size() + " projects have budgets of their own (" + String.join(", ", names)
                + "), each capping all use in its namespaces";
    }

    static String describeBudgets(Settings settings) {
        long t = io.opsagent.app.config.Assembly.budgetTokens(settings);
        double u = io.opsagent.app.config.Assembly.budgetUsd(settings);
        int rpm = io.opsagent.app.config.Assembly.budgetRequestsPerMinute(settings);
        int runs = io.opsagent.app.config.Assembly.budgetConcurrentRuns(settings);
        if (t <= 0 && u <= 0 && rpm <= 0 && runs <= 0) {
            return "per user none (OPSAGENT_BUDGET_TOKENS_PER_DAY, _USD_PER_DAY, _REQUESTS_PER_MINUTE, _CONCURRENT_RUNS set them)";
        }
        return "per user:" + (t > 0 ? " " + t + " tokens a day" : "") + (u > 0 ? String.format(java.util.Locale.ROOT, " $%.2f a day", u) : "")
                + (rpm > 0 ? " " + rpm + " requests a minute" : "") + (runs > 0 ? " " + runs + " runs at once" : "")
                + " (each model call reserved first; a refusal is HTTP 429)";
    }

    static String describeNotifications(Settings settings) {
        java.util.List<String> to = new java.util.ArrayList<>();
        if (settings.get(Setting.SLACK_WEBHOOK_URL).filter(u -> !u.isBlank()).isPresent()) to.add("a Slack webhook");
        settings.get(Setting.SNS_TOPIC_ARN).filter(u -> !u.isBlank()).ifPresent(a -> to.add("SNS topic " + a));
        return to.isEmpty() ? "the web UI only (set OPSAGENT_SLACK_WEBHOOK_URL or OPSAGENT_SNS_TOPIC_ARN for more)"
                : "the web UI, " + String.join(" and ", to);
    }

    static String describeConfig(Path file) {
        return file == null ? "no config file (" + ConfigOptions.defaultFile() + " does not exist); --show-config prints the settings"
                : file.toAbsolutePath().normalize() + " (--show-config prints the settings)";
    }

    private static LocalDynamo join(CompletableFuture<LocalDynamo> db) {
        try {
            return db.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
    }

    /** Log lines as {@code 21:04:05 INFO io.opsagent.http run=<id> message} on stderr (unless configured otherwise). */
    private static void oneLineLogs() {
        if (System.getProperty("java.util.logging.config.file") == null
                && System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$s %3$s %5$s%6$s%n");
        }
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR"); // DynamoDB Local's Jetty: "no SLF4J providers"
        }
        SQLITE_LOG.setLevel(java.util.logging.Level.SEVERE); // "SQLite: unknown jar version" at every start
    }

    /** The working directory if it holds the demo, else the checkout the jar was built in, else the working directory. */
    static Path checkoutRoot() {
        Path cwd = Path.of("").toAbsolutePath();
        if (Files.isDirectory(cwd.resolve(DEMO))) return cwd;
        try {
            Path jar = Path.of(UpCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // functions/local/target/opsagent.jar (or target/classes) → the checkout root
            for (Path p = jar.getParent(); p != null; p = p.getParent()) {
                if (Files.isDirectory(p.resolve(DEMO))) return p;
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall back to the working directory
        }
        return cwd;
    }
}
