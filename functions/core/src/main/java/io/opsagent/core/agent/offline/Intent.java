package io.opsagent.core.agent.offline;

import java.util.List;

/**
 * What a question asks, as the offline analyst's rules read it.
 *
 * @param kind     the kind of question
 * @param since    start of a time range ({@code 10:00}, {@code 30m}), or null
 * @param until    end of a time range, or null
 * @param keywords words or quoted phrases to search for
 * @param level    minimum log level for error questions (error or warn), or null
 * @param more     true for "show more": larger limits, every piece of evidence
 */
public record Intent(Kind kind, String since, String until, List<String> keywords, String level, boolean more) {

    /** Kinds of questions, with the tools each one calls. */
    public enum Kind {
        /** "why is it failing?" → diagnose, workload_summary. */
        DIAGNOSE,
        /** "how do I fix it?" → diagnose (remediation of the root cause). */
        FIX,
        /** "show me the errors since 10:00" → search_logs level=error since. */
        ERRORS,
        /** "search logs for timeout", "find \"connection refused\"" → search_logs keywords. */
        SEARCH,
        /** "what changed?" → deployment_history, events. */
        CHANGES,
        /** "is it healthy?" → workload_summary, health_checks, diagnose. */
        HEALTH,
        /** "what about the service?" → service_endpoints. */
        SERVICE,
        /** "memory usage?" → resource_usage. */
        RESOURCES,
        /** "summarise the logs" → log_patterns. */
        PATTERNS,
        /** "recent events" → events. */
        EVENTS,
        /** "list the pods" → list_pods. */
        PODS,
        /** "and the other pod?" → list_pods, then describe + search_logs on a pod not discussed yet. */
        OTHER_POD,
        /** "describe it" → describe. */
        DESCRIBE,
        /**
         * "restart it", "scale to 5", "raise the memory limit to 2Gi", "fix it" → diagnose, then (where the cluster can
         * be changed) a proposal for a human to approve; without write tools, the commands from the diagnosis.
         */
        WRITE,
        /** "show pending approvals" → list_approvals. */
        APPROVALS,
        /** "what changes are running?" → list_changes (running, every workload). */
        CHANGE_RUNS,
        /** "cancel the failing change" → cancel_change (the session workload's running change). */
        CANCEL,
        /** "will it fail tomorrow?" → says plainly it cannot. */
        UNSUPPORTED,
        /** nothing recognised → says what it can answer. */
        UNKNOWN
    }

    public Intent {
        keywords = keywords == null ? List.of() : List.copyOf(keywords);
    }

    public static Intent of(Kind kind) {
        return new Intent(kind, null, null, List.of(), null, false);
    }

    public Intent withMore() {
        return new Intent(kind, since, until, keywords, level, true);
    }
}
