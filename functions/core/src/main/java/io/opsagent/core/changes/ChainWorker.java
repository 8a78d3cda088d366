package io.opsagent.core.changes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsagent.core.actions.ActionService;
import io.opsagent.core.actions.AuditLog;
import io.opsagent.core.actions.AuditRecord;
import java.util.List;
import java.util.function.Consumer;

/**
 * The worker of the state machines: the change chain's steps go to {@link ChangeService#handle}; the drift
 * remediation's ({@code drift-check}, {@code drift-fix}, {@code drift-record}) to {@link DriftService}; the alert
 * investigation's ({@code alert-*}) to its handler. Each answers its task token. One queue, one worker, whatever reads it (the local server; the worker Lambda in AWS).
 */
public final class ChainWorker implements Consumer<ChangeTask> {
    private final ChangeService changes;
    private final DriftService drift;
    private final ChangeOrchestrator answers;
    private final AuditLog audit;

    public ChainWorker(ChangeService changes, DriftService drift, ChangeOrchestrator answers, AuditLog audit) {
        this.changes = changes;
        this.drift = drift;
        this.answers = answers;
        this.audit = audit;
    }

    private volatile DriftRuns runs;

    /** Where a drift check's outcomes are recorded as runs (source {@code remediation}); null: not recorded. */
    public ChainWorker runs(DriftRuns r) {
        this.runs = r;
        return this;
    }

    private volatile Consumer<ChangeTask> alerts;

    /** Who does the alert investigation's steps ({@code alert-*}; {@link io.opsagent.core.alerts.AlertSteps}); returns this. */
    public ChainWorker alerts(Consumer<ChangeTask> steps) {
        this.alerts = steps;
        return this;
    }

    @Override
    public void accept(ChangeTask t) {
        if (t.step().startsWith("alert-")) {
            Consumer<ChangeTask> a = alerts;
            if (a == null) fail(t, "Alert.Failed", "alert investigations are not configured here");
            else a.accept(t);
            return;
        }
        if (!t.step().startsWith("drift-")) {
            changes.handle(t);
            return;
        }
        try {
            if (drift == null) {
                fail(t, "Change.Failed", "drift remediation is not configured here");
                return;
            }
            switch (t.step()) {
                case "drift-check" -> {
                    List<DriftService.Drift> found = drift.detect();
                    ObjectNode out = JsonNodeFactory.instance.objectNode().put("count", found.size());
                    ArrayNode items = out.putArray("items");
                    found.forEach(d -> items.add(DriftService.item(d)));
                    DriftRuns r = runs;
                    if (r != null && found.isEmpty()) r.recordNone(t.changeId(), drift.intended());
                    succeed(t, out);
                }
                case "drift-fix" -> {
                    JsonNode item = t.item() == null ? JsonNodeFactory.instance.objectNode() : t.item();
                    var d = drift.find(item);
                    if (d.isEmpty()) {
                        succeed(t, JsonNodeFactory.instance.objectNode().put("result", "gone").put("key", item.path("key").asText()));
                        return;
                    }
                    DriftService.Outcome o = drift.remediate(d.get());
                    succeed(t, JsonNodeFactory.instance.objectNode().put("result", o.result()).put("key", d.get().intent().key())
                            .put("type", o.drift().type()).put("detail", o.drift().detail()).put("why", o.why())
                            .put("proposalId", o.proposalId()));
                }
                case "drift-record" -> {
                    int n = t.item() == null ? 0 : t.item().size();
                    audit.append(new AuditRecord.Entry("drift-checked", ActionService.SYSTEM, null, null, null,
                            AuditRecord.detail("check", t.changeId(), "drift", n, "outcomes", t.item())));
                    DriftRuns r = runs;
                    if (r != null && t.item() != null) r.record(t.changeId(), t.item());
                    succeed(t, JsonNodeFactory.instance.objectNode().put("recorded", n));
                }
                default -> fail(t, "Change.Failed", "unknown step " + t.step());
            }
        } catch (RuntimeException e) {
            fail(t, "Change.Transient", t.step() + " failed: " + e);
        }
    }

    private void succeed(ChangeTask t, JsonNode out) {
        try {
            answers.succeed(t.token(), out.toString());
        } catch (ChangeOrchestrator.TokenGone gone) {
            // answered or timed out already
        }
    }

    private void fail(ChangeTask t, String error, String cause) {
        try {
            answers.fail(t.token(), error, cause);
        } catch (ChangeOrchestrator.TokenGone gone) {
            // nothing waits for it
        }
    }
}
