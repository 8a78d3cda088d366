package io.opsagent.core.tools.actions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.opsagent.core.actions.Action;
import io.opsagent.core.actions.ActionException;
import io.opsagent.core.actions.ActionKind;
import io.opsagent.core.actions.Proposal;
import io.opsagent.core.actions.QuotaCheck;
import java.util.List;
import io.opsagent.core.diagnosis.Category;
import io.opsagent.core.diagnosis.Diagnosis;
import io.opsagent.core.diagnosis.Finding;
import io.opsagent.core.input.InputException;
import io.opsagent.core.tools.Schema;
import io.opsagent.core.tools.Tool;
import io.opsagent.core.tools.ToolContext;
import io.opsagent.core.tools.ToolNames;
import io.opsagent.core.tools.ToolResult;
import io.opsagent.core.tools.ToolSpec;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;
import java.util.Set;

/**
 * {@code propose_fix}: proposes the change that fixes a diagnosis finding, for a human to approve (it changes
 * nothing). The fixes OpsAgent can propose by itself: an OOM-killed container gets twice its memory limit; a
 * Deployment whose new pods fail (image pull, crash loop, configuration, init container) is rolled back to its
 * previous revision when it has one. Anything else is answered with the diagnosis' own fix, to be done by hand.
 */
public final class ProposeFixTool implements Tool {
    private static final Set<Category> ROLLBACK = Set.of(Category.ImagePullError, Category.CrashLoopBackOff,
            Category.ContainerConfigError, Category.InitContainerFailure);
    private static final ToolSpec SPEC = new ToolSpec(ToolNames.PROPOSE_FIX,
            "Propose the fix of a diagnosis finding (default: the workload's root cause) for a human to approve; nothing"
                    + " changes until an approver approves it. OOMKilled: twice the memory limit; failing new pods of a"
                    + " Deployment: a rollback to the previous revision.",
            Schema.object().string("namespace", "namespace; defaults to the session's namespace")
                    .string("name", "workload name; defaults to the session's workload")
                    .string("finding", "the finding id from diagnose (default: the first root cause)").build());

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    public ToolResult call(ObjectNode args, ToolContext c) {
        if (c.actions() == null) return ProposeChangeTool.NO_ACTIONS;
        String ns = args.path("namespace").asText(c.namespace());
        String name = args.path("name").asText(c.workload());
        if (name == null) return ToolResult.error("name is missing: which workload?");
        Diagnosis d;
        try {
            d = c.diagnosis().diagnose(c.snapshot(), ns, name);
        } catch (InputException e) {
            return ToolResult.error(e.getMessage());
        }
        String wanted = args.path("finding").asText(null);
        Optional<Finding> f = d.findings().stream().filter(x -> wanted != null ? wanted.equals(x.id())
                : x.rootCause() && (x.category() == Category.OOMKilled || ROLLBACK.contains(x.category()))).findFirst();
        if (f.isEmpty() && wanted == null) f = d.findings().stream().filter(Finding::rootCause).findFirst();
        if (f.isEmpty()) {
            return ToolResult.error(wanted != null ? "no finding " + wanted + " for " + ns + "/" + name
                    : "the diagnosis of " + ns + "/" + name + " finds nothing to fix");
        }
        Finding finding = f.get();
        try {
            Action a = fix(c, finding);
            if (a == null) {
                return ToolResult.error("OpsAgent cannot propose a change for " + finding.category() + " by itself; the"
                        + " diagnosis' fix, to be done by hand or with propose_change: " + String.join(" / ", finding.remediation()));
            }
            Proposal fix = c.actions().propose(a, ProposeChangeTool.requester(c));
            if (fix.risk().quota().isEmpty()) return ProposeChangeTool.result(fix);
            // the fix needs room the namespace's quota does not have: propose raising the quota too, to approve first
            List<Proposal> all = new java.util.ArrayList<>();
            for (QuotaCheck.Shortfall q : fix.risk().quota()) {
                ObjectNode manifest = ProposeChangeTool.JSON.createObjectNode().put("apiVersion", "v1").put("kind", "ResourceQuota");
                manifest.putObject("metadata").put("name", q.quota()).put("namespace", q.namespace());
                manifest.putObject("spec").putObject("hard").put(q.resource(), q.enough());
                ObjectNode params = ProposeChangeTool.JSON.createObjectNode();
                params.set("manifest", manifest);
                all.add(c.actions().propose(Action.of(ActionKind.APPLY_MANIFEST, q.namespace(), "ResourceQuota", q.quota(), params),
                        ProposeChangeTool.requester(c)));
            }
            all.add(fix);
            return ProposeChangeTool.results(all, "The fix needs more room than the namespace's quota has: approve the quota"
                    + " change first, then the fix.");
        } catch (ActionException e) {
            return ToolResult.error("not proposed: " + e.getMessage());
        }
    }

    private static Action fix(ToolContext c, Finding f) {
        Optional<HasMetadata> w = c.snapshot().find(f.kind(), f.namespace(), f.name());
        if (w.isEmpty()) return null;
        HasMetadata o = w.get();
        if (f.category() == Category.OOMKilled && f.container() != null) {
            PodTemplateSpec t = template(o);
            if (t == null) return null;
            Container ct = t.getSpec().getContainers().stream().filter(x -> x.getName().equals(f.container())).findFirst().orElse(null);
            Quantity limit = ct == null || ct.getResources() == null || ct.getResources().getLimits() == null ? null
                    : ct.getResources().getLimits().get("memory");
            if (limit == null) return null;
            String doubled = mebibytes(Quantity.getAmountInBytes(limit).multiply(BigDecimal.valueOf(2)));
            ObjectNode p = ProposeChangeTool.JSON.createObjectNode().put("container", f.container());
            p.putObject("limits").put("memory", doubled);
            return Action.of(ActionKind.SET_RESOURCES, f.namespace(), o.getKind(), f.name(), p);
        }
        if (ROLLBACK.contains(f.category()) && o instanceof Deployment) {
            return Action.of(ActionKind.ROLLBACK, f.namespace(), "Deployment", f.name(), null);
        }
        return null;
    }

    private static PodTemplateSpec template(HasMetadata o) {
        if (o instanceof Deployment d) return d.getSpec().getTemplate();
        if (o instanceof StatefulSet s) return s.getSpec().getTemplate();
        if (o instanceof DaemonSet s) return s.getSpec().getTemplate();
        return null;
    }

    /** Bytes as {@code 2Gi} when whole gibibytes, else mebibytes rounded up ({@code 1536Mi}). */
    static String mebibytes(BigDecimal bytes) {
        BigDecimal mi = bytes.divide(BigDecimal.valueOf(1024L * 1024), 0, RoundingMode.CEILING);
        return mi.remainder(BigDecimal.valueOf(1024)).signum() == 0 ? mi.divide(BigDecimal.valueOf(1024)).toPlainString() + "Gi"
                : mi.toPlainString() + "Mi";
    }
}
