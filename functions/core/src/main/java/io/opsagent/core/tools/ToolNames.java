package io.opsagent.core.tools;

/**
 * The names of the agent's tools: the one place they are spelled. A tool's {@code ToolSpec}, the offline analyst's
 * plans and answers, and the context builder all refer to these constants; the model sees the same strings.
 */
public final class ToolNames {
    public static final String WORKLOAD_SUMMARY = "workload_summary";
    public static final String LIST_PODS = "list_pods";
    public static final String DESCRIBE = "describe";
    public static final String EVENTS = "events";
    public static final String SEARCH_LOGS = "search_logs";
    public static final String LOG_PATTERNS = "log_patterns";
    public static final String DIAGNOSE = "diagnose";
    public static final String DEPLOYMENT_HISTORY = "deployment_history";
    public static final String RESOURCE_USAGE = "resource_usage";
    public static final String SERVICE_ENDPOINTS = "service_endpoints";
    public static final String HEALTH_CHECKS = "health_checks";
    /** Metrics (issue 16): a catalogued metric of a workload's containers or a volume, over a time range. */
    public static final String QUERY_METRICS = "query_metrics";
    /** Metrics (issue 16): requests and limits against observed usage, with recommended values. */
    public static final String RIGHTSIZE = "rightsize";
    /** Write: proposes one change for a human to approve; changes nothing. */
    public static final String PROPOSE_CHANGE = "propose_change";
    /** Write: proposes the fix of a diagnosis finding for a human to approve; changes nothing. */
    public static final String PROPOSE_FIX = "propose_fix";
    /** The approvals and changes tools (issue 15): pending approvals, the change chain's changes, cancel one. */
    public static final String LIST_APPROVALS = "list_approvals";
    public static final String LIST_CHANGES = "list_changes";
    public static final String CANCEL_CHANGE = "cancel_change";
    public static final String SUBMIT_CHANGE = "submit_change";

    private ToolNames() {
    }
}
