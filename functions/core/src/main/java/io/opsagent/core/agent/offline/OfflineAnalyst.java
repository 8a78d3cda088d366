package io.opsagent.core.agent.offline;

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
        String answer = new Composer(c.scope, c.results, c.previousAnswer).compose(intent);
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
                calls.add(call(1, "diagnose", args()));
                calls.add(call(2, "workload_summary", args()));
            }
            case FIX, WRITE -> calls.add(call(1, "diagnose", args()));
            case ERRORS -> {
                ObjectNode a = args().put("level", intent.level()).put("limit", limit);
                if (intent.since() != null) a.put("since", intent.since());
                if (intent.until() != null) a.put("until", intent.until());
                calls.add(call(1, "search_logs", a));
            }
            case SEARCH -> {
                ObjectNode a = args().put("limit", limit);
                a.putArray("keywords").addAll(intent.keywords().stream().map(F::textNode).toList());
                if (intent.since() != null) a.put("since", intent.since());
                if (intent.until() != null) a.put("until", intent.until());
                calls.add(call(1, "search_logs", a));
            }
            case CHANGES -> {
                calls.add(call(1, "deployment_history", args()));
                calls.add(call(2, "events", args().put("limit", intent.more() ? 60 : 12)));
            }
            case HEALTH -> {
                calls.add(call(1, "workload_summary", args()));
                calls.add(call(2, "health_checks", args()));
                calls.add(call(3, "diagnose", args()));
            }
            case SERVICE -> calls.add(call(1, "service_endpoints", args()));
            case RESOURCES -> {
                calls.add(call(1, "resource_usage", args()));
                calls.add(call(2, "diagnose", args()));
            }
            case PATTERNS -> calls.add(call(1, "log_patterns", args()));
            case EVENTS -> calls.add(call(1, "events", args().put("limit", intent.more() ? 100 : 25)));
            case PODS, OTHER_POD -> calls.add(call(1, "list_pods", args()));
            case DESCRIBE -> calls.add(call(1, "describe", args()));
            default -> {
                // UNSUPPORTED, UNKNOWN: answered without tools
            }
        }
        return calls;
    }

    /** Second-round calls: for OTHER_POD, look at the pod the previous answer did not talk about. */
    static List<ToolCall> followUp(Intent intent, Conversation c) {
        if (intent.kind() != Intent.Kind.OTHER_POD || c.has("describe")) return List.of();
        String pod = Composer.otherPod(c.result("list_pods"), c.previousAnswer);
        if (pod == null) return List.of();
        return List.of(call(3, "describe", args().put("kind", "pod").put("name", pod)),
                call(4, "search_logs", args().put("pod", pod).put("level", "warn").put("limit", 10)));
    }

    private static ObjectNode args() {
        return F.objectNode();
    }

    private static ToolCall call(int n, String tool, ObjectNode args) {
        return new ToolCall("offline-" + tool + "-" + n, tool, args);
    }

    /** What the analyst reads from a request. */
    record Conversation(String scope, String question, String previousQuestion, String previousAnswer,
                        List<ToolResultBlock> results) {

        static Conversation of(ChatRequest r) {
            String scope = "";
            for (String line : r.system().split("\n")) {
                if (line.startsWith(ContextBuilder.SCOPE_PREFIX)) {
                    scope = line.substring(ContextBuilder.SCOPE_PREFIX.length()).strip();
                    break;
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
            return new Conversation(scope, lastUser < 0 ? "" : m.get(lastUser).text(), prevQ, prevA, results);
        }

        boolean has(String tool) {
            return results.stream().anyMatch(b -> b.toolName().equals(tool));
        }

        ToolResultBlock result(String tool) {
            return results.stream().filter(b -> b.toolName().equals(tool)).reduce((a, b) -> b).orElse(null);
        }
    }
}
