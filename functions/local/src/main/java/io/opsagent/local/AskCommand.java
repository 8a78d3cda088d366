package io.opsagent.local;

import io.opsagent.core.agent.AgentEvent;
import io.opsagent.core.agent.ConversationEngine;
import io.opsagent.core.agent.EngineConfig;
import io.opsagent.core.agent.offline.OfflineAnalyst;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.input.ClusterDumpReader;
import io.opsagent.core.input.InputException;
import io.opsagent.core.input.text.TextEvidenceReader;
import io.opsagent.core.redact.Redactor;
import io.opsagent.core.runs.Message;
import io.opsagent.core.runs.Page;
import io.opsagent.core.runs.Run;
import io.opsagent.core.runs.RunQuery;
import io.opsagent.core.runs.RunStats;
import io.opsagent.core.runs.RunStatus;
import io.opsagent.core.runs.RunStore;
import io.opsagent.core.runs.Session;
import io.opsagent.core.runs.SessionStore;
import io.opsagent.core.runs.Step;
import io.opsagent.core.tools.SnapshotProvider;
import io.opsagent.core.tools.cluster.ClusterTools;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
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
                "Nothing is persisted yet: the run is kept in memory for this process only; its id and step count "
                        + "are printed on stderr at the end."},
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

    @Option(names = "--context", paramLabel = "K8S_CONTEXT", description = "a kubeconfig context (not supported yet)")
    String context;

    @Option(names = {"-w", "--workload"}, required = true, paramLabel = "NS/NAME",
            description = "namespace/name of the workload (Deployment, StatefulSet, DaemonSet, Job, Service...), "
                    + "or namespace/* for a whole namespace")
    String workload;

    @Option(names = "--max-steps", paramLabel = "N", defaultValue = "10", description = "most model turns (default 10)")
    int maxSteps;

    @Option(names = "--verbose", description = "log each step (with the run id) on stderr")
    boolean verbose;

    @Parameters(arity = "1..*", paramLabel = "QUESTION", description = "the question, e.g. \"why is it failing?\"")
    List<String> question;

    @Override
    public Integer call() throws Exception {
        if (context != null) {
            throw new IllegalArgumentException("live clusters are not supported yet: use --dump or --evidence");
        }
        if ((dump == null) == (evidence == null)) {
            throw new IllegalArgumentException("give exactly one of --dump DIR or --evidence DIR");
        }
        if (maxSteps < 1) throw new IllegalArgumentException("--max-steps must be at least 1, got " + maxSteps);
        String q = String.join(" ", question).strip();
        if (q.isEmpty()) throw new IllegalArgumentException("the question is empty");
        Path dir = dump != null ? dump : evidence;
        if (!Files.isDirectory(dir)) throw new InputException(dir.toString(), "directory does not exist");
        ClusterSnapshot snapshot = dump != null ? new ClusterDumpReader().read(dir) : new TextEvidenceReader().read(dir);
        AGENT_LOG.setLevel(verbose ? java.util.logging.Level.INFO : java.util.logging.Level.WARNING);

        MemoryRunStore runs = new MemoryRunStore();
        ConversationEngine engine = new ConversationEngine(new OfflineAnalyst(), ClusterTools.registry(),
                SnapshotProvider.of(snapshot), runs, new MemorySessionStore(), Redactor.standard(),
                EngineConfig.defaults().withMaxSteps(maxSteps), Clock.systemUTC());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String user = System.getProperty("user.name", "local");
        Run run = engine.askOnce(user, workload, q, "cli", e -> show(e, out, err));
        out.flush();
        err.println("run " + run.id() + ": " + run.status().json() + ", " + run.steps() + " steps, "
                + (run.durationMs() == null ? 0 : run.durationMs()) + " ms (kept in memory only; not persisted)");
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

    /** Runs kept in memory for the life of the process (the DynamoDB store comes separately). */
    static final class MemoryRunStore implements RunStore {
        private final Map<String, Run> runs = new ConcurrentHashMap<>();
        private final Map<String, List<Step>> steps = new ConcurrentHashMap<>();
        private final Map<String, Boolean> cancel = new ConcurrentHashMap<>();

        @Override
        public void create(Run run) {
            runs.put(run.id(), run);
        }

        @Override
        public void update(Run run) {
            runs.put(run.id(), run);
        }

        @Override
        public void addStep(Step step) {
            steps.computeIfAbsent(step.runId(), k -> new ArrayList<>()).add(step);
        }

        @Override
        public Optional<Run> get(String user, String runId) {
            return Optional.ofNullable(runs.get(runId)).filter(r -> r.user().equals(user));
        }

        @Override
        public List<Step> steps(String user, String runId) {
            return get(user, runId).map(r -> List.copyOf(steps.getOrDefault(runId, List.of()))).orElse(List.of());
        }

        @Override
        public Page<Run> list(RunQuery q) {
            return new Page<>(runs.values().stream().filter(r -> r.user().equals(q.user())).limit(q.limit()).toList(), null);
        }

        @Override
        public RunStats stats(RunQuery q) {
            List<Run> mine = runs.values().stream().filter(r -> r.user().equals(q.user())).toList();
            return new RunStats(mine.size(), mine.stream().collect(Collectors.groupingBy(r -> r.status().json(), Collectors.counting())),
                    mine.stream().collect(Collectors.groupingBy(Run::source, Collectors.counting())), null, null,
                    mine.stream().mapToLong(Run::inputTokens).sum(), mine.stream().mapToLong(Run::outputTokens).sum(),
                    mine.stream().mapToDouble(Run::cost).sum());
        }

        @Override
        public boolean requestCancel(String user, String runId) {
            Optional<Run> r = get(user, runId).filter(x -> !x.status().terminal());
            r.ifPresent(x -> cancel.put(runId, true));
            return r.isPresent();
        }

        @Override
        public boolean cancelRequested(String runId) {
            return cancel.containsKey(runId);
        }
    }

    /** Sessions kept in memory for the life of the process. */
    static final class MemorySessionStore implements SessionStore {
        private final Map<String, Session> sessions = new ConcurrentHashMap<>();
        private final Map<String, List<Message>> messages = new ConcurrentHashMap<>();

        @Override
        public void create(Session s) {
            sessions.put(s.id(), s);
        }

        @Override
        public Optional<Session> get(String user, String id) {
            return Optional.ofNullable(sessions.get(id)).filter(s -> s.user().equals(user));
        }

        @Override
        public Page<Session> list(String user, int limit, String cursor) {
            return new Page<>(sessions.values().stream().filter(s -> s.user().equals(user)).limit(limit).toList(), null);
        }

        @Override
        public boolean delete(String user, String id) {
            if (get(user, id).isEmpty()) return false;
            sessions.remove(id);
            messages.remove(id);
            return true;
        }

        @Override
        public void addMessage(String user, Message m) {
            if (get(user, m.sessionId()).isPresent()) {
                messages.computeIfAbsent(m.sessionId(), k -> new ArrayList<>()).add(m);
            }
        }

        @Override
        public List<Message> messages(String user, String id) {
            return get(user, id).map(s -> List.copyOf(messages.getOrDefault(id, List.of()))).orElse(List.of());
        }
    }
}
