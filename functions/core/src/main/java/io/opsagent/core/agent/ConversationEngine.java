package io.opsagent.core.agent;

import io.opsagent.core.agent.model.ChatMessage;
import io.opsagent.core.agent.model.ChatModel;
import io.opsagent.core.agent.model.ChatRequest;
import io.opsagent.core.agent.model.StopReason;
import io.opsagent.core.agent.model.ToolCall;
import io.opsagent.core.agent.model.ToolResultBlock;
import io.opsagent.core.diagnosis.CachingDiagnosis;
import io.opsagent.core.redact.Redactor;
import io.opsagent.core.runs.Message;
import io.opsagent.core.runs.Run;
import io.opsagent.core.runs.RunStatus;
import io.opsagent.core.runs.RunStore;
import io.opsagent.core.runs.Session;
import io.opsagent.core.runs.SessionStore;
import io.opsagent.core.runs.Step;
import io.opsagent.core.runs.StepType;
import io.opsagent.core.tools.SnapshotProvider;
import io.opsagent.core.tools.ToolContext;
import io.opsagent.core.tools.ToolRegistry;
import io.opsagent.core.tools.ToolResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The conversation engine: sessions bound to a workload (or namespace), and for each user message a run of the
 * tool-use loop — model turn → tool calls → results → model turn … — until the model answers, the step limit is
 * reached, the run is cancelled or something fails.
 *
 * <p>Guarantees: every text that reaches the model, the listener or the stores is redacted; tool results are
 * size-capped and tools run with their timeout; every stored step, log line and event carries the run id;
 * cancellation ({@link #cancel}) is honoured at the next step boundary (before a model turn or a tool call); a
 * cancel stored by another process ({@link RunStore#requestCancel}) is seen at the first step boundary at least
 * {@link #CANCEL_POLL} after the run last read or wrote the store. Thread-safe: runs of different sessions may go
 * on concurrently.
 */
public final class ConversationEngine {
    private static final java.util.concurrent.atomic.AtomicInteger THREAD_IDS = new java.util.concurrent.atomic.AtomicInteger();
    /** Model turns stream on these threads so a hung model can be timed out. */
    private static final ExecutorService MODEL_THREADS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "opsagent-model-" + THREAD_IDS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    /**
     * Steps are written in batches: a run that has not been written for this long stores its steps after its
     * next tool calls; a quicker one stores them with its end.
     */
    static final Duration FLUSH_AFTER = Duration.ofSeconds(2);

    /**
     * How often, at most, a run asks the store whether another process requested its cancel (a Lambda API function
     * while the chat function runs the loop). A cancel through this engine ({@link #cancel}) is seen at once, and
     * every write of the run's steps reports a stored cancel anyway; the read only covers the gaps between writes,
     * so a quick run reads nothing.
     */
    static final Duration CANCEL_POLL = Duration.ofSeconds(1);

    /**
     * Runs doing their work at once, per engine (one per process; default: 4 per core, at least 8; {@code opsagent.maxActiveRuns}).
     * Models answer in seconds, so a run mostly waits; the offline analyst and the tools are CPU work, and many
     * more of them at once than cores only slows every one down.
     */
    public static final int MAX_ACTIVE_RUNS = Integer.getInteger("opsagent.maxActiveRuns",
            Math.max(8, 4 * Runtime.getRuntime().availableProcessors()));

    /** Sessions expire this long after their last message. */
    public static final Duration SESSION_TTL = Duration.ofDays(30);

    private final ChatModel model;
    private final ToolRegistry tools;
    /** Where write tools propose changes; null when the cluster cannot be changed. */
    private volatile io.opsagent.core.actions.ActionService actions;
    private volatile io.opsagent.core.changes.ChangeService changes;
    private final SnapshotProvider cluster;
    private final RunStore runs;
    private final SessionStore sessions;
    private final Redactor redactor;
    private final EngineConfig config;
    private final Clock clock;
    private final ContextBuilder context;
    private final CachingDiagnosis diagnosis;
    /** The engine's run slots (a process has one engine; engines in one JVM, as in tests, do not share slots). */
    private final java.util.concurrent.Semaphore runSlots = new java.util.concurrent.Semaphore(MAX_ACTIVE_RUNS, true);
    /** The runs this engine is working on, by run id: {@link #cancel} tells them at once. */
    private final java.util.concurrent.ConcurrentHashMap<String, Loop> live = new java.util.concurrent.ConcurrentHashMap<>();
    /** What every model call reserves against first (null: no budgets). */
    private volatile io.opsagent.core.budget.Budgets budgets;
    /** Who may see and do what (null: no projects). */
    private volatile io.opsagent.core.access.ProjectDirectory projects;

    public ConversationEngine(ChatModel model, ToolRegistry tools, SnapshotProvider cluster, RunStore runs,
                              SessionStore sessions, Redactor redactor, EngineConfig config, Clock clock) {
        this(model, tools, cluster, runs, sessions, redactor, config, clock, CachingDiagnosis.standard());
    }


    /**
     * Who may do what, by project (null: everyone everything, as without projects): a run offers the write tools only
     * to an operator or above in its namespace and the approvals list only to an approver, keeps the approvals and
     * changes lists to its namespace, and refuses a tool call about a namespace the user does not see. Returns this engine.
     */
    public ConversationEngine withProjects(io.opsagent.core.access.Projects p) {
        return withProjects(p == null ? null : io.opsagent.core.access.ProjectDirectory.fixed(p));
    }

    /** As {@link #withProjects(io.opsagent.core.access.Projects)} with projects that change (a store's). */
    public ConversationEngine withProjects(io.opsagent.core.access.ProjectDirectory d) {
        this.projects = d;
        return this;
    }

    /** The projects now (null: none, everyone sees everything). */
    public io.opsagent.core.access.Projects projects() {
        io.opsagent.core.access.ProjectDirectory d = projects;
        return d == null ? null : d.current();
    }

    /** Where projects come from and are changed (null: no projects). */
    public io.opsagent.core.access.ProjectDirectory projectDirectory() {
        return projects;
    }

    /**
     * Budgets every model call reserves against before it is made (null: none): a refused first call records the run
     * as refused and throws {@link io.opsagent.core.budget.BudgetRefused} from {@link #ask} before any event; a refused
     * later call ends the run as refused. Returns this engine.
     */
    public ConversationEngine withBudgets(io.opsagent.core.budget.Budgets b) {
        this.budgets = b;
        return this;
    }

    public io.opsagent.core.budget.Budgets budgets() {
        return budgets;
    }

    /** The tools that propose or submit changes: offered only to a user whose RBAC allows changes there. */
    static final java.util.Set<String> WRITE_TOOLS = java.util.Set.of(io.opsagent.core.tools.ToolNames.PROPOSE_CHANGE,
            io.opsagent.core.tools.ToolNames.PROPOSE_FIX, io.opsagent.core.tools.ToolNames.SUBMIT_CHANGE);

    /** Records a decision in the audit chain when this engine has one (a live cluster); never fails the caller. */
    void audit(String type, String actor, String workload, com.fasterxml.jackson.databind.JsonNode detail) {
        io.opsagent.core.actions.ActionService a = actions;
        if (a == null || a.audit() == null) return;
        try {
            a.audit().append(new io.opsagent.core.actions.AuditRecord.Entry(type, actor, null, workload, null, detail));
        } catch (RuntimeException e) {
            AgentLog.info("audit", type + " not recorded: " + e);
        }
    }

    /** Tool definitions and the system prompt's frame, in tokens, added to what a turn's text is estimated at. */
    static final int TURN_OVERHEAD_TOKENS = 2_000;

    /** The most a turn over {@code chars} characters of prompt can use: about 4 characters a token, plus its output limit. */
    long turnTokens(long chars) {
        return (chars + 3) / 4 + TURN_OVERHEAD_TOKENS + config.maxTokens();
    }

    /** What a turn of at most {@code tokens} (its output limit among them) can cost, by the price table. */
    private double turnCost(long tokens) {
        return config.prices().cost(model.id(), tokens - config.maxTokens(), config.maxTokens());
    }

    /** The change chain the approvals and changes tools use (null: none). Returns this engine. */
    public ConversationEngine withChanges(io.opsagent.core.changes.ChangeService c) {
        this.changes = c;
        return this;
    }

    /**
     * Gives the write tools ({@code propose_change}, {@code propose_fix}) the service they propose through; their
     * proposals wait for a human's approval. Returns this engine.
     */
    public ConversationEngine withActions(io.opsagent.core.actions.ActionService a) {
        this.actions = a;
        return this;
    }

    /**
     * @param diagnosis the one diagnosis of this engine: its system prompts, its tools' {@code diagnose} calls (through
     *                  their {@link ToolContext}) and whoever else asks {@link #diagnosis()} share its cache
     */
    public ConversationEngine(ChatModel model, ToolRegistry tools, SnapshotProvider cluster, RunStore runs,
                              SessionStore sessions, Redactor redactor, EngineConfig config, Clock clock,
                              CachingDiagnosis diagnosis) {
        this.model = Objects.requireNonNull(model, "model");
        this.tools = Objects.requireNonNull(tools, "tools");
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.runs = Objects.requireNonNull(runs, "runs");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.redactor = Objects.requireNonNull(redactor, "redactor");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.diagnosis = Objects.requireNonNull(diagnosis, "diagnosis");
        this.context = new ContextBuilder(diagnosis, redactor);
    }

    /** The engine's diagnosis (one cache per snapshot, shared with its tools). */
    /** The names of the tools this engine's agent is offered. */
    public java.util.List<String> toolNames() {
        return tools.names();
    }

    public CachingDiagnosis diagnosis() {
        return diagnosis;
    }

    public String modelId() {
        return model.id();
    }

    /**
     * Opens a session on {@code workload} ({@code ns/name} or {@code ns/*}).
     *
     * @throws IllegalArgumentException if the workload is malformed or not in the cluster (the message lists
     *                                  what is there)
     */
    public Session openSession(String user, String workload) {
        return openSession(user, List.of(), workload);
    }

    /** As {@link #openSession(String, String)}, the workload checked as {@code user} with their token's {@code groups}. */
    public Session openSession(String user, java.util.Collection<String> groups, String workload) {
        Scope scope = Scope.parse(workload);
        ContextBuilder.validate(cluster.forUser(user, groups).snapshot(), scope);
        Instant now = clock.instant();
        Session s = new Session(UUID.randomUUID().toString(), user, scope.toString(), scope.toString(), now, now,
                now.plus(SESSION_TTL));
        sessions.create(s);
        return s;
    }

    /**
     * Asks for the run's cancel: stores the request (so any process working on the run sees it) and, when this
     * engine is the one working on it, tells its loop at once. False if the run is not the user's or not running.
     */
    public boolean cancel(String user, String runId) {
        if (!runs.requestCancel(user, runId)) return false;
        Loop l = live.get(runId);
        if (l != null) l.cancelSignal = true;
        return true;
    }

    /** Opens a session and answers one question in it (the command line's way). */
    public Run askOnce(String user, String workload, String question, String source, AgentListener listener) {
        Session s = openSession(user, workload);
        return ask(new AskRequest(user, s.id(), question, source), listener);
    }

    /**
     * Answers one user message: creates the run, goes through the tool-use loop, stores every step, appends the
     * question and the answer to the session, and returns the finished run. Never throws for model or tool
     * failures (the run ends failed, with an {@link AgentEvent.Error}); throws IllegalArgumentException if the
     * session is not the user's.
     */
    public Run ask(AskRequest req, AgentListener listener) {
        return ask(req, sessions.history(req.user(), req.sessionId()).orElseThrow(() ->
                new IllegalArgumentException("no session " + req.sessionId() + " for user " + req.user())), listener);
    }

    /**
     * {@link #ask(AskRequest, AgentListener)} for a caller that has just read the session and its messages (the
     * chat route, which answers 404 before it opens a stream): one read of the session, not two.
     *
     * @throws IllegalArgumentException if {@code h} is not the session of the request
     */
    public Run ask(AskRequest req, SessionStore.History h, AgentListener listener) {
        return ask(req, h, listener, reserve(req, h));
    }

    /**
     * A request's run id and the budget reservation of its first model call, made before anything is streamed (the
     * chat route answers a refusal with HTTP 429 before it opens its stream).
     */
    public record Reservation(String runId, Instant started, io.opsagent.core.budget.Budgets.Hold hold,
                              io.opsagent.core.budget.Budgets.Slots slots) {
        public Reservation(String runId, Instant started, io.opsagent.core.budget.Budgets.Hold hold) {
            this(runId, started, hold, null);
        }
    }

    /**
     * Reserves the first model call of {@code req} against the user's budgets (nothing to reserve without budgets).
     *
     * @throws io.opsagent.core.budget.BudgetRefused after recording the run as refused (its id in the exception)
     */
    public Reservation reserve(AskRequest req, SessionStore.History h) {
        if (!h.session().id().equals(req.sessionId()) || !h.session().user().equals(req.user())) {
            throw new IllegalArgumentException("no session " + req.sessionId() + " for user " + req.user());
        }
        String runId = UUID.randomUUID().toString();
        Instant started = clock.instant();
        io.opsagent.core.budget.Budgets b = budgets;
        if (b == null) return new Reservation(runId, started, null);
        String question = redactor.redact(req.text().strip());
        long chars = question.length() + config.contextBudget();
        for (Message m : h.messages()) chars += m.text() == null ? 0 : m.text().length();
        long tokens = turnTokens(chars);
        io.opsagent.core.budget.Budgets.Slots slots = null;
        try {
            // a run slot (concurrent runs), then the request rate and the first turn's reservation in one step
            // the user's budgets and those of the projects covering the session's namespace
            String ns = Scope.parse(h.session().workload()).namespace();
            slots = b.acquire(req.user(), ns, runId);
            return new Reservation(runId, started, b.admitAndReserve(req.user(), ns, tokens,
                    turnCost(tokens)), slots);
        } catch (io.opsagent.core.budget.BudgetRefused refused) {
            b.release(slots);
            Session session = h.session();
            Run r = new Run(runId, req.user(), clip(question, 500), req.source(), req.user(), session.id(),
                    session.workload(), model.id(), RunStatus.REFUSED, null, 0, 0, 0, 0, started, clock.instant(),
                    refused.getMessage()).ownedBy(config.owner(), started);
            runs.create(r);
            AgentLog.info(runId, "refused: " + refused.getMessage());
            audit("budget-refused", req.user(), session.workload(), io.opsagent.core.actions.AuditRecord.detail(
                    "run", runId, "budget", refused.scope(), "kind", refused.kind(), "limit", refused.limit(), "used", refused.used()));
            throw refused.withRun(runId);
        }
    }

    /** {@link #ask(AskRequest, SessionStore.History, AgentListener)} with its first model call reserved already. */
    public Run ask(AskRequest req, SessionStore.History h, AgentListener listener, Reservation reserved) {
        if (!h.session().id().equals(req.sessionId()) || !h.session().user().equals(req.user())) {
            throw new IllegalArgumentException("no session " + req.sessionId() + " for user " + req.user());
        }
        Session session = h.session();
        Scope scope = Scope.parse(session.workload());
        List<Message> history = h.messages();
        String question = redactor.redact(req.text().strip());
        String runId = reserved.runId();
        Instant started = reserved.started();
        Run run = new Run(runId, req.user(), clip(question, 500), req.source(), req.user(), session.id(),
                session.workload(), model.id(), RunStatus.RUNNING, null, 0, 0, 0, 0, started, null, null)
                .ownedBy(config.owner(), started);
        io.opsagent.core.budget.Budgets.Hold first = reserved.hold();
        io.opsagent.core.budget.Budgets.Slots slots = reserved.slots();
        // the run and the question in one write where the stores allow
        runs.start(run, sessions, new Message(session.id(), history.size() + 1, "user", question, runId, started));
        AgentLog.info(runId, "started session=" + session.id() + " workload=" + session.workload() + " model=" + model.id());
        Loop loop = new Loop(run, scope, safe(runId, listener), req.groups());
        loop.hold = first;
        live.put(runId, loop);
        Run done;
        try {
            loop.listener.on(new AgentEvent.RunStarted(runId, session.id(), session.workload(), model.id()));
            done = loop.goWhenASlotIsFree(history, question);
        } finally {
            live.remove(runId);
            // a reservation no model call used (cancelled or failed before its first turn) is given back
            io.opsagent.core.budget.Budgets b2 = budgets;
            if (b2 != null && loop.hold != null) b2.settle(loop.hold, 0, 0);
            if (b2 != null) b2.release(slots); // the run's slot, for the user's next run
            // the turns' settlements are in before the run's end is stored (a budget read then is exact)
            for (var f : loop.settling) {
                try {
                    f.get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    AgentLog.info(runId, "a budget settlement did not finish: " + e);
                }
            }
        }
        if (loop.endedElsewhere) {
            // a shutdown or a reaper ended the run and told its client: keep what they stored
            return runs.get(req.user(), runId).orElse(done);
        }
        // the last steps, the answer and the run's end are stored together (or in that order: a crash in between
        // leaves a running run, ended as failed at the next start, never a completed run whose session lacks its
        // answer)
        Message answer = done.finalAnswer() != null
                && (done.status() == RunStatus.COMPLETED || done.status() == RunStatus.MAX_STEPS)
                ? new Message(session.id(), history.size() + 2, "assistant", done.finalAnswer(), runId, done.completed())
                : null;
        if (!runs.finish(done, loop.pending, sessions, answer)) {
            AgentLog.warn(runId, "the run was ended elsewhere before its own end was stored");
            return runs.get(req.user(), runId).orElse(done);
        }
        AgentLog.info(runId, "finished status=" + done.status().json() + " steps=" + done.steps() + " tokens="
                + done.inputTokens() + "/" + done.outputTokens() + (done.error() == null ? "" : " error=" + done.error()));
        // only now, with everything stored, does the client hear that the run is over
        loop.listener.on(new AgentEvent.RunFinished(runId, done.status().json(), done.finalAnswer(), done.steps(),
                done.inputTokens(), done.outputTokens(), done.cost(), done.durationMs() == null ? 0 : done.durationMs()));
        return done;
    }

    /** Thrown inside a run's loop when its stored run was ended by someone else (a shutdown, a reaper). */
    private static final class EndedElsewhere extends RuntimeException {
        EndedElsewhere() {
            super(null, null, false, false);
        }
    }

    /** One run of the loop; holds its counters. */
    private final class Loop {
        private final Scope scope;
        private final AgentListener listener;
        private final ToolContext toolContext;
        private Run run;
        private int steps;
        private long in;
        private long out;
        /** True once a write found the run no longer running: a shutdown or a reaper ended it. */
        boolean endedElsewhere;
        /** True once a step's write or a read reported a cancel request. */
        private boolean cancelSeen;
        /** Set by {@link ConversationEngine#cancel} (another thread). */
        volatile boolean cancelSignal;
        /** When the run last wrote or read the store (its cancel flag comes with every write). */
        private Instant lastContact;
        /** The steps not stored yet: the current turn's, or the last ones, stored with the run's end. */
        final List<Step> pending = new ArrayList<>();
        /** When the run was last written (its start, then each {@link #flush}). */
        private Instant lastWrite;
        /** The budget reservation of the next model call (the first is made before the run starts), or null. */
        io.opsagent.core.budget.Budgets.Hold hold;
        /** Settlements of this run's turns still being written. */
        final List<java.util.concurrent.CompletableFuture<Void>> settling = new ArrayList<>();

        /** The user's verified groups: their project roles count too. */
        private final List<String> groups;

        Loop(Run run, Scope scope, AgentListener listener, List<String> groups) {
            this.groups = groups == null ? List.of() : groups;
            this.run = run;
            this.lastWrite = run.started();
            this.lastContact = run.started();
            this.scope = scope;
            this.listener = listener;
            // the user's view with their token's groups (mapped): the same view for every tool of the run
            this.toolContext = new ToolContext(run.id(), run.user(), scope.namespace(), scope.name(),
                    cluster.forUser(run.user(), this.groups), diagnosis,
                    scope.kind(), actions, run.sessionId(), changes);
            // the write tools only for a user whose RBAC lets them change something here (SelfSubjectRulesReview)
            if (actions != null && !toolContext.cluster().mayChange(scope.namespace())) hidden.addAll(WRITE_TOOLS);
            io.opsagent.core.access.Projects p = projects();
            if (p != null) {
                io.opsagent.core.access.Role role = p.role(run.user(), groups, scope.namespace());
                if (role == null || !role.atLeast(io.opsagent.core.access.Role.OPERATOR)) hidden.addAll(WRITE_TOOLS);
                // approvals for approvers only; they and the changes list read the session's namespace only (runTool
                // never lets them list every namespace); a change is cancelled on the Changes page, not by the agent
                if (role == null || !role.atLeast(io.opsagent.core.access.Role.APPROVER)) {
                    hidden.add(io.opsagent.core.tools.ToolNames.LIST_APPROVALS);
                }
                hidden.add(io.opsagent.core.tools.ToolNames.CANCEL_CHANGE);
            }
            java.util.List<String> filtered = tools.names().stream().filter(hidden::contains).sorted().toList();
            if (!filtered.isEmpty()) {
                audit("tools-filtered", run.user(), run.workload(), io.opsagent.core.actions.AuditRecord.detail("run", run.id(),
                        "namespace", scope.namespace(), "tools", String.join(",", filtered)));
            }
        }

        /** Lists that could span every namespace: with projects, the session's only. */
        private static final java.util.Set<String> SCOPED_LISTS = java.util.Set.of(io.opsagent.core.tools.ToolNames.LIST_APPROVALS,
                io.opsagent.core.tools.ToolNames.LIST_CHANGES);

        /** Tools not offered in this run, and why. */
        final java.util.Set<String> hidden = new java.util.HashSet<>();

        /** The tool definitions offered to the model in this run. */
        List<io.opsagent.core.agent.model.ToolDefinition> offered() {
            return hidden.isEmpty() ? tools.definitions()
                    : tools.definitions().stream().filter(d -> !hidden.contains(d.name())).toList();
        }

        /**
         * Runs the loop once one of the engine's run slots is free: the run is stored and its client told
         * ({@code run} event) at once, however busy the engine is; the work itself runs at most
         * {@link #MAX_ACTIVE_RUNS} at a time, so under load runs queue instead of all slowing each other down.
         */
        Run goWhenASlotIsFree(List<Message> history, String question) {
            try {
                runSlots.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return fail("interrupted while waiting to start", "");
            }
            try {
                lastWrite = clock.instant(); // the wait for a slot is not the run's work: FLUSH_AFTER counts from here
                return go(history, question);
            } finally {
                runSlots.release();
            }
        }

        Run go(List<Message> history, String question) {
            try {
                return loop(history, question);
            } catch (EndedElsewhere e) {
                endedElsewhere = true;
                AgentLog.info(run.id(), "stopping: the run was ended elsewhere (server shutdown or reaper)");
                return run;
            } catch (RuntimeException e) {
                AgentLog.warn(run.id(), "engine error: " + e);
                return fail("internal error: " + (e.getMessage() == null ? e.toString() : e.getMessage()), "");
            }
        }

        private Run loop(List<Message> history, String question) {
            String system = context.systemPrompt(toolContext, scope, tools, redactor, config.contextBudget());
            List<ChatMessage> messages = new ArrayList<>();
            for (Message m : history) {
                messages.add("assistant".equals(m.role()) ? ChatMessage.assistant(m.text(), List.of())
                        : ChatMessage.user(m.text()));
            }
            messages.add(ChatMessage.user(question));
            StringBuilder said = new StringBuilder();
            for (int turn = 1; ; turn++) {
                if (cancelled()) return finish(RunStatus.CANCELLED, textOrNull(said), null);
                ChatRequest request = new ChatRequest(system, messages, offered(), config.maxTokens(),
                        config.temperature(), run.id());
                io.opsagent.core.budget.Budgets b = budgets;
                io.opsagent.core.budget.Budgets.Hold held = hold;
                hold = null;
                if (b != null && held == null) {
                    long chars = system.length();
                    for (ChatMessage m : messages) chars += m.toString().length();
                    long tokens = turnTokens(chars);
                    try {
                        held = b.reserve(run.user(), scope.namespace(), tokens, turnCost(tokens));
                    } catch (io.opsagent.core.budget.BudgetRefused refused) {
                        AgentLog.info(run.id(), "refused at turn " + turn + ": " + refused.getMessage());
                        String so = textOrNull(said);
                        return finish(RunStatus.REFUSED, so, refused.getMessage());
                    }
                }
                Instant t0 = clock.instant();
                TurnCollector c = new TurnCollector(redactor.lines(),
                        delta -> listener.on(new AgentEvent.TextDelta(run.id(), delta)));
                String modelError = streamTurn(request, c);
                c.flush();
                if (b != null) {
                    // settled beside the next turn; joined before the run's end is stored
                    settling.add(b.settleLater(held, c.inputTokens + c.outputTokens,
                            config.prices().cost(model.id(), c.inputTokens, c.outputTokens)));
                }
                if (modelError == null && c.stop == null) {
                    modelError = "model " + model.id() + " ended its turn without a stop reason";
                }
                if (modelError == null && c.stop == StopReason.ERROR) {
                    modelError = "model " + model.id() + " failed: " + (c.error == null ? "no reason given" : redactor.redact(c.error));
                }
                String text = c.text();
                said.append(text);
                in += c.inputTokens;
                out += c.outputTokens;
                long ms = Duration.between(t0, clock.instant()).toMillis();
                // a turn's steps are stored together: a turn with tool calls with its calls' steps once they ran,
                // the final turn and the response with the run's end (ask → finish)
                addStep(StepType.MODEL_TURN, null, redactor.redact(callsJson(c.calls)), null, text,
                        modelError, t0, ms, c.inputTokens, c.outputTokens);
                AgentLog.info(run.id(), "model turn " + turn + " stop=" + (c.stop == null ? "none" : c.stop.json())
                        + " tools=" + c.calls.size() + " " + ms + "ms");
                if (modelError != null) return fail(modelError, said.toString());
                if (c.calls.isEmpty()) {
                    // the answer is the last turn's text; what the model said before tool calls was streamed
                    String answer = (text.isBlank() ? said.toString() : text).strip();
                    if (c.stop == StopReason.MAX_TOKENS) answer += "\n\n_(answer cut: the model reached its output limit)_";
                    addStep(StepType.RESPONSE, null, null, null, answer, null, clock.instant(), 0, 0, 0);
                    return finish(RunStatus.COMPLETED, answer, null);
                }
                messages.add(ChatMessage.assistant(text, c.calls));
                List<ToolResultBlock> results = new ArrayList<>();
                for (ToolCall call : c.calls) {
                    if (cancelled()) return finish(RunStatus.CANCELLED, textOrNull(said), null);
                    results.add(runTool(call));
                    // a quick run keeps its steps for its end (one write); a slow one stores them after the call
                    // that made it slow, so its heartbeat is never older than one model turn or one tool call
                    // plus FLUSH_AFTER (the reaper's staleAfter in Lambda is a model timeout plus a minute)
                    if (Duration.between(lastWrite, clock.instant()).compareTo(FLUSH_AFTER) > 0) flush();
                }
                messages.add(ChatMessage.toolResults(results));
                if (turn >= config.maxSteps()) {
                    String answer = (said.toString().strip() + "\n\n_Stopped after " + config.maxSteps()
                            + " model turns (the step limit) before a final answer._").strip();
                    return finish(RunStatus.MAX_STEPS, answer, null);
                }
            }
        }

        /** Streams one model turn with the model timeout; returns an error message, or null. */
        private String streamTurn(ChatRequest request, TurnCollector c) {
            Future<?> f = MODEL_THREADS.submit(() -> model.stream(request, c));
            try {
                f.get(config.modelTimeout().toMillis(), TimeUnit.MILLISECONDS);
                return null;
            } catch (TimeoutException e) {
                c.close(); // before the interrupt: whatever the model emits once woken must not count
                f.cancel(true);
                return "model " + model.id() + " did not finish its turn within " + config.modelTimeout().toMillis() + " ms";
            } catch (ExecutionException e) {
                Throwable t = e.getCause() == null ? e : e.getCause();
                return "model " + model.id() + " failed: " + (t.getMessage() == null ? t.toString() : t.getMessage());
            } catch (InterruptedException e) {
                c.close();
                f.cancel(true);
                Thread.currentThread().interrupt();
                return "interrupted while waiting for model " + model.id();
            }
        }

        private ToolResultBlock runTool(ToolCall requested) {
            io.opsagent.core.access.Projects p = projects();
            ToolCall call = requested;
            if (p != null && SCOPED_LISTS.contains(call.name()) && call.arguments().path("all").asBoolean(false)) {
                // where projects divide the cluster, these lists read the session's namespace, never every namespace
                com.fasterxml.jackson.databind.node.ObjectNode own = call.arguments().deepCopy();
                own.put("all", false);
                call = new ToolCall(call.id(), call.name(), own);
            }
            String args = redactor.redact(call.arguments().toString());
            int step = steps + 1;
            listener.on(new AgentEvent.ToolStarted(run.id(), step, call.id(), call.name(), args));
            Instant t0 = clock.instant();
            // checked again when called: a tool not offered to this user is never run, whatever the model asks
            String asked = call.arguments().path("namespace").asText("").strip();
            ToolResult r = hidden.contains(call.name())
                    ? ToolResult.error("tool " + call.name() + " is not offered to " + run.user() + " here: their role or their RBAC"
                    + " lets them change nothing in namespace " + scope.namespace() + "; read tools only")
                    // the run's own namespace was admitted when it started (a chat by the caller's role, an alert's
                    // investigation by its episode): any other must be one of the user's projects'
                    : p != null && !asked.isEmpty() && !asked.equals(scope.namespace()) && !p.sees(run.user(), groups, asked)
                    // the same answer whether the namespace exists or not: nothing leaks about other projects
                    ? ToolResult.error("namespace '" + asked + "' is not one " + run.user() + " may read")
                    : tools.execute(call, toolContext, redactor);
            long ms = Duration.between(t0, clock.instant()).toMillis();
            addStep(StepType.TOOL_CALL, call.name(), args, r.text(), null, r.error() ? r.text() : null, t0, ms, 0, 0);
            AgentLog.info(run.id(), "tool " + call.name() + " step=" + step + " " + (r.error() ? "error" : "ok")
                    + " " + ms + "ms: " + r.summary());
            listener.on(new AgentEvent.ToolFinished(run.id(), step, call.id(), call.name(), r.summary(), r.error(),
                    r.citations(), ms));
            return new ToolResultBlock(call.id(), call.name(), r.text(), r.error(), r.data(), r.citations());
        }

        /**
         * True once a cancel was requested: through this engine (at once), or stored by another process. Every
         * batch's write reports a stored one ({@link RunStore#record}); between writes the store is asked (a read)
         * at most once per {@link #CANCEL_POLL}.
         */
        private boolean cancelled() {
            boolean c = cancelSeen || cancelSignal || (pollDue() && readCancel());
            cancelSeen = c;
            if (c) AgentLog.info(run.id(), "cancel requested: stopping at step boundary");
            return c;
        }

        /**
         * Adds a step to the turn's batch (with the run's progress); {@link #flush} stores the batch in one write,
         * and a run's end stores what is left with its answer and final status ({@link RunStore#finish}).
         */
        private void addStep(StepType type, String tool, String args, String result, String text, String error,
                             Instant started, long ms, long inTok, long outTok) {
            steps++;
            pending.add(new Step(run.id(), steps, type, tool, args, result, text, error, started, ms, inTok, outTok));
            run = run.withProgress(steps, in, out, cost()).beating(clock.instant());
        }

        private boolean pollDue() {
            return Duration.between(lastContact, clock.instant()).compareTo(CANCEL_POLL) >= 0;
        }

        private boolean readCancel() {
            lastContact = clock.instant();
            return runs.cancelRequested(run.id());
        }

        /** Stores the batch of steps with the run's progress; learns of a cancel or of an end elsewhere. */
        private void flush() {
            if (pending.isEmpty()) return;
            RunStore.RunWrite w = runs.record(List.copyOf(pending), run);
            pending.clear();
            lastWrite = clock.instant();
            lastContact = lastWrite;
            switch (w) {
                case NOT_RUNNING -> throw new EndedElsewhere();
                case CANCEL_REQUESTED -> cancelSeen = true;
                case WRITTEN -> { }
            }
        }

        private double cost() {
            return config.prices().cost(model.id(), in, out);
        }

        private Run fail(String message, String said) {
            String msg = redactor.redact(message);
            listener.on(new AgentEvent.Error(run.id(), msg));
            return finish(RunStatus.FAILED, said == null || said.isBlank() ? null : said.strip(), msg);
        }

        /** The run as it ends; {@link #ask} stores it (after the answer) and announces it. */
        private Run finish(RunStatus status, String answer, String error) {
            Instant done = clock.instant();
            run = run.withProgress(steps, in, out, cost()).withStatus(status, answer, done, error).beating(done);
            return run;
        }
    }

    /**
     * A listener that cannot break the run: if the client's listener throws (e.g. the stream was closed), the run
     * goes on and is stored; the failure is logged once.
     */
    private static AgentListener safe(String runId, AgentListener l) {
        java.util.concurrent.atomic.AtomicBoolean warned = new java.util.concurrent.atomic.AtomicBoolean();
        return e -> {
            try {
                l.on(e);
            } catch (RuntimeException ex) {
                if (warned.compareAndSet(false, true)) AgentLog.warn(runId, "listener failed, run goes on: " + ex);
            }
        };
    }

    private static String textOrNull(StringBuilder sb) {
        return sb.toString().isBlank() ? null : sb.toString().strip();
    }

    private static String callsJson(List<ToolCall> calls) {
        if (calls.isEmpty()) return null;
        StringBuilder sb = new StringBuilder("[");
        for (ToolCall c : calls) {
            if (sb.length() > 1) sb.append(',');
            sb.append("{\"name\":\"").append(c.name()).append("\",\"arguments\":").append(c.arguments()).append('}');
        }
        return sb.append(']').toString();
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
