package io.opsagent.core.agent.offline;

import io.opsagent.core.tools.ToolNames;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsagent.core.agent.ContextBuilder;
import io.opsagent.core.agent.model.ChatMessage;
import io.opsagent.core.agent.model.ChatModel;
import io.opsagent.core.agent.model.ChatRequest;
import io.opsagent.core.agent.model.ModelEvent;
import io.opsagent.core.agent.model.StopReason;
import io.opsagent.core.agent.model.ToolCall;
import io.opsagent.core.agent.model.ToolResultBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A deterministic chat model that needs no LLM: it reads the question with {@link IntentRules}, calls the same
 * tools an LLM would (through the same engine loop), and composes a markdown answer from the tool results with
 * evidence citations ({@link Composer}). Follow-ups use the session history ("show more" repeats the previous
 * question with more detail; "the other pod" picks a pod the previous answer did not name). It says plainly what it
 * cannot answer.
 */
public final class OfflineAnalyst implements ChatModel {
    public static final String ID = "offline-analyst";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void stream(ChatRequest request, Consumer<ModelEvent> listener) {
        Conversation c = Conversation.of(request);
        Intent intent = IntentRules.classify(c.question, c.previousQuestion);
        List<ToolCall> calls = c.results.isEmpty() ? plan(intent, c) : followUp(intent, c);
        if (!calls.isEmpty()) {
            calls.forEach(call -> listener.accept(new ModelEvent.ToolUse(call)));
            listener.accept(new ModelEvent.Usage(0, 0));
            listener.accept(new ModelEvent.Stop(StopReason.TOOL_USE, null));
            return;
        }
        String answer = Sections.apply(c.question, new Composer(c.label(), c.results, c.previousAnswer).compose(intent));
        for (String line : answer.split("(?<=\n)")) listener.accept(new ModelEvent.TextDelta(line));
        listener.accept(new ModelEvent.Usage(0, 0));
        listener.accept(new ModelEvent.Stop(StopReason.END_TURN, null));
    }

    /** First tool calls for an intent (none for questions it answers without tools). */
    static List<ToolCall> plan(Intent intent, Conversation c) {
        List<ToolCall> calls = new ArrayList<>();
        int limit = intent.more() ? 60 : 15;
        switch (intent.kind()) {
            case DIAGNOSE -> {
                calls.add(call(1, ToolNames.DIAGNOSE, args(c)));
                calls.add(call(2, ToolNames.WORKLOAD_SUMMARY, args(c)));
                metrics(c, calls);
            }
            case FIX, WRITE -> calls.add(call(1, ToolNames.DIAGNOSE, args(c)));
            case ERRORS -> {
                ObjectNode a = args(c).put("level", intent.level()).put("limit", limit);
                if (intent.since() != null) a.put("since", intent.since());
                if (intent.until() != null) a.put("until", intent.until());
                calls.add(call(1, ToolNames.SEARCH_LOGS, a));
            }
            case SEARCH -> {
                ObjectNode a = args(c).put("limit", limit);
                a.putArray("keywords").addAll(intent.keywords().stream().map(F::textNode).toList());
                if (intent.since() != null) a.put("since", intent.since());
                if (intent.until() != null) a.put("until", intent.until());
                calls.add(call(1, ToolNames.SEARCH_LOGS, a));
            }
            case CHANGES -> {
                calls.add(call(1, ToolNames.DEPLOYMENT_HISTORY, args(c)));
                calls.add(call(2, ToolNames.EVENTS, args(c).put("limit", intent.more() ? 60 : 12)));
            }
            case HEALTH -> {
                calls.add(call(1, ToolNames.WORKLOAD_SUMMARY, args(c)));
                calls.add(call(2, ToolNames.HEALTH_CHECKS, args(c)));
                calls.add(call(3, ToolNames.DIAGNOSE, args(c)));
            }
            case SERVICE -> calls.add(call(1, ToolNames.SERVICE_ENDPOINTS, args(c)));
            case RESOURCES -> {
                calls.add(call(1, ToolNames.RESOURCE_USAGE, args(c)));
                calls.add(call(2, ToolNames.DIAGNOSE, args(c)));
                if (c.tools.contains(ToolNames.RIGHTSIZE)) calls.add(call(3, ToolNames.RIGHTSIZE, args(c)));
            }
            case PATTERNS -> calls.add(call(1, ToolNames.LOG_PATTERNS, args(c)));
            case EVENTS -> calls.add(call(1, ToolNames.EVENTS, args(c).put("limit", intent.more() ? 100 : 25)));
            case PODS, OTHER_POD -> calls.add(call(1, ToolNames.LIST_PODS, args(c)));
            case DESCRIBE -> calls.add(call(1, ToolNames.DESCRIBE, args(c)));
            case APPROVALS -> {
                if (c.tools.contains(ToolNames.LIST_APPROVALS)) calls.add(call(1, ToolNames.LIST_APPROVALS, F.objectNode().put("all", true)));
            }
            case CHANGE_RUNS -> {
                if (c.tools.contains(ToolNames.LIST_CHANGES)) {
                    calls.add(call(1, ToolNames.LIST_CHANGES, F.objectNode().put("running", true).put("all", true)));
                }
            }
            case CANCEL -> {
                if (c.tools.contains(ToolNames.CANCEL_CHANGE)) calls.add(call(1, ToolNames.CANCEL_CHANGE, F.objectNode()));
            }
            default -> {
                // UNSUPPORTED, UNKNOWN: answered without tools
            }
        }
        return calls;
    }

    private static final java.util.regex.Pattern CPU_OR_MEMORY = java.util.regex.Pattern.compile(
            "\\bcpu\\b|\\bmemory\\b|\\bthrottl|\\boom");
    private static final java.util.regex.Pattern DISK = java.util.regex.Pattern.compile("\\bdisk\\b|\\bvolumes?\\b|filling up");

    /**
     * The numbers a diagnosis about CPU, memory or a disk needs, where a metrics source is there: the workload's
     * rightsizing (usage against requests and limits) or its volumes' use.
     */
    private static void metrics(Conversation c, List<ToolCall> calls) {
        String q = c.question.toLowerCase(java.util.Locale.ROOT);
        if (c.tools.contains(ToolNames.RIGHTSIZE) && CPU_OR_MEMORY.matcher(q).find()) {
            calls.add(call(3, ToolNames.RIGHTSIZE, args(c)));
        }
        if (c.tools.contains(ToolNames.QUERY_METRICS) && DISK.matcher(q).find()) {
            calls.add(call(4, ToolNames.QUERY_METRICS, args(c).put("metric", "disk_usage")));
        }
    }

    /** Second-round calls: for OTHER_POD, look at the pod the previous answer did not talk about. */
    static List<ToolCall> followUp(Intent intent, Conversation c) {
        if (intent.kind() == Intent.Kind.WRITE) return propose(c);
        return otherPod(intent, c);
    }

    private static final java.util.regex.Pattern SCALE = java.util.regex.Pattern.compile("\\bscale\\b.*?\\b(?:to|=)\\s*(\\d{1,4})\\b");
    private static final java.util.regex.Pattern MEMORY = java.util.regex.Pattern.compile(
            "\\bmemory\\b(?:\\s+limit)?.*?\\b(?:to|=)\\s*(\\d+(?:\\.\\d+)?\\s*(?:mi|gi|m|g)i?)\\b");
    private static final java.util.regex.Pattern IMAGE = java.util.regex.Pattern.compile("\\bimage\\b.*?\\b(?:to|=)\\s*(\\S+)");
    private static final java.util.regex.Pattern REVISION = java.util.regex.Pattern.compile("\\brevision\\s+(\\d{1,6})\\b");

    /**
     * After the diagnosis, the change the question asks for, as a proposal (when the write tools are there and
     * nothing was proposed yet): restart, scale to N, roll back (to revision N), a memory limit, an image, or the
     * diagnosis' own fix.
     */
    static List<ToolCall> propose(Conversation c) {
        if (!c.has(ToolNames.DIAGNOSE) || c.has(ToolNames.PROPOSE_CHANGE) || c.has(ToolNames.PROPOSE_FIX)
                || !c.tools.contains(ToolNames.PROPOSE_CHANGE)) {
            return List.of();
        }
        String q = c.question.toLowerCase(java.util.Locale.ROOT);
        ObjectNode a = args(c);
        ObjectNode params = F.objectNode();
        java.util.regex.Matcher m;
        if ((m = SCALE.matcher(q)).find()) {
            a.put("action", "scale");
            params.put("replicas", Integer.parseInt(m.group(1)));
        } else if ((m = MEMORY.matcher(q)).find()) {
            String v = m.group(1).replace(" ", "");
            v = v.replaceAll("(?i)^([0-9.]+)(mi?|mib)$", "$1Mi").replaceAll("(?i)^([0-9.]+)(gi?|gib)$", "$1Gi");
            a.put("action", "set-resources");
            params.putObject("limits").put("memory", v);
        } else if ((m = IMAGE.matcher(c.question)).find() && q.contains("image")) {
            a.put("action", "set-image");
            params.put("image", m.group(1).replaceAll("[.,;]$", ""));
        } else if (q.matches("(?s).*\\broll ?back\\b.*|.*\\brollback\\b.*")) {
            a.put("action", "rollback");
            if ((m = REVISION.matcher(q)).find()) params.put("revision", Integer.parseInt(m.group(1)));
        } else if (q.matches("(?s).*\\b(restart|redeploy)\\b.*")) {
            a.put("action", "restart");
        } else {
            return List.of(call(2, ToolNames.PROPOSE_FIX, args(c)));
        }
        if (!params.isEmpty()) a.set("params", params);
        return List.of(call(2, ToolNames.PROPOSE_CHANGE, a));
    }

    private static List<ToolCall> otherPod(Intent intent, Conversation c) {
        if (intent.kind() != Intent.Kind.OTHER_POD || c.has(ToolNames.DESCRIBE)) return List.of();
        String pod = Composer.otherPod(c.result(ToolNames.LIST_PODS), c.previousAnswer);
        if (pod == null) return List.of();
        return List.of(call(3, ToolNames.DESCRIBE, args(c).put("kind", "pod").put("name", pod)),
                call(4, ToolNames.SEARCH_LOGS, args(c).put("pod", pod).put("level", "warn").put("limit", 10)));
    }

    private static ObjectNode args(Conversation c) {
        ObjectNode a = F.objectNode();
        if (c.target() != null) a.put("name", c.target());
        return a;
    }

    private static ToolCall call(int n, String tool, ObjectNode args) {
        return new ToolCall("offline-" + tool + "-" + n, tool, args);
    }

    /** What the analyst reads from a request. */
    record Conversation(String scope, String target, String question, String previousQuestion,
                        String previousAnswer, List<ToolResultBlock> results, java.util.Set<String> tools) {

        /** What answers talk about: the session's workload, or the workload a namespace question names. */
        String label() {
            return target == null ? scope : scope.replaceFirst("/\\*$", "") + "/" + target;
        }

        static Conversation of(ChatRequest r) {
            String scope = "";
            List<String> workloads = new ArrayList<>();
            for (String line : r.system().split("\n")) {
                if (line.startsWith(ContextBuilder.SCOPE_PREFIX)) {
                    scope = line.substring(ContextBuilder.SCOPE_PREFIX.length()).strip();
                } else if (line.startsWith(ContextBuilder.WORKLOADS_PREFIX)) {
                    for (String w : line.substring(ContextBuilder.WORKLOADS_PREFIX.length()).split(",")) {
                        if (!w.isBlank()) workloads.add(w.strip());
                    }
                }
            }
            List<ChatMessage> m = r.messages();
            int lastUser = -1;
            for (int i = m.size() - 1; i >= 0; i--) {
                if (m.get(i).role() == ChatMessage.Role.USER) {
                    lastUser = i;
                    break;
                }
            }
            String prevQ = null;
            String prevA = null;
            for (int i = 0; i < Math.max(0, lastUser); i++) {
                if (m.get(i).role() == ChatMessage.Role.USER) prevQ = m.get(i).text();
                if (m.get(i).role() == ChatMessage.Role.ASSISTANT && !m.get(i).text().isBlank()) prevA = m.get(i).text();
            }
            List<ToolResultBlock> results = new ArrayList<>();
            for (int i = lastUser + 1; i < m.size(); i++) results.addAll(m.get(i).toolResults());
            String question = lastUser < 0 ? "" : m.get(lastUser).text();
            java.util.Set<String> tools = new java.util.HashSet<>();
            r.tools().forEach(t -> tools.add(t.name()));
            return new Conversation(scope, named(question, prevQ, workloads), question, prevQ, prevA, results, tools);
        }

        /**
         * In a namespace session, the workload the question (or, failing that, the previous question) names: the
         * longest workload name found as a whole word. Null when none is named.
         */
        static String named(String question, String previous, List<String> workloads) {
            String found = longestName(question, workloads);
            return found != null || previous == null ? found : longestName(previous, workloads);
        }

        private static String longestName(String text, List<String> workloads) {
            String best = null;
            for (String w : workloads) {
                if (java.util.regex.Pattern.compile("(?<![\\w-])" + java.util.regex.Pattern.quote(w) + "(?![\\w-])")
                        .matcher(text).find() && (best == null || w.length() > best.length())) {
                    best = w;
                }
            }
            return best;
        }

        boolean has(String tool) {
            return results.stream().anyMatch(b -> b.toolName().equals(tool));
        }

        ToolResultBlock result(String tool) {
            return results.stream().filter(b -> b.toolName().equals(tool)).reduce((a, b) -> b).orElse(null);
        }
    }
}
