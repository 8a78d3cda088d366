package io.opsagent.local;

import io.opsagent.adapters.dynamodb.DynamoRunStore;
import io.opsagent.adapters.dynamodb.DynamoSessionStore;
import io.opsagent.adapters.dynamodb.LocalDynamo;
import io.opsagent.adapters.dynamodb.TableNames;
import io.opsagent.adapters.dynamodb.TableSetup;
import io.opsagent.core.agent.AgentEvent;
import io.opsagent.core.agent.ConversationEngine;
import io.opsagent.core.agent.EngineConfig;
import io.opsagent.core.agent.model.ChatModel;
import io.opsagent.core.agent.offline.OfflineAnalyst;
import io.opsagent.core.runs.Run;
import io.opsagent.core.runs.RunStatus;
import io.opsagent.core.tools.SnapshotProvider;
import io.opsagent.app.config.Assembly;
import io.opsagent.app.config.ClusterView;
import io.opsagent.app.config.Clusters;
import io.opsagent.app.config.LogSources;
import io.opsagent.app.config.Models;
import io.opsagent.app.config.Setting;
import io.opsagent.app.config.Settings;
import io.opsagent.app.http.Users;
import java.util.Map;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code opsagent ask [--dump DIR | --evidence DIR] --workload ns/name "question"}: asks the agent (the offline
 * analyst, no LLM needed) about a workload; streams the answer to stdout and tool activity to stderr.
 */
@Command(name = "ask", mixinStandardHelpOptions = true,
        description = {"Ask the agent about a workload. The answer streams to stdout (markdown with evidence "
                + "citations); tool activity goes to stderr.",
                "With no model configured the offline analyst answers (deterministic, from diagnosis, logs, events "
                        + "and history).",
                "The run and its steps are stored like the web chat's (embedded DynamoDB Local under "
                        + "~/.opsagent/data or --data DIR), so they show in the runs dashboard of ./opsagent up; "
                        + "the run id and step count are printed on stderr at the end."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:answered", "1:the run failed (model or engine error)", "2:bad input"})
final class AskCommand implements Callable<Integer> {
    /** Kept so the logger's level is not lost to garbage collection. */
    private static final java.util.logging.Logger AGENT_LOG = java.util.logging.Logger.getLogger("io.opsagent.agent");

    @Spec
    CommandSpec spec;

    @Option(names = "--dump", paramLabel = "DIR",
            description = "a directory written by kubectl cluster-info dump --all-namespaces --output-directory=DIR")
    Path dump;

    @Option(names = "--evidence", paramLabel = "DIR", description = "a directory of pasted kubectl output")
    Path evidence;

    @Option(names = "--context", paramLabel = "K8S_CONTEXT",
            description = "a live cluster: a kubeconfig context ($KUBECONFIG or ~/.kube/config), read-only")
    String context;

    @Option(names = {"-w", "--workload"}, required = true, paramLabel = "NS/NAME",
            description = "namespace/name of the workload (Deployment, StatefulSet, DaemonSet, Job, Service...), "
                    + "or namespace/* for a whole namespace")
    String workload;

    @Option(names = "--max-steps", paramLabel = "N", description = "most model turns (default 10; OPSAGENT_MAX_STEPS)")
    Integer maxSteps;

    @Option(names = "--verbose", description = "log each step (with the run id) on stderr")
    boolean verbose;

    @Option(names = "--data", paramLabel = "DIR",
            description = "where runs are kept (default ~/.opsagent/data, or $OPSAGENT_DATA_DIR)")
    Path data;

    @Mixin
    ModelOptions models;

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--in-memory", description = "keep the run in memory only (lost on exit)")
    boolean inMemory;

    @Option(names = "--user", paramLabel = "NAME", defaultValue = Users.DEFAULT_USER,
            description = "the user the run belongs to (default ${DEFAULT-VALUE}, as in the web UI)")
    String user;

    @Parameters(arity = "1..*", paramLabel = "QUESTION", description = "the question, e.g. \"why is it failing?\"")
    List<String> question;

    @Override
    public Integer call() throws Exception {
        int inputs = (dump == null ? 0 : 1) + (evidence == null ? 0 : 1) + (context == null ? 0 : 1);
        if (inputs > 1) {
            throw new IllegalArgumentException("give exactly one of --dump DIR, --evidence DIR or --context K8S_CONTEXT");
        }
        if (!Users.valid(user)) throw new IllegalArgumentException("--user must match [a-z0-9_.-]{1,64}, got '" + user + "'");
        if (inMemory && data != null) throw new IllegalArgumentException("give at most one of --data DIR or --in-memory");
        String q = String.join(" ", question).strip();
        if (q.isEmpty()) throw new IllegalArgumentException("the question is empty");
        Map<String, String> env = Main.env();
        Settings settings = settings(env);
        ChatModel model = Models.create(settings);
        EngineConfig engineConfig = Assembly.engineConfig(settings, model); // bad engine settings fail here
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String namespace = workload.contains("/") ? workload.substring(0, workload.indexOf('/')) : null;
        if (configOptions.show) {
            try (ClusterView cluster = Clusters.configured(settings) ? Clusters.open(settings, namespace, null) : null) {
                ConfigOptions.print(out, configOptions.file(env), settings, model, cluster);
            }
            return 0;
        }
        if (!Clusters.configured(settings)) {
            throw new IllegalArgumentException("give exactly one of --dump DIR, --evidence DIR or --context K8S_CONTEXT"
                    + " (or configure a cluster: docs/configuration.md)");
        }
        AGENT_LOG.setLevel(verbose ? java.util.logging.Level.INFO : java.util.logging.Level.WARNING);
        // a live cluster is read as the kubeconfig's user (RBAC applies), only the asked workload's namespace
        ClusterView cluster = Clusters.open(settings, namespace, null);
        try (ClusterView closeCluster = cluster) {
            if (!(model instanceof OfflineAnalyst)) {
                err.println("model: " + Models.describe(model));
            }
            if (!LogSources.SNAPSHOT.equals(LogSources.choice(settings, cluster.live()))) {
                err.println("logs: " + cluster.logSource());
            }
            return ask(cluster.provider(), model, engineConfig, q, out, err,
                    settings.get(Setting.DATA_DIR).map(Path::of).orElse(null));
        }
    }

    /** The settings in force: config file &lt; environment &lt; flags (a cluster flag replaces a configured cluster). */
    Settings settings(Map<String, String> env) {
        return ConfigOptions.clusterFlags(models.addTo(configOptions.builder(env)), dump, evidence, context)
                .flag(Setting.MAX_STEPS, maxSteps == null ? null : String.valueOf(maxSteps), "--max-steps")
                .flag(Setting.DATA_DIR, data == null ? null : data.toString(), "--data").build();
    }

    private int ask(SnapshotProvider cluster, ChatModel model, EngineConfig engineConfig, String q, PrintWriter out, PrintWriter err,
                    Path dataDirSetting) {
        String kept;
        LocalDynamo db;
        if (inMemory) {
            db = LocalDynamo.startInMemory();
            kept = "kept in memory only";
        } else {
            // --data, else OPSAGENT_DATA_DIR from the environment or the config file
            Path dataDir = dataDirSetting != null ? dataDirSetting : LocalDynamo.defaultDataDir();
            try {
                db = LocalDynamo.start(dataDir);
                kept = "stored in " + dataDir;
            } catch (IllegalStateException unusable) { // typically: a running ./opsagent up holds the directory
                err.println("opsagent: " + unusable.getMessage() + "; this run is kept in memory only");
                db = LocalDynamo.startInMemory();
                kept = "kept in memory only";
            }
        }
        Run run;
        try (LocalDynamo store = db) {
            TableSetup.ensureTables(store.client(), TableNames.DEFAULT);
            ConversationEngine engine = Assembly.engine(model, cluster, new DynamoRunStore(store.client(), TableNames.DEFAULT),
                    new DynamoSessionStore(store.client(), TableNames.DEFAULT), engineConfig);
            run = engine.askOnce(user, workload, q, "cli", e -> show(e, out, err));
        }
        out.flush();
        err.println("run " + run.id() + ": " + run.status().json() + ", " + run.steps() + " steps, "
                + (run.durationMs() == null ? 0 : run.durationMs()) + " ms (" + kept + ")");
        err.flush();
        return run.status() == RunStatus.FAILED ? 1 : 0;
    }

    private static void show(AgentEvent e, PrintWriter out, PrintWriter err) {
        if (e instanceof AgentEvent.TextDelta d) {
            out.print(d.text());
            out.flush();
        } else if (e instanceof AgentEvent.ToolStarted t) {
            err.println("→ " + t.tool() + " " + t.arguments());
            err.flush();
        } else if (e instanceof AgentEvent.ToolFinished t) {
            err.println("← " + (t.error() ? "error: " : "") + t.summary());
            err.flush();
        } else if (e instanceof AgentEvent.Error x) {
            err.println("opsagent: " + x.message());
            err.flush();
        } else if (e instanceof AgentEvent.RunFinished f && f.text() != null && !f.text().endsWith("\n")) {
            out.println();
        }
    }
}
