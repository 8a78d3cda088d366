package io.opsagent.app.config;

import io.opsagent.core.agent.ConversationEngine;
import io.opsagent.core.agent.EngineConfig;
import io.opsagent.core.agent.model.ChatModel;
import io.opsagent.core.diagnosis.CachingDiagnosis;
import io.opsagent.core.redact.Redactor;
import io.opsagent.core.runs.RunStore;
import io.opsagent.core.runs.SessionStore;
import io.opsagent.core.tools.SnapshotProvider;
import io.opsagent.core.tools.cluster.ClusterTools;
import java.time.Clock;

/**
 * The one place that assembles the agent from {@link Settings}: the engine's settings and the conversation engine
 * with the read tools, one diagnosis (one cache: the prompts, the {@code diagnose} tool and the workloads API read
 * it through {@link ConversationEngine#diagnosis()}) and the redactor. The command line
 * ({@code ask}, {@code up}), the local server and both Lambda functions build their engine here.
 */
public final class Assembly {
    /** Most model turns per run, unless {@link Setting#MAX_STEPS} says otherwise. */
    public static final int DEFAULT_MAX_STEPS = EngineConfig.DEFAULT_MAX_STEPS;

    private Assembly() {
    }

    /**
     * The engine's settings: {@link Setting#MAX_STEPS} (1..100), {@link Setting#MAX_TOKENS} (1..200,000),
     * {@link Setting#TEMPERATURE} (0..1), and the model's price table. The model adapters take the output limit and
     * temperature from each request, so these are the only ones in force.
     *
     * @throws IllegalArgumentException naming the setting and the bad value
     */
    public static EngineConfig engineConfig(Settings s, ChatModel model) {
        EngineConfig c = EngineConfig.defaults()
                .withMaxSteps(s.integer(Setting.MAX_STEPS, DEFAULT_MAX_STEPS, 1, 100))
                .withPrices(Models.prices(model));
        if (s.isSet(Setting.MAX_TOKENS)) c = c.withMaxTokens(s.integer(Setting.MAX_TOKENS, c.maxTokens(), 1, 200_000));
        if (s.isSet(Setting.TEMPERATURE)) c = c.withTemperature(temperature(s));
        return c;
    }

    /** The conversation engine over {@code cluster} with every read tool. */
    public static ConversationEngine engine(ChatModel model, SnapshotProvider cluster, RunStore runs,
                                            SessionStore sessions, EngineConfig config) {
        return engine(model, cluster, runs, sessions, config, null);
    }

    /**
     * The conversation engine over {@code cluster} with every read tool, and with {@code actions} (a live cluster)
     * the write tools too, which only propose changes for a human to approve.
     */
    public static ConversationEngine engine(ChatModel model, SnapshotProvider cluster, RunStore runs,
                                            SessionStore sessions, EngineConfig config,
                                            io.opsagent.core.actions.ActionService actions) {
        return engine(model, cluster, runs, sessions, config, actions, null);
    }

    /**
     * As above, with the change chain: the approvals and changes tools ({@code list_approvals}, {@code list_changes},
     * {@code cancel_change}) when {@code changes} is not null, and the chain's investigations of failed changes
     * ({@link EngineInvestigator}) run by this engine.
     */
    public static ConversationEngine engine(ChatModel model, SnapshotProvider cluster, RunStore runs,
                                            SessionStore sessions, EngineConfig config,
                                            io.opsagent.core.actions.ActionService actions,
                                            io.opsagent.core.changes.ChangeService changes) {
        java.util.List<io.opsagent.core.tools.Tool> tools = new java.util.ArrayList<>(ClusterTools.all());
        tools.addAll(ClusterTools.metrics(cluster.metrics(), Clock.systemUTC())); // none without a metrics source
        if (actions != null) tools.addAll(io.opsagent.core.tools.actions.ActionTools.all());
        if (actions != null && changes != null) tools.addAll(io.opsagent.core.tools.changes.ChangeTools.all());
        ConversationEngine engine = new ConversationEngine(model, new io.opsagent.core.tools.ToolRegistry(tools), cluster,
                runs, sessions, Redactor.standard(), config, Clock.systemUTC(), CachingDiagnosis.standard())
                .withActions(actions).withChanges(changes);
        // a change that fails its analysis (or is escalated) opens an investigation run through this same engine
        if (changes != null) changes.investigator(new EngineInvestigator(engine));
        return engine;
    }

    /** The per-user daily token budget ({@link Setting#BUDGET_TOKENS_PER_DAY}, 0..10^12; 0: none). */
    public static long budgetTokens(Settings s) {
        if (!s.isSet(Setting.BUDGET_TOKENS_PER_DAY)) return 0;
        String v = s.get(Setting.BUDGET_TOKENS_PER_DAY).orElse("0").strip();
        try {
            long n = Long.parseLong(v);
            if (n < 0 || n > 1_000_000_000_000L) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw s.bad(Setting.BUDGET_TOKENS_PER_DAY, "expected a whole number of tokens, 0 (no limit) to 1000000000000");
        }
    }

    /**
     * The projects of {@link Setting#PROJECTS_FILE} (YAML or JSON), or null when it is unset or {@code none} (no
     * projects). {@code ./opsagent up} puts {@link io.opsagent.core.access.Projects#localDefault()} in place of unset.
     *
     * @throws IllegalArgumentException naming the setting, the file and the field at fault
     */
    public static io.opsagent.core.access.Projects projects(Settings s) {
        String file = s.get(Setting.PROJECTS_FILE).map(String::strip).filter(f -> !f.isEmpty()).orElse(null);
        if (file == null || file.equals("none")) return null;
        return projectsFile(s, file);
    }

    /** Whether projects are off ({@link Setting#PROJECTS_FILE} is {@code none}): everyone sees every namespace. */
    public static boolean projectsOff(Settings s) {
        return s.get(Setting.PROJECTS_FILE).map(String::strip).filter("none"::equals).isPresent();
    }

    /**
     * The projects declared by settings (read-only through the API): the file's, and with {@link
     * Setting#PROJECT_ADMIN_GROUP} a project {@code admins} of every namespace that group administers. Null: none.
     */
    public static io.opsagent.core.access.Projects declaredProjects(Settings s) {
        if (projectsOff(s)) return null;
        io.opsagent.core.access.Projects file = projects(s);
        String group = s.get(Setting.PROJECT_ADMIN_GROUP).map(String::strip).filter(g -> !g.isEmpty()).orElse(null);
        if (group == null) return file;
        if (!io.opsagent.core.access.Projects.memberName(group)) {
            throw s.bad(Setting.PROJECT_ADMIN_GROUP, "'" + group + "' is not a group name (1 to 128 characters, no spaces)");
        }
        java.util.List<io.opsagent.core.access.Project> all = new java.util.ArrayList<>(file == null ? java.util.List.of() : file.all());
        if (all.stream().anyMatch(p -> p.name().equals("admins"))) {
            throw s.bad(Setting.PROJECT_ADMIN_GROUP, "the projects file declares a project 'admins' already: that name is the admin group's");
        }
        all.add(0, new io.opsagent.core.access.Project("admins", java.util.List.of("*"), java.util.Map.of(),
                java.util.Map.of(group, io.opsagent.core.access.Role.ADMIN)));
        return new io.opsagent.core.access.Projects(all);
    }

    private static io.opsagent.core.access.Projects projectsFile(Settings s, String file) {
        java.nio.file.Path path = java.nio.file.Path.of(file);
        com.fasterxml.jackson.databind.JsonNode root;
        try {
            String text = java.nio.file.Files.readString(path);
            boolean yaml = file.endsWith(".yaml") || file.endsWith(".yml");
            root = (yaml ? new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                    : new com.fasterxml.jackson.databind.ObjectMapper()).readTree(text);
        } catch (java.io.IOException e) {
            throw s.bad(Setting.PROJECTS_FILE, "cannot read " + file + " (" + e.getClass().getSimpleName() + ": "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")");
        }
        try {
            return io.opsagent.core.access.Projects.read(root);
        } catch (IllegalArgumentException e) {
            throw s.bad(Setting.PROJECTS_FILE, file + ": " + e.getMessage());
        }
    }

    /**
     * The budgets of model use: per user (0: no limit of that kind) and, where projects are on, the budgets their admins
     * give projects (each caps all use in its namespaces). Null when there can be none.
     */
    public static io.opsagent.core.budget.Budgets budgets(io.opsagent.core.budget.BudgetStore store, long tokensPerDay,
                                                          double usdPerDay, int requestsPerMinute, int concurrentRuns,
                                                          io.opsagent.core.access.ProjectDirectory projects) {
        boolean perUser = tokensPerDay > 0 || usdPerDay > 0 || requestsPerMinute > 0 || concurrentRuns > 0;
        if (!perUser && projects == null) return null;
        return io.opsagent.core.budget.Budgets.perUser(store, tokensPerDay, usdPerDay, requestsPerMinute, concurrentRuns,
                java.time.Clock.systemUTC()).withNamespaceBudgets(projects == null ? null : ns -> projects.current().budgetsOf(ns));
    }

    /** The per-user request rate ({@link Setting#BUDGET_REQUESTS_PER_MINUTE}, 0..100,000; 0: none). */
    public static int budgetRequestsPerMinute(Settings s) {
        return s.isSet(Setting.BUDGET_REQUESTS_PER_MINUTE) ? s.integer(Setting.BUDGET_REQUESTS_PER_MINUTE, 0, 0, 100_000) : 0;
    }

    /** The per-user limit of runs going on at once ({@link Setting#BUDGET_CONCURRENT_RUNS}, 0..1,000; 0: none). */
    public static int budgetConcurrentRuns(Settings s) {
        return s.isSet(Setting.BUDGET_CONCURRENT_RUNS) ? s.integer(Setting.BUDGET_CONCURRENT_RUNS, 0, 0, 1_000) : 0;
    }

    /** The per-user daily cost budget in US dollars ({@link Setting#BUDGET_USD_PER_DAY}, 0..100,000; 0: none). */
    public static double budgetUsd(Settings s) {
        if (!s.isSet(Setting.BUDGET_USD_PER_DAY)) return 0;
        String v = s.get(Setting.BUDGET_USD_PER_DAY).orElse("0").strip();
        try {
            double d = Double.parseDouble(v);
            if (!(d >= 0 && d <= 100_000)) throw new NumberFormatException();
            return d;
        } catch (NumberFormatException e) {
            throw s.bad(Setting.BUDGET_USD_PER_DAY, "expected US dollars, 0 (no limit) to 100000, e.g. 2.50");
        }
    }

    /**
     * Who is told of approvals waiting, changes that end and alerts investigated: {@link Setting#SLACK_WEBHOOK_URL} (an
     * incoming webhook), {@link Setting#SLACK_WEBHOOKS} (one per namespace; the others go to the first) and
     * {@link Setting#SNS_TOPIC_ARN} (its region from {@link AwsSettings#region}, its endpoint the SDK's, e.g.
     * {@code AWS_ENDPOINT_URL_SNS}), both redacted; {@link io.opsagent.core.notify.Notifier#NONE} when neither is set.
     * A malformed value names its setting.
     */
    public static io.opsagent.core.notify.Notifier notifier(Settings s) {
        java.util.List<io.opsagent.core.notify.Notifier> to = new java.util.ArrayList<>();
        io.opsagent.core.notify.Notifier slack = s.get(Setting.SLACK_WEBHOOK_URL).map(String::strip).filter(u -> !u.isEmpty())
                .map(u -> slack(s, Setting.SLACK_WEBHOOK_URL, u)).orElse(io.opsagent.core.notify.Notifier.NONE);
        java.util.Map<String, io.opsagent.core.notify.Notifier> perNamespace = new java.util.HashMap<>();
        for (String pair : s.list(Setting.SLACK_WEBHOOKS)) {
            int eq = pair.indexOf('=');
            String ns = eq < 0 ? "" : pair.substring(0, eq).strip();
            if (eq < 0 || !ns.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
                throw s.bad(Setting.SLACK_WEBHOOKS, "expected namespace=https://hooks.slack.com/services/..., comma-separated");
            }
            perNamespace.put(ns, slack(s, Setting.SLACK_WEBHOOKS, pair.substring(eq + 1).strip()));
        }
        if (!perNamespace.isEmpty()) to.add(io.opsagent.core.notify.Notifier.byNamespace(perNamespace, slack));
        else if (slack != io.opsagent.core.notify.Notifier.NONE) to.add(slack);
        s.get(Setting.SNS_TOPIC_ARN).map(String::strip).filter(a -> !a.isEmpty()).ifPresent(arn -> {
            if (!arn.matches("arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_.-]{1,256}")) {
                throw s.bad(Setting.SNS_TOPIC_ARN, "expected a topic ARN like arn:aws:sns:eu-west-1:123456789012:opsagent");
            }
            var b = software.amazon.awssdk.services.sns.SnsClient.builder()
                    .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create());
            AwsSettings.region(s).ifPresentOrElse(b::region, () -> b.region(software.amazon.awssdk.regions.Region.of(arn.split(":")[3])));
            to.add(new io.opsagent.adapters.notify.SnsNotifier(b.build(), arn));
        });
        return io.opsagent.core.notify.Notifier.all(Redactor.standard(), to);
    }

    /**
     * The bearer token Alertmanager's webhook must send: {@link Setting#ALERT_TOKEN}, else the Secrets Manager secret
     * {@link Setting#ALERT_TOKEN_SECRET} (its string, or JSON with a {@code token} field) read through {@code secrets};
     * null when neither is set (the route is off). A secret that cannot be read names the setting and why, never the
     * value.
     */
    public static String alertToken(Settings s,
                                    java.util.function.Supplier<software.amazon.awssdk.services.secretsmanager.SecretsManagerClient> secrets) {
        String direct = s.get(Setting.ALERT_TOKEN).map(String::strip).filter(t -> !t.isEmpty()).orElse(null);
        if (direct != null) return direct;
        String id = s.get(Setting.ALERT_TOKEN_SECRET).map(String::strip).filter(t -> !t.isEmpty()).orElse(null);
        if (id == null) return null;
        String value;
        try (var sm = secrets.get()) {
            value = sm.getSecretValue(r -> r.secretId(id)).secretString();
        } catch (RuntimeException e) {
            throw s.bad(Setting.ALERT_TOKEN_SECRET, "the secret could not be read (" + e.getClass().getSimpleName() + ": "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")");
        }
        if (value == null || value.isBlank()) throw s.bad(Setting.ALERT_TOKEN_SECRET, "the secret has no string value");
        value = value.strip();
        if (value.startsWith("{")) {
            try {
                var token = new com.fasterxml.jackson.databind.ObjectMapper().readTree(value).path("token");
                if (!token.isTextual() || token.asText().isBlank()) {
                    throw s.bad(Setting.ALERT_TOKEN_SECRET, "the secret is JSON without a \"token\" string");
                }
                return token.asText();
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw s.bad(Setting.ALERT_TOKEN_SECRET, "the secret starts like JSON but is not");
            }
        }
        return value;
    }

    private static io.opsagent.core.notify.Notifier slack(Settings s, Setting setting, String url) {
        try {
            return new io.opsagent.adapters.notify.SlackNotifier(java.net.URI.create(url));
        } catch (IllegalArgumentException e) {
            throw s.bad(setting, "expected the webhook's https URL (https://hooks.slack.com/services/...)");
        }
    }

    /**
     * Who may decide action proposals: {@link Setting#APPROVER_GROUP}, {@link Setting#SEPARATION_OF_DUTIES} (default
     * {@code sodByDefault}: off locally, on in AWS), {@link Setting#PRODUCTION_NAMESPACES},
     * {@link Setting#ACTION_EXPIRY_MINUTES} (1..1440, default 15).
     */
    public static io.opsagent.core.actions.ApprovalPolicy approvalPolicy(Settings s, boolean sodByDefault) {
        return new io.opsagent.core.actions.ApprovalPolicy(s.get(Setting.APPROVER_GROUP).map(String::strip)
                .filter(g -> !g.isEmpty()).orElse(null), s.bool(Setting.SEPARATION_OF_DUTIES, sodByDefault),
                java.util.Set.copyOf(s.list(Setting.PRODUCTION_NAMESPACES)),
                java.time.Duration.ofMinutes(s.integer(Setting.ACTION_EXPIRY_MINUTES, 15, 1, 1440)));
    }

    private static double temperature(Settings s) {
        String v = s.get(Setting.TEMPERATURE).orElseThrow().strip();
        double t;
        try {
            t = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw s.bad(Setting.TEMPERATURE, "expected a number from 0 to 1");
        }
        if (!(t >= 0 && t <= 1)) throw s.bad(Setting.TEMPERATURE, "expected a number from 0 to 1");
        return t;
    }
}
