package io.opsagent.core.tools.cluster;

import io.opsagent.core.tools.ToolNames;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsagent.core.diagnosis.Diagnosis;
import io.opsagent.core.diagnosis.Evidence;
import io.opsagent.core.diagnosis.Finding;
import io.opsagent.core.input.InputException;
import io.opsagent.core.tools.Citation;
import io.opsagent.core.tools.ToolContext;
import io.opsagent.core.tools.ToolInputException;
import io.opsagent.core.tools.ToolResult;
import io.opsagent.core.tools.ToolSpec;
import java.util.ArrayList;
import java.util.List;

/** {@code diagnose}: the deterministic analyzers' findings for a workload, root causes first. */
final class DiagnoseTool extends ClusterTool {
    DiagnoseTool() {
        super(new ToolSpec(ToolNames.DIAGNOSE, "Run the rule-based analyzers (OOMKilled, CrashLoopBackOff, ImagePullError, "
                + "probes, rollouts, services, quotas, nodes, application errors in logs...) on a workload or a "
                + "namespace. Returns findings, root causes first, each with evidence references and the fix.",
                scoped().build()));
    }

    @Override
    public ToolResult call(ObjectNode args, ToolContext c) throws InputException {
        Target t = target(args, c);
        Diagnosis d;
        try {
            d = c.diagnosis().diagnose(c.snapshot(), t.namespace(), t.object() == null ? null : name(t.object()));
        } catch (InputException e) {
            throw new ToolInputException(e.getMessage());
        }
        StringBuilder sb = new StringBuilder("Diagnosis of " + t.label() + ": " + d.findings().size() + " findings\n");
        List<Citation> cites = new ArrayList<>();
        for (Finding f : d.findings()) {
            sb.append("\n[").append(f.severity()).append("] ").append(f.category())
                    .append(f.rootCause() ? " (root cause)" : " (caused by " + f.causedBy() + ")")
                    .append(d.alsoFailing(f) ? " (also failing: a neighbour, not what the input is about)" : "")
                    .append(" ").append(f.kind()).append(' ').append(f.namespace()).append('/').append(f.name())
                    .append(f.container() == null ? "" : " container " + f.container()).append(" id ").append(f.id())
                    .append("\n  ").append(f.summary()).append('\n');
            for (Evidence e : f.evidence()) {
                sb.append("  - ").append(e.source().json()).append(' ').append(e.ref()).append(": ")
                        .append(clip(e.text(), 300)).append('\n');
                cites.add(new Citation(e.ref(), e.source().json() + " for " + f.category()));
            }
            for (String r : f.remediation()) sb.append("  fix: ").append(r).append('\n');
        }
        if (d.findings().isEmpty()) sb.append("No problems found by the analyzers.\n");
        ObjectNode data = JSON.createObjectNode();
        data.put("target", t.label());
        data.set("findings", JSON.valueToTree(d.findings()));
        long roots = d.findings().stream().filter(Finding::rootCause).count();
        String summary = d.findings().isEmpty() ? "no findings"
                : d.findings().size() + " findings, " + roots + " root cause" + (roots == 1 ? "" : "s")
                + ": " + d.findings().get(0).category();
        return ToolResult.ok(sb.toString(), summary, data, cites);
    }

    static String clip(String s, int max) {
        String one = s.replace('\n', ' ');
        return one.length() <= max ? one : one.substring(0, max) + "…";
    }
}
