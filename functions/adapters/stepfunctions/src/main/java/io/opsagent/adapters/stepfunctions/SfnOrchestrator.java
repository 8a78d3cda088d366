package io.opsagent.adapters.stepfunctions;

import io.opsagent.core.changes.ChangeOrchestrator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryRequest;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

/**
 * {@link ChangeOrchestrator} over Step Functions: the same calls against AWS and against LocalStack's interpreter.
 * Executions are named by the change id (a repeated start is the same execution); the console's view of an
 * execution (states entered and exited, their input, output and errors) is folded from its history.
 */
public final class SfnOrchestrator implements ChangeOrchestrator {
    private final SfnClient sfn;
    private final String stateMachineArn;

    public SfnOrchestrator(SfnClient sfn, String stateMachineArn) {
        this.sfn = sfn;
        this.stateMachineArn = stateMachineArn;
    }

    public String stateMachineArn() {
        return stateMachineArn;
    }

    @Override
    public String start(String changeId, String input) {
        try {
            return sfn.startExecution(r -> r.stateMachineArn(stateMachineArn).name(changeId).input(input)).executionArn();
        } catch (ExecutionAlreadyExistsException e) {
            return executionArn(changeId); // started before (a retried request): the same execution
        }
    }

    @Override
    public void succeed(String token, String output) {
        try {
            sfn.sendTaskSuccess(r -> r.taskToken(token).output(output));
        } catch (InvalidTokenException | TaskDoesNotExistException | TaskTimedOutException e) {
            throw new TokenGone("the step was already answered, timed out or its execution ended: " + e.awsErrorDetails().errorMessage());
        }
    }

    @Override
    public void fail(String token, String error, String cause) {
        try {
            sfn.sendTaskFailure(r -> r.taskToken(token).error(clip(error, 256)).cause(clip(cause, 32768)));
        } catch (InvalidTokenException | TaskDoesNotExistException | TaskTimedOutException e) {
            throw new TokenGone("the step was already answered, timed out or its execution ended: " + e.awsErrorDetails().errorMessage());
        }
    }

    @Override
    public void heartbeat(String token) {
        try {
            sfn.sendTaskHeartbeat(r -> r.taskToken(token));
        } catch (InvalidTokenException | TaskDoesNotExistException | TaskTimedOutException e) {
            throw new TokenGone("the step is no longer waiting: " + e.awsErrorDetails().errorMessage());
        }
    }

    @Override
    public void stop(String changeId, String cause) {
        try {
            sfn.stopExecution(r -> r.executionArn(executionArn(changeId)).error("Change.Cancelled").cause(clip(cause, 32768)));
        } catch (ExecutionDoesNotExistException e) {
            // never started, or already gone
        }
    }

    /** The execution ARN for a change: the state machine's ARN with {@code :stateMachine:} → {@code :execution:}. */
    public String executionArn(String changeId) {
        return stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + changeId;
    }

    @Override
    public Execution describe(String changeId) {
        String arn = executionArn(changeId);
        DescribeExecutionResponse d;
        try {
            d = sfn.describeExecution(r -> r.executionArn(arn));
        } catch (ExecutionDoesNotExistException e) {
            return null;
        }
        List<HistoryEvent> events = new ArrayList<>();
        String next = null;
        do {
            String token = next;
            GetExecutionHistoryResponse h = sfn.getExecutionHistory(GetExecutionHistoryRequest.builder().executionArn(arn)
                    .maxResults(1000).nextToken(token).build());
            events.addAll(h.events());
            next = h.nextToken();
        } while (next != null);
        List<StateRun> runs = fold(events);
        String current = null;
        if ("RUNNING".equals(d.statusAsString()) && !runs.isEmpty() && runs.get(runs.size() - 1).exitedAt() == null) {
            current = runs.get(runs.size() - 1).name();
        }
        return new Execution(arn, d.statusAsString(), current, d.startDate(), d.stopDate(), runs, d.error(), d.cause());
    }

    /** State visits from the history: entered → (task failures, retries) → exited. */
    static List<StateRun> fold(List<HistoryEvent> events) {
        List<StateRun> out = new ArrayList<>();
        Map<String, Object[]> open = new LinkedHashMap<>(); // name → [type, entered, input, error, cause, attempts]
        for (HistoryEvent e : events) {
            switch (e.typeAsString()) {
                case "TaskStateEntered", "ChoiceStateEntered", "PassStateEntered", "SucceedStateEntered",
                        "FailStateEntered", "WaitStateEntered", "ParallelStateEntered", "MapStateEntered" -> {
                    var s = e.stateEnteredEventDetails();
                    open.put(s.name(), new Object[] {e.typeAsString().replace("StateEntered", ""), e.timestamp(),
                            s.input(), null, null, 0});
                    if (e.typeAsString().equals("SucceedStateEntered") || e.typeAsString().equals("FailStateEntered")) {
                        Object[] o = open.remove(s.name());
                        out.add(new StateRun(s.name(), (String) o[0], e.timestamp(), e.timestamp(), s.input(), null,
                                null, null, 0));
                    }
                }
                case "TaskScheduled" -> last(open, 5, (Integer) lastValue(open, 5) + 1);
                case "TaskFailed" -> {
                    last(open, 3, e.taskFailedEventDetails().error());
                    last(open, 4, e.taskFailedEventDetails().cause());
                }
                case "TaskTimedOut" -> {
                    last(open, 3, e.taskTimedOutEventDetails().error());
                    last(open, 4, e.taskTimedOutEventDetails().cause());
                }
                case "TaskStateExited", "ChoiceStateExited", "PassStateExited", "WaitStateExited",
                        "ParallelStateExited", "MapStateExited" -> {
                    var s = e.stateExitedEventDetails();
                    Object[] o = open.remove(s.name());
                    if (o == null) continue;
                    out.add(new StateRun(s.name(), (String) o[0], (Instant) o[1], e.timestamp(), (String) o[2], s.output(),
                            (String) o[3], (String) o[4], (Integer) o[5]));
                }
                default -> {
                }
            }
        }
        for (Map.Entry<String, Object[]> o : open.entrySet()) { // still in it
            Object[] v = o.getValue();
            out.add(new StateRun(o.getKey(), (String) v[0], (Instant) v[1], null, (String) v[2], null, (String) v[3],
                    (String) v[4], (Integer) v[5]));
        }
        return out;
    }

    private static Object lastValue(Map<String, Object[]> open, int i) {
        Object[] o = open.isEmpty() ? null : open.values().stream().reduce((a, b) -> b).orElse(null);
        return o == null ? 0 : o[i];
    }

    private static void last(Map<String, Object[]> open, int i, Object v) {
        if (open.isEmpty()) return;
        open.values().stream().reduce((a, b) -> b).ifPresent(o -> o[i] = v);
    }

    private static String clip(String s, int max) {
        if (s == null) return null;
        return s.length() <= max ? s : s.substring(0, max);
    }
}
