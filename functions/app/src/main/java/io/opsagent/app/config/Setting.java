package io.opsagent.app.config;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every OpsAgent setting, by the environment variable that carries it. The same names are used as environment
 * variables (Lambda, shell), as keys in the local config file ({@code ~/.opsagent/config.properties} or
 * {@code --config FILE}) and, where there is one, behind a command-line flag. docs/configuration.md lists them.
 */
public enum Setting {
    // which model answers
    MODEL_PROVIDER("OPSAGENT_MODEL_PROVIDER", "bedrock, openai or offline (default: chosen from what is configured)", false),
    MODEL("OPSAGENT_MODEL", "model id: a Bedrock model id or inference profile, or an OpenAI-compatible model name", false),
    MAX_TOKENS("OPSAGENT_MAX_TOKENS", "most output tokens per model turn", false),
    TEMPERATURE("OPSAGENT_TEMPERATURE", "sampling temperature 0..1", false),
    BEDROCK_ENDPOINT("OPSAGENT_BEDROCK_ENDPOINT", "Bedrock runtime endpoint override (tests, VPC endpoints)", false),
    BEDROCK_RETRY_SECONDS("OPSAGENT_BEDROCK_RETRY_SECONDS", "how long throttled Bedrock calls are retried", false),
    OPENAI_BASE_URL("OPSAGENT_OPENAI_BASE_URL", "an OpenAI-compatible endpoint, e.g. http://localhost:11434/v1 (Ollama)", false),
    OPENAI_API_KEY("OPSAGENT_OPENAI_API_KEY", "the OpenAI-compatible endpoint's key", true),
    OPENAI_READ_TIMEOUT_SECONDS("OPSAGENT_OPENAI_READ_TIMEOUT_SECONDS", "how long to wait for the next streamed chunk", false),
    MAX_STEPS("OPSAGENT_MAX_STEPS", "most model turns per run (default 10)", false),
    SHUTDOWN_GRACE_SECONDS("OPSAGENT_SHUTDOWN_GRACE_SECONDS", "local: how long runs going on get to finish when the server stops, then they are cancelled (default 20)", false),
    RUN_MAX_SECONDS("OPSAGENT_RUN_MAX_SECONDS", "Lambda: the chat function's timeout; a run still running after it is ended as failed (default 900)", false),

    // where the cluster and its logs are read
    DUMP_DIR("OPSAGENT_DUMP_DIR", "a kubectl cluster-info dump directory to read instead of a live cluster", false),
    EVIDENCE_DIR("OPSAGENT_EVIDENCE_DIR", "a directory of pasted kubectl output to read instead of a live cluster", false),
    KUBE_CONTEXT("OPSAGENT_KUBE_CONTEXT", "a kubeconfig context to read live (locally)", false),
    NAMESPACE("OPSAGENT_NAMESPACE", "a live cluster: read only this namespace (default: all, or the asked workload's)", false),
    EKS_CLUSTER("OPSAGENT_EKS_CLUSTER", "an EKS cluster name to read live (endpoint and CA from DescribeCluster)", false),
    EKS_ENDPOINT("OPSAGENT_EKS_ENDPOINT", "EKS API endpoint override for DescribeCluster (tests, VPC endpoints)", false),
    IMPERSONATE("OPSAGENT_IMPERSONATE", "true: Kubernetes calls carry the end user (Impersonate-User/-Group)", false),
    IMPERSONATE_GROUPS("OPSAGENT_IMPERSONATE_GROUPS", "comma-separated groups sent with Impersonate-Group", false),
    IMPERSONATE_TOKEN_GROUPS("OPSAGENT_IMPERSONATE_TOKEN_GROUPS", "the groups of a user's token (Cognito's) sent with Impersonate-Group: GROUP or GROUP=KUBERNETES_GROUP, comma-separated; a token's other groups are never sent", false),
    APPROVER_GROUP("OPSAGENT_APPROVER_GROUP", "actions: the group whose members may approve and reject (default: anyone who may use OpsAgent)", false),
    SEPARATION_OF_DUTIES("OPSAGENT_SEPARATION_OF_DUTIES", "actions: true: the requester of a change may not approve it (default: false locally, true in AWS)", false),
    PRODUCTION_NAMESPACES("OPSAGENT_PRODUCTION_NAMESPACES", "actions: comma-separated namespaces where every change needs two approvers", false),
    ACTION_EXPIRY_MINUTES("OPSAGENT_ACTION_EXPIRY_MINUTES", "actions: how long a proposal can be approved (default 15)", false),
    CHANGES("OPSAGENT_CHANGES", "changes: local (the change chain on LocalStack's Step Functions, started with a live cluster; default) or off", false),
    LOCALSTACK_PORT("OPSAGENT_LOCALSTACK_PORT", "changes: the port of the local LocalStack (default 4566)", false),
    CHANGE_ANALYSIS_SECONDS("OPSAGENT_CHANGE_ANALYSIS_SECONDS", "changes: how long the monitor watches health after a rollout (default 30)", false),
    CHANGE_STATE_MACHINE_ARN("OPSAGENT_CHANGE_STATE_MACHINE_ARN", "changes in AWS: the change chain's state machine (set by the template)", false),
    INVESTIGATION_STATE_MACHINE_ARN("OPSAGENT_INVESTIGATION_STATE_MACHINE_ARN", "alerts in AWS: the investigation state machine each new episode runs on (set by the template; unset: investigations run in-process)", false),
    DRIFT_MINUTES("OPSAGENT_DRIFT_MINUTES", "changes: how often drift is checked and remediated within policy (default 5; 0: never on its own)", false),
    PROJECTS_FILE("OPSAGENT_PROJECTS_FILE", "projects: a YAML or JSON file of projects (namespaces, members and their roles: viewer, operator, approver, admin); set, a user sees only their projects' namespaces (default: no projects, everyone sees everything)", false),
    PROJECT_ADMIN_GROUP("OPSAGENT_PROJECT_ADMIN_GROUP", "projects: a group (Cognito's in AWS) whose members administer every namespace: they make projects and give them members (the template sets opsagent-admins; unset: none)", false),
    BUDGET_TOKENS_PER_DAY("OPSAGENT_BUDGET_TOKENS_PER_DAY", "budgets: model tokens (input and output) each user may use per UTC day; each model call is reserved first, a refusal is HTTP 429 (default 0: no limit)", false),
    BUDGET_USD_PER_DAY("OPSAGENT_BUDGET_USD_PER_DAY", "budgets: model cost in US dollars (the model's price table) each user may spend per UTC day (default 0: no limit)", false),
    BUDGET_REQUESTS_PER_MINUTE("OPSAGENT_BUDGET_REQUESTS_PER_MINUTE", "budgets: chat requests (agent runs) each user may start per minute, counted in DynamoDB so every instance shares it; a refusal is HTTP 429 (default 0: no limit)", false),
    BUDGET_CONCURRENT_RUNS("OPSAGENT_BUDGET_CONCURRENT_RUNS", "budgets: agent runs each user may have going on at once (slots leased in DynamoDB, 20 minutes at most); a refusal is HTTP 429 (default 0: no limit)", false),
    ALERT_USER("OPSAGENT_ALERT_USER", "alerts: whose runs the investigations are (default: dev locally, opsagent in AWS)", false),
    ALERT_TOKEN_SECRET("OPSAGENT_ALERT_TOKEN_SECRET", "alerts in AWS: the Secrets Manager secret (ARN or name) holding the webhook's bearer token (its string, or JSON with a token field)", false),
    ALERT_TOKEN("OPSAGENT_ALERT_TOKEN", "alerts: the bearer token Alertmanager's webhook must send to POST /api/alerts/alertmanager, or receiver=token,... one per receiver (unset: that route is off)", true),
    ALERT_HMAC_SECRET("OPSAGENT_ALERT_HMAC_SECRET", "alerts: a key senders may sign the webhook's body with instead (X-OpsAgent-Signature: sha256=<HMAC-SHA256 hex>)", true),
    SLACK_WEBHOOK_URL("OPSAGENT_SLACK_WEBHOOK_URL", "notifications: a Slack incoming webhook told of approvals waiting and changes that end", true),
    SLACK_WEBHOOKS("OPSAGENT_SLACK_WEBHOOKS", "notifications: per-namespace Slack webhooks, ns=url,ns2=url (others go to OPSAGENT_SLACK_WEBHOOK_URL)", true),
    SNS_TOPIC_ARN("OPSAGENT_SNS_TOPIC_ARN", "notifications: an SNS topic told of approvals waiting and changes that end (set by the template)", false),
    WEB_URL("OPSAGENT_WEB_URL", "notifications: the web UI's address for links (default: the local server's; in AWS the template's)", false),
    ALLOWED_REGISTRIES("OPSAGENT_ALLOWED_REGISTRIES", "changes: comma-separated image prefixes a new image must start with (default: any)", false),
    METRICS("OPSAGENT_METRICS", "where the metrics tools read: prometheus (OPSAGENT_PROMETHEUS_URL), container-insights (the EKS cluster's, CloudWatch GetMetricData) or none (default: prometheus when its URL is set, else none)", false),
    PROMETHEUS_URL("OPSAGENT_PROMETHEUS_URL", "metrics: Prometheus' address (http(s)://host:9090, a path prefix kept) for the query_metrics and rightsize tools", false),
    PROMETHEUS_TOKEN("OPSAGENT_PROMETHEUS_TOKEN", "metrics: a bearer token for a Prometheus behind an authenticating proxy", true),
    LOG_SOURCE("OPSAGENT_LOG_SOURCE", "where log search reads: snapshot, kubernetes or cloudwatch (default: the cluster input's own logs)", false),
    LOG_GROUPS("OPSAGENT_LOG_GROUPS", "comma-separated CloudWatch log group names (Container Insights / Fluent Bit)", false),
    LOGS_ENDPOINT("OPSAGENT_LOGS_ENDPOINT", "CloudWatch Logs endpoint override (tests, VPC endpoints)", false),
    AWS_REGION("AWS_REGION", "the AWS region of Bedrock, CloudWatch Logs and EKS (default: the AWS SDK's region chain)", false),

    // storage
    DATA_DIR("OPSAGENT_DATA_DIR", "local: DynamoDB Local's directory (default ~/.opsagent/data)", false),
    TABLE_PREFIX("OPSAGENT_TABLE_PREFIX", "DynamoDB table name prefix (default opsagent-)", false),
    SESSIONS_TABLE("OPSAGENT_SESSIONS_TABLE", "the sessions table's name (overrides the prefix)", false),
    RUNS_TABLE("OPSAGENT_RUNS_TABLE", "the runs table's name (overrides the prefix)", false),
    ACTIONS_TABLE("OPSAGENT_ACTIONS_TABLE", "the actions table's name: proposals and the audit log (overrides the prefix)", false),

    // who may call (AWS)
    JWT_ISSUER("OPSAGENT_JWT_ISSUER", "the token issuer, e.g. https://cognito-idp.REGION.amazonaws.com/POOL_ID", false),
    JWT_AUDIENCE("OPSAGENT_JWT_AUDIENCE", "the app client id tokens must be issued to", false),
    JWKS_URL("OPSAGENT_JWKS_URL", "where the signing keys are (default: ISSUER/.well-known/jwks.json)", false),
    ALLOWED_ORIGINS("OPSAGENT_ALLOWED_ORIGINS", "comma-separated browser origins allowed to call the API and chat", false),
    ALLOWED_HOSTS("OPSAGENT_ALLOWED_HOSTS", "local: comma-separated Host names the server answers besides loopback (e.g. a name it is reached by on a trusted network)", false);

    private final String key;
    private final String description;
    private final boolean secret;

    Setting(String key, String description, boolean secret) {
        this.key = key;
        this.description = description;
        this.secret = secret;
    }

    /** The environment variable / config file key. */
    public String key() {
        return key;
    }

    public String description() {
        return description;
    }

    /** True for values never printed or logged. */
    public boolean secret() {
        return secret;
    }

    /** The setting with this key. */
    public static Optional<Setting> byKey(String key) {
        return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst();
    }
}
