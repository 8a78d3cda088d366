package io.opsagent.core.tools.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsagent.core.actions.Action;
import io.opsagent.core.actions.ActionException;
import io.opsagent.core.actions.ActionKind;
import io.opsagent.core.actions.ActionService;
import io.opsagent.core.actions.FieldChange;
import io.opsagent.core.actions.Proposal;
import io.opsagent.core.tools.Schema;
import io.opsagent.core.tools.Tool;
import io.opsagent.core.tools.ToolContext;
import io.opsagent.core.tools.ToolNames;
import io.opsagent.core.tools.ToolResult;
import io.opsagent.core.tools.ToolSpec;
import java.util.Arrays;
import java.util.List;

/**
 * {@code propose_change}: proposes one change for a human to approve. It changes nothing: the proposal is stored
 * with the API server's dry run of it, and waits for an approver, who sees the diff and approves its hash. The result
 * the model gets says what was proposed and that it waits; it never holds the hash, so nothing the model writes can
 * approve it.
 */
public final class ProposeChangeTool implements Tool {
    private static final ToolSpec SPEC = new ToolSpec(ToolNames.PROPOSE_CHANGE,
            "Propose one change to the cluster for a human to approve. Nothing changes until an approver approves it in"
                    + " OpsAgent. action: scale {replicas}, restart {}, rollback {revision?}, set-image {container, image},"
                    + " set-resources {container, requests?: {cpu?, memory?}, limits?: {cpu?, memory?}},"
                    + " patch-configmap {key, value (null removes)}, delete-pod {}, apply-manifest {manifest}."
                    + " Returns the proposal with the server's dry-run diff, blast radius and risk.",
            Schema.object()
                    .enumeration("action", "the change", Arrays.stream(ActionKind.values()).map(ActionKind::id).toArray(String[]::new))
                    .string("namespace", "namespace; defaults to the session's namespace")
                    .string("kind", "the target's kind (Deployment, StatefulSet, DaemonSet, ConfigMap, Pod, or the manifest's"
                            + " kind); default Deployment")
                    .string("name", "the target's name; defaults to the session's workload")
                    .object("params", "the action's parameters, see the description")
                    .require("action").build());

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    public ToolResult call(ObjectNode args, ToolContext c) {
        if (c.actions() == null) return NO_ACTIONS;
        ActionKind kind;
        try {
            kind = ActionKind.of(args.path("action").asText(null));
        } catch (ActionException e) {
            return ToolResult.error(e.getMessage());
        }
        String ns = text(args, "namespace", c.namespace());
        String name = text(args, "name", c.workload());
        String targetKind = text(args, "kind", defaultKind(kind, c));
        if (name == null) return ToolResult.error("name is missing: which " + targetKind + "?");
        ObjectNode params = args.get("params") instanceof ObjectNode o ? o.deepCopy() : JSON.createObjectNode();
        if ((kind == ActionKind.SET_IMAGE || kind == ActionKind.SET_RESOURCES) && !params.has("container")) {
            // the workload's only container, when it has one
            List<String> names = c.snapshot().find(targetKind, ns, name).map(ProposeChangeTool::containers).orElse(List.of());
            if (names.size() != 1) {
                return ToolResult.error("params.container is missing: " + targetKind + " " + ns + "/" + name
                        + (names.isEmpty() ? " was not found" : " has containers " + names + "; name one"));
            }
            params.put("container", names.get(0));
        }
        if (kind == ActionKind.RESTART && !params.has("restartedAt")) {
            params.put("restartedAt", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        }
        try {
            Action a = Action.of(kind, ns, targetKind, name, params.isEmpty() && kind == ActionKind.ROLLBACK ? null : params);
            return result(c.actions().propose(a, requester(c)));
        } catch (ActionException e) {
            return ToolResult.error("not proposed: " + e.getMessage());
        }
    }

    static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    /** What a write tool answers where the cluster cannot be changed (a dump, pasted evidence). */
    static final ToolResult NO_ACTIONS = ToolResult.error("this OpsAgent reads a dump or pasted evidence: nothing can be"
            + " changed; give the commands from the diagnosis instead");
    private static final java.util.regex.Pattern PROPOSED = java.util.regex.Pattern.compile("^proposed ((?:act-[0-9a-f]{12}(?:, )?)+): ");

    /** The proposal ids a write tool's summary names ({@code proposed act-…, act-…: …}), in order; none: not a proposal. */
    public static List<String> proposalIdsIn(String summary) {
        if (summary == null) return List.of();
        java.util.regex.Matcher m = PROPOSED.matcher(summary);
        return m.find() ? List.of(m.group(1).split(", ")) : List.of();
    }

    private static List<String> containers(io.fabric8.kubernetes.api.model.HasMetadata o) {
        io.fabric8.kubernetes.api.model.PodTemplateSpec t = o instanceof io.fabric8.kubernetes.api.model.apps.Deployment d
                ? d.getSpec().getTemplate() : o instanceof io.fabric8.kubernetes.api.model.apps.StatefulSet st
                ? st.getSpec().getTemplate() : o instanceof io.fabric8.kubernetes.api.model.apps.DaemonSet ds
                ? ds.getSpec().getTemplate() : null;
        return t == null ? List.of() : t.getSpec().getContainers().stream().map(io.fabric8.kubernetes.api.model.Container::getName).toList();
    }

    static ActionService.Requester requester(ToolContext c) {
        return new ActionService.Requester(c.user(), List.of(), c.runId(), c.sessionId(), c.runId());
    }

    private static String defaultKind(ActionKind k, ToolContext c) {
        return switch (k) {
            case PATCH_CONFIGMAP -> "ConfigMap";
            case DELETE_POD -> "Pod";
            default -> c.workloadKind() != null && List.of("Deployment", "StatefulSet", "DaemonSet")
                    .contains(capital(c.workloadKind())) ? capital(c.workloadKind()) : "Deployment";
        };
    }

    private static String capital(String k) {
        String v = k.toLowerCase(java.util.Locale.ROOT);
        return switch (v) {
            case "deployment", "deploy" -> "Deployment";
            case "statefulset", "sts" -> "StatefulSet";
            case "daemonset", "ds" -> "DaemonSet";
            default -> k;
        };
    }

    private static String text(ObjectNode a, String f, String dflt) {
        JsonNode v = a.get(f);
        return v == null || v.isNull() || v.asText().isBlank() ? dflt : v.asText().strip();
    }

    /**
     * What the model (and the chat) is told: the proposal, its diff, risk and blast radius, and that it waits for a
     * human. The data carries the proposal's id for the UI's approval card, not its hash.
     */
    static ToolResult results(List<Proposal> ps, String note) {
        StringBuilder sb = new StringBuilder(note).append('\n');
        ObjectNode data = JSON.createObjectNode();
        var ids = data.putArray("proposalIds");
        for (Proposal p : ps) {
            sb.append('\n').append(result(p).text());
            ids.add(p.id());
        }
        return ToolResult.ok(sb.toString(), "proposed " + String.join(", ", ps.stream().map(Proposal::id).toList()) + ": "
                + String.join("; ", ps.stream().map(p -> p.action().kind().id() + " " + p.action().target()).toList())
                + " (awaiting approval)", data, List.of());
    }

    static ToolResult result(Proposal p) {
        StringBuilder sb = new StringBuilder();
        sb.append("Proposed ").append(p.id()).append(" (status ").append(p.status().id())
                .append("): ").append(p.action().summary()).append('\n');
        sb.append("Nothing has changed. It waits for a human to approve it in OpsAgent (approval card, Pending approvals,")
                .append(" ./opsagent actions approve); it expires at ").append(p.expiresAt()).append(".\n");
        if (!p.dryRun().ok()) sb.append("The API server refused its dry run: ").append(p.dryRun().error()).append('\n');
        for (FieldChange ch : p.dryRun().diff()) sb.append("  change: ").append(ch.text()).append('\n');
        sb.append("Risk: ").append(p.risk().level()).append(" (").append(String.join("; ", p.risk().reasons())).append(")");
        if (p.risk().twoApprovers()) sb.append("; needs two approvers");
        sb.append('\n');
        if (!p.blast().podsRestarting().isEmpty()) {
            sb.append("Pods replaced: ").append(String.join(", ", p.blast().podsRestarting())).append('\n');
        }
        if (p.cost() != null) sb.append("Cost: ").append(p.cost().text()).append('\n');
        ObjectNode data = JSON.createObjectNode();
        data.put("proposalId", p.id()).put("status", p.status().id()).put("summary", p.action().summary())
                .put("risk", p.risk().level());
        return ToolResult.ok(sb.toString(), "proposed " + p.id() + ": " + p.action().kind().id() + " " + p.action().target()
                + " (awaiting approval)", data, List.of());
    }
}
