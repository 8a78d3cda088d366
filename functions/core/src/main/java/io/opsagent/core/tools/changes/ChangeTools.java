package io.opsagent.core.tools.changes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsagent.core.actions.ActionException;
import io.opsagent.core.actions.ActionService;
import io.opsagent.core.actions.Proposal;
import io.opsagent.core.actions.ProposalStatus;
import io.opsagent.core.changes.Change;
import io.opsagent.core.tools.Schema;
import io.opsagent.core.tools.Tool;
import io.opsagent.core.tools.ToolContext;
import io.opsagent.core.tools.ToolNames;
import io.opsagent.core.tools.ToolResult;
import io.opsagent.core.tools.ToolSpec;
import java.util.List;

/**
 * The approvals and changes tools: what waits for a human's decision, the changes going through the change chain,
 * and cancelling one (its requester or approver only; cancelling changes nothing in the cluster). None of them can
 * approve anything: no hash or task token is in what they return.
 */
public final class ChangeTools {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ChangeTools() {
    }

    /** The read tools (with write actions) and cancel_change (with the change chain). */
    public static List<Tool> all() {
        return List.of(new ListApprovals(), new ListChanges(), new CancelChange(), new SubmitChange());
    }

    /** {@code list_approvals}: the proposals waiting for a decision, the session's workload's first. */
    static final class ListApprovals implements Tool {
        private static final ToolSpec SPEC = new ToolSpec(ToolNames.LIST_APPROVALS,
                "List the change proposals waiting for a human's approval (what, risk, who asked, when it expires, and"
                        + " whether the user may approve it). Approving happens in OpsAgent's Approvals page, not here.",
                Schema.object().bool("all", "every namespace, not only the session's").build());

        @Override
        public ToolSpec spec() {
            return SPEC;
        }

        @Override
        public ToolResult call(ObjectNode args, ToolContext c) {
            if (c.actions() == null) return ToolResult.error("nothing can be changed here (a dump or pasted evidence): no approvals");
            boolean all = args.path("all").asBoolean(false);
            List<Proposal> pending = c.actions().list(ProposalStatus.PENDING, 200).stream()
                    .filter(p -> all || c.namespace() == null || c.namespace().equals(p.action().namespace())).toList();
            StringBuilder sb = new StringBuilder();
            ArrayNode ids = JSON.createArrayNode();
            sb.append(pending.isEmpty() ? "No proposal waits for an approval" + (all || c.namespace() == null ? "" : " in " + c.namespace())
                    + ".\n" : pending.size() + " proposal" + (pending.size() == 1 ? " waits" : "s wait") + " for an approval:\n");
            for (Proposal p : pending) {
                String why = c.actions().policy().refusal(p, c.user(), List.of(), true);
                sb.append("- ").append(p.id()).append(": ").append(p.action().summary()).append(" (risk ").append(p.risk().level())
                        .append(", asked by ").append(p.requester()).append(", expires ").append(p.expiresAt()).append(")")
                        .append(why == null ? "; you may approve it" : "; you may not approve it: " + why).append('\n');
                ids.add(p.id());
            }
            ObjectNode data = JSON.createObjectNode();
            data.set("proposalIds", ids);
            return ToolResult.ok(sb.toString(), pending.size() + " pending", data, List.of());
        }
    }

    /** {@code list_changes}: the change chain's changes, those still running first. */
    static final class ListChanges implements Tool {
        private static final ToolSpec SPEC = new ToolSpec(ToolNames.LIST_CHANGES,
                "List the changes going through the change chain (validate, evidence, approval, execute, monitor,"
                        + " rollback): status, where each is, why it ended. running: only those not ended.",
                Schema.object().bool("running", "only the changes still running").bool("all", "every workload, not only the"
                        + " session's").build());

        @Override
        public ToolSpec spec() {
            return SPEC;
        }

        @Override
        public ToolResult call(ObjectNode args, ToolContext c) {
            if (c.changes() == null) return ToolResult.error("the change chain is not running here");
            boolean running = args.path("running").asBoolean(false);
            boolean all = args.path("all").asBoolean(false);
            List<Change> list = c.changes().list(200).stream()
                    .filter(x -> !running || !x.ended())
                    .filter(x -> all || c.workload() == null || c.workload().equals(x.action().name())
                            && (c.namespace() == null || c.namespace().equals(x.action().namespace())))
                    .limit(20).toList();
            StringBuilder sb = new StringBuilder(list.isEmpty() ? "No " + (running ? "running " : "") + "changes"
                    + (all || c.workload() == null ? "" : " of " + c.namespace() + "/" + c.workload()) + ".\n" : "");
            for (Change x : list) {
                sb.append("- ").append(x.id()).append(" [").append(x.status()).append("] ").append(x.action().summary())
                        .append(", asked by ").append(x.requester()).append(x.approver() == null ? "" : ", approved by " + x.approver())
                        .append(": ").append(x.detail()).append('\n');
            }
            ObjectNode data = JSON.createObjectNode();
            ArrayNode ids = data.putArray("changeIds");
            list.forEach(x -> ids.add(x.id()));
            return ToolResult.ok(sb.toString(), list.size() + " changes", data, List.of());
        }
    }

    /** {@code cancel_change}: stops a change's chain (no cluster change; what was executed stays). */
    static final class CancelChange implements Tool {
        private static final ToolSpec SPEC = new ToolSpec(ToolNames.CANCEL_CHANGE,
                "Cancel a change that has not ended: its chain stops and a proposal still waiting is withdrawn. Only the"
                        + " change's requester or approver may. Nothing in the cluster changes; what was already executed"
                        + " stays (roll it back with propose_change rollback). id: the change; without it, the session"
                        + " workload's one running change.",
                Schema.object().string("id", "the change id (chg-…)").string("reason", "why").build());

        @Override
        public ToolSpec spec() {
            return SPEC;
        }

        @Override
        public ToolResult call(ObjectNode args, ToolContext c) {
            if (c.changes() == null) return ToolResult.error("the change chain is not running here");
            String id = args.path("id").asText("").strip();
            if (id.isEmpty()) {
                List<Change> running = c.changes().list(200).stream().filter(x -> !x.ended())
                        .filter(x -> c.workload() != null && c.workload().equals(x.action().name())
                                && (c.namespace() == null || c.namespace().equals(x.action().namespace()))).toList();
                if (running.size() != 1) {
                    return ToolResult.error(running.isEmpty() ? "no change of this workload is running"
                            : "several changes of this workload are running: " + running.stream().map(Change::id).toList() + "; name one");
                }
                id = running.get(0).id();
            }
            try {
                Change done = c.changes().cancel(id, new ActionService.Requester(c.user(), List.of(), c.runId(), c.sessionId(),
                        c.runId()), args.path("reason").asText(null));
                ObjectNode data = JSON.createObjectNode().put("changeId", done.id()).put("status", done.status());
                return ToolResult.ok("Change " + done.id() + " (" + done.action().summary() + ") is " + done.detail() + ".\n",
                        "cancelled " + done.id(), data, List.of());
            } catch (ActionException e) {
                return ToolResult.error("not cancelled: " + e.getMessage());
            }
        }
    }

    /**
     * {@code submit_change}: runs one of the user's pending proposals through the change chain instead (validated,
     * fresh evidence, a human's approval, executed as the approver, monitored, rolled back on failure). It changes
     * nothing in the cluster by itself.
     */
    static final class SubmitChange implements Tool {
        private static final ToolSpec SPEC = new ToolSpec(ToolNames.SUBMIT_CHANGE,
                "Submit one of the user's pending proposals (from propose_change or propose_fix) as a change: it is then"
                        + " validated against policy and change windows, its evidence gathered again, approved by a human,"
                        + " executed as them, monitored, and rolled back if its analysis fails. Nothing changes until a"
                        + " human approves. Only the proposal's requester may.",
                Schema.object().string("proposalId", "the pending proposal (act-…)").require("proposalId").build());

        @Override
        public ToolSpec spec() {
            return SPEC;
        }

        @Override
        public ToolResult call(ObjectNode args, ToolContext c) {
            if (c.changes() == null) return ToolResult.error("the change chain is not running here");
            String id = args.path("proposalId").asText("").strip();
            if (!id.matches("act-[0-9a-f]{12}")) return ToolResult.error("proposalId must be a proposal id such as act-0123456789ab");
            try {
                Change ch = c.changes().submitProposal(id, new ActionService.Requester(c.user(), List.of(), c.runId(),
                        c.sessionId(), c.runId()));
                ObjectNode data = JSON.createObjectNode().put("changeId", ch.id()).put("status", ch.status());
                return ToolResult.ok("Proposal " + id + " is now change " + ch.id() + " (" + ch.action().summary()
                        + "): it is being validated; it waits for an approver on the Changes page, and nothing changes"
                        + " before one approves.\n", "submitted " + ch.id(), data, List.of());
            } catch (ActionException e) {
                return ToolResult.error("not submitted: " + e.getMessage());
            }
        }
    }
}
