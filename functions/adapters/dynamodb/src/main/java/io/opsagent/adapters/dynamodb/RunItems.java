package io.opsagent.adapters.dynamodb;

import static io.opsagent.adapters.dynamodb.Items.put;
import static io.opsagent.adapters.dynamodb.Items.putText;
import static io.opsagent.adapters.dynamodb.Items.s;

import io.opsagent.core.runs.Run;
import io.opsagent.core.runs.RunStatus;
import io.opsagent.core.runs.Step;
import io.opsagent.core.runs.StepType;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Maps runs and steps to items of the runs table and back. Texts are capped by {@link TextCap}. */
final class RunItems {
    static final String RUN_PREFIX = "RUN#";
    static final String RUN_SK = "RUN";
    static final String STEP_PREFIX = "STEP#";
    static final String USER_PREFIX = "USER#";

    private RunItems() {
    }

    static String pk(String runId) {
        return RUN_PREFIX + runId;
    }

    static Map<String, AttributeValue> runKey(String runId) {
        return Map.of(Schema.PK, s(pk(runId)), Schema.SK, s(RUN_SK));
    }

    static Map<String, AttributeValue> stepKey(String runId, int number) {
        return Map.of(Schema.PK, s(pk(runId)), Schema.SK, s(STEP_PREFIX + Items.padded(number)));
    }

    static String userPartition(String user) {
        return USER_PREFIX + user;
    }

    static String userStatusPartition(String user, RunStatus status) {
        return USER_PREFIX + user + "#STATUS#" + status.json();
    }

    static Map<String, AttributeValue> toItem(Run run) {
        Map<String, AttributeValue> item = new HashMap<>(runKey(run.id()));
        put(item, "id", run.id());
        put(item, "user", run.user());
        putText(item, "task", run.task());
        put(item, "source", run.source());
        put(item, "triggeredBy", run.triggeredBy());
        put(item, "sessionId", run.sessionId());
        put(item, "workload", run.workload());
        put(item, "model", run.model());
        put(item, "status", run.status().json());
        putText(item, "finalAnswer", run.finalAnswer());
        item.put("steps", Items.n(run.steps()));
        item.put("inputTokens", Items.n(run.inputTokens()));
        item.put("outputTokens", Items.n(run.outputTokens()));
        item.put("cost", Items.n(run.cost()));
        put(item, "started", run.started());
        put(item, "completed", run.completed());
        if (run.durationMs() != null) {
            item.put("durationMs", Items.n(run.durationMs()));
        }
        putText(item, "error", run.error());
        put(item, "owner", run.owner());
        put(item, "heartbeat", run.heartbeat());
        String timeKey = Items.timeKey(run.started(), run.id());
        item.put(Schema.GSI1_PK, s(userPartition(run.user())));
        item.put(Schema.GSI1_SK, s(timeKey));
        item.put(Schema.GSI2_PK, s(userStatusPartition(run.user(), run.status())));
        item.put(Schema.GSI2_SK, s(timeKey));
        return item;
    }

    static Run toRun(Map<String, AttributeValue> item) {
        return new Run(Items.str(item, "id"), Items.str(item, "user"), Items.str(item, "task"),
                Items.str(item, "source"), Items.str(item, "triggeredBy"), Items.str(item, "sessionId"),
                Items.str(item, "workload"), Items.str(item, "model"), RunStatus.parse(Items.str(item, "status")),
                Items.str(item, "finalAnswer"), (int) Items.num(item, "steps"), Items.num(item, "inputTokens"),
                Items.num(item, "outputTokens"), Items.dbl(item, "cost"), Items.instant(item, "started"),
                Items.instant(item, "completed"), Items.str(item, "error"), Items.str(item, "owner"),
                Items.instant(item, "heartbeat"));
    }

    /** The partition of the live-run markers: one item per running run, so a sweep needs no Scan. */
    static final String LIVE_PK = "LIVE#RUNS";

    static Map<String, AttributeValue> liveKey(String runId) {
        return Map.of(Schema.PK, s(LIVE_PK), Schema.SK, s(RUN_PREFIX + runId));
    }

    static Map<String, AttributeValue> liveItem(Run run) {
        Map<String, AttributeValue> item = new HashMap<>(liveKey(run.id()));
        put(item, "id", run.id());
        put(item, "user", run.user());
        put(item, "started", run.started());
        return item;
    }

    static Map<String, AttributeValue> toItem(Step step) {
        Map<String, AttributeValue> item = new HashMap<>(stepKey(step.runId(), step.number()));
        put(item, "runId", step.runId());
        item.put("number", Items.n(step.number()));
        put(item, "type", step.type().json());
        put(item, "toolName", step.toolName());
        putText(item, "args", step.args());
        putText(item, "result", step.result());
        putText(item, "text", step.text());
        putText(item, "error", step.error());
        put(item, "started", step.started());
        item.put("durationMs", Items.n(step.durationMs()));
        item.put("inputTokens", Items.n(step.inputTokens()));
        item.put("outputTokens", Items.n(step.outputTokens()));
        return item;
    }

    static Step toStep(Map<String, AttributeValue> item) {
        return new Step(Items.str(item, "runId"), (int) Items.num(item, "number"),
                StepType.valueOf(Items.str(item, "type").toUpperCase(java.util.Locale.ROOT)),
                Items.str(item, "toolName"), Items.str(item, "args"), Items.str(item, "result"),
                Items.str(item, "text"), Items.str(item, "error"), Items.instant(item, "started"),
                Items.num(item, "durationMs"), Items.num(item, "inputTokens"), Items.num(item, "outputTokens"));
    }
}
