package io.opsagent.core.agent;

import io.opsagent.core.tools.ToolNames;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.opsagent.core.agent.model.ToolCall;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.diagnosis.AnalysisContext;
import io.opsagent.core.diagnosis.Diagnosis;
import io.opsagent.core.diagnosis.CachingDiagnosis;
import io.opsagent.core.diagnosis.logs.LogErrorClassifier;
import io.opsagent.core.evidence.EvidencePackBuilder;
import io.opsagent.core.input.InputException;
import io.opsagent.core.redact.Redactor;
import io.opsagent.core.tools.ToolContext;
import io.opsagent.core.tools.ToolRegistry;
import io.opsagent.core.tools.ToolResult;
import java.util.List;
import java.util.Optional;

/**
 * Builds the system prompt of a run: instructions, the session scope, and the workload's context — state and
 * rollout ({@code workload_summary}), health checks, and the evidence pack (findings root causes first, decisive
 * log lines, events, pod status) within the token budget. Everything is redacted.
 */
public final class ContextBuilder {
    /** First line of the scope section; the offline analyst reads the scope from it. */
    public static final String SCOPE_PREFIX = "Session scope: ";
    /** In namespace sessions, the line listing the namespace's workloads by name (comma-separated). */
    public static final String WORKLOADS_PREFIX = "Workloads in this namespace: ";

    /** The instructions at the top of every system prompt: {@code system-prompt.md} beside this class. */
    static final String INSTRUCTIONS = loadInstructions();

    private static String loadInstructions() {
        try (java.io.InputStream in = ContextBuilder.class.getResourceAsStream("system-prompt.md")) {
            if (in == null) throw new IllegalStateException("system-prompt.md is missing from the classpath");
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read system-prompt.md", e);
        }
    }

    static final List<String> KINDS = io.opsagent.core.cluster.KubeKinds.LOOKUP_ORDER;

    private final CachingDiagnosis diagnosis;
    private final EvidencePackBuilder packs;

    public ContextBuilder(CachingDiagnosis diagnosis, Redactor redactor) {
        this.diagnosis = diagnosis;
        this.packs = new EvidencePackBuilder(redactor, new LogErrorClassifier());
    }

    /** Checks that the scope exists in the snapshot; throws IllegalArgumentException naming what is missing. */
    public static void validate(ClusterSnapshot s, Scope scope) {
        if (!s.namespaceNames().contains(scope.namespace())) {
            throw new IllegalArgumentException(io.opsagent.core.diagnosis.WorkloadResolver.namespaceNotFound(s, scope.namespace()));
        }
        if (scope.name() != null && find(s, scope).isEmpty()) {
            throw new IllegalArgumentException(io.opsagent.core.diagnosis.WorkloadResolver.notFound(s, scope.namespace(),
                    scope.name(), scope.kind()));
        }
    }

    static Optional<HasMetadata> find(ClusterSnapshot s, Scope scope) {
        return io.opsagent.core.diagnosis.WorkloadResolver.find(s, scope.namespace(), scope.kind(), scope.name());
    }

    /**
     * System prompts already built, per snapshot (by identity, weakly, as {@link CachingDiagnosis}): every run on
     * the same workload of the same snapshot needs the same context, and building it (the evidence pack's log
     * classification) is most of a run's own work. A live cluster gives a new snapshot per read (and per user when
     * impersonating), so nothing stale or another user's is served.
     */
    private final Map<ClusterSnapshot, Map<String, String>> prompts = new WeakHashMap<>();

    /** The system prompt for a run on {@code scope} (remembered per snapshot, scope, budget and tool set). */
    public String systemPrompt(ToolContext ctx, Scope scope, ToolRegistry tools, Redactor redactor, int budget) {
        ClusterSnapshot s = ctx.snapshot();
        String key = scope + "\u0000" + budget + "\u0000" + tools.names();
        Map<String, String> forSnapshot;
        synchronized (prompts) {
            forSnapshot = prompts.computeIfAbsent(s, x -> new ConcurrentHashMap<>());
        }
        return forSnapshot.computeIfAbsent(key, k -> build(ctx, s, scope, tools, redactor, budget))
                + inFlight(ctx, scope, redactor);
    }

    /**
     * The workload's changes in flight and the proposals waiting for a decision, read fresh for every turn (they move
     * while the snapshot does not): empty when there are none or nothing can be changed here.
     */
    public static String inFlight(ToolContext ctx, Scope scope, Redactor redactor) {
        if (scope.name() == null || ctx.actions() == null) return "";
        StringBuilder sb = new StringBuilder();
        try {
            if (ctx.changes() != null) {
                for (io.opsagent.core.changes.Change c : ctx.changes().list(200)) {
                    if (c.ended() || !scope.name().equals(c.action().name()) || !scope.namespace().equals(c.action().namespace())) continue;
                    sb.append("- change ").append(c.id()).append(" [").append(c.status()).append("] ").append(c.action().summary())
                            .append(", asked by ").append(c.requester()).append(": ").append(c.detail()).append('\n');
                }
            }
            for (io.opsagent.core.actions.Proposal p : ctx.actions().list(io.opsagent.core.actions.ProposalStatus.PENDING, 200)) {
                if (!scope.name().equals(p.action().name()) || !scope.namespace().equals(p.action().namespace())) continue;
                sb.append("- proposal ").append(p.id()).append(" waits for an approval: ").append(p.action().summary())
                        .append(" (asked by ").append(p.requester()).append(", expires ").append(p.expiresAt()).append(")\n");
            }
        } catch (RuntimeException e) {
            return "";
        }
        return sb.isEmpty() ? "" : redactor.redact("\n## Changes in flight and pending approvals of this workload\n" + sb);
    }

    private String build(ToolContext ctx, ClusterSnapshot s, Scope scope, ToolRegistry tools, Redactor redactor,
                         int budget) {
        StringBuilder sb = new StringBuilder(INSTRUCTIONS).append("\n\n").append(SCOPE_PREFIX).append(scope).append('\n');
        Optional<HasMetadata> target = scope.name() == null ? Optional.empty() : find(s, scope);
        target.ifPresent(o -> sb.append("Kind: ").append(o.getKind()).append('\n'));
        if (scope.name() == null) {
            String names = s.objects().filter(o -> scope.namespace().equals(o.getMetadata().getNamespace()))
                    .filter(o -> KINDS.contains(o.getKind()) && !o.getKind().equals("Pod") && !o.getKind().equals("ReplicaSet"))
                    .map(o -> o.getMetadata().getName()).distinct().sorted().reduce((a, b) -> a + ", " + b).orElse("");
            sb.append(WORKLOADS_PREFIX).append(names).append('\n');
        }
        sb.append('\n');
        for (String tool : List.of(ToolNames.WORKLOAD_SUMMARY, ToolNames.HEALTH_CHECKS)) {
            if (tools.spec(tool).isEmpty()) continue;
            ToolResult r = tools.execute(new ToolCall("context-" + tool, tool, JsonNodeFactory.instance.objectNode()),
                    ctx, redactor);
            if (!r.error()) sb.append("## ").append(tool).append('\n').append(r.text()).append('\n');
        }
        try {
            if (target.isPresent()) {
                HasMetadata o = target.get();
                AnalysisContext ac = new AnalysisContext(s);
                List<Pod> pods = o instanceof Service svc ? ac.podsSelectedBy(svc)
                        : o instanceof Pod p ? List.of(p) : ac.podsOf(o);
                Diagnosis d = diagnosis.diagnose(s, scope.namespace(), io.opsagent.core.diagnosis.WorkloadResolver
                        .lookupName(s, scope.namespace(), scope.kind(), scope.name()));
                sb.append(packs.build(s, o, pods, d, Math.max(200, budget)).text());
            } else {
                Diagnosis d = diagnosis.diagnose(s, scope.namespace(), null);
                sb.append("## Findings in namespace ").append(scope.namespace()).append(" (root causes first)\n");
                d.findings().stream().limit(20).forEach(f -> sb.append("- ").append(f.category()).append(' ')
                        .append(f.kind()).append(' ').append(f.name()).append(f.rootCause() ? " (root cause)" : "")
                        .append(": ").append(redactor.redact(f.summary())).append('\n'));
                if (d.findings().isEmpty()) sb.append("No problems found by the analyzers.\n");
            }
        } catch (InputException e) {
            sb.append("(no diagnosis: ").append(e.getMessage()).append(")\n");
        }
        return redactor.redact(sb.toString());
    }
}
