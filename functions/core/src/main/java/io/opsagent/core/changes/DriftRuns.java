package io.opsagent.core.changes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.opsagent.core.redact.Redactor;
import io.opsagent.core.runs.Run;
import io.opsagent.core.runs.RunStatus;
import io.opsagent.core.runs.RunStore;
import io.opsagent.core.runs.Step;
import io.opsagent.core.runs.StepType;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every drift check as runs (source {@code remediation}) in the Runs dashboard: the check itself, a run of whoever
 * started it (its id the check's: a user's "check now", else OpsAgent's schedule) — with no drift, one step saying
 * how many intended states it compared — and one run per other person whose approval the remediations ran under (the
 * approver of the change that recorded each intended state: the remediation acted as them, so the record is theirs
 * to read), one step per drift with what was found and what was done, the answer a summary. Written whole, once the check's outcomes are known, so no check leaves a run {@code running};
 * the run's id is made from the check's and the user's, so a redelivered step writes nothing twice.
 */
public final class DriftRuns {
    /** The "model" of these runs: no model answered them, the drift remediation did. */
    public static final String MODEL = "drift-remediation";
    private final RunStore runs;
    private final IntendedStateStore intents;
    private final Redactor redactor;
    private final Clock clock;
    private final String owner;

    public DriftRuns(RunStore runs, IntendedStateStore intents, Redactor redactor, Clock clock, String owner) {
        this.runs = runs;
        this.intents = intents;
        this.redactor = redactor;
        this.clock = clock;
        this.owner = owner;
    }

    /**
     * Records the outcomes of check {@code checkId} ({@code [{result, key, type, detail, why, proposalId}]}, or
     * {@code {result: error, item, error}} for a drift whose step failed); returns the runs written.
     */
    public List<Run> record(String checkId, JsonNode outcomes) {
        List<Run> out = new ArrayList<>();
        // the check itself: a run of whoever started it (a user's "check now", else OpsAgent's schedule)
        String starter = starter(checkId);
        List<JsonNode> all = new ArrayList<>();
        outcomes.forEach(all::add);
        if (runs.get(starter, checkId).isEmpty()) out.add(write(checkId, checkId, starter, all));
        Map<String, List<JsonNode>> byUser = new LinkedHashMap<>();
        for (JsonNode o : outcomes) {
            String key = key(o);
            String user = intents.get(key).map(IntendedState::approver).orElse(null);
            if (user != null && !user.equals(starter)) byUser.computeIfAbsent(user, u -> new ArrayList<>()).add(o);
        }
        for (var e : byUser.entrySet()) {
            String user = e.getKey();
            String runId = checkId + "-" + user.replaceAll("[^A-Za-z0-9._-]", "_");
            if (runs.get(user, runId).isPresent()) continue; // written by an earlier delivery of this step
            out.add(write(checkId, runId, user, e.getValue()));
        }
        return out;
    }

    /** A check that found no drift: a run of whoever started it, saying how many intended states it compared. */
    public Run recordNone(String checkId, int intended) {
        String starter = starter(checkId);
        var existing = runs.get(starter, checkId);
        if (existing.isPresent()) return existing.get();
        Instant now = clock.instant();
        Run run = new Run(checkId, starter, "Drift check " + checkId + ": no drift", "remediation", "drift check " + checkId,
                null, null, MODEL, RunStatus.RUNNING, null, 0, 0, 0, 0, now, null, null).ownedBy(owner, now);
        runs.create(run);
        Step step = new Step(checkId, 1, StepType.TOOL_CALL, "check_drift", "{}", "no drift: " + intended + " intended state"
                + (intended == 1 ? "" : "s") + " compared with the live cluster", null, null, now, 0, 0, 0);
        Run done = run.withProgress(1, 0, 0, 0).withStatus(RunStatus.COMPLETED, "Drift check `" + checkId + "`: " + intended
                + " intended state" + (intended == 1 ? "" : "s") + " compared; no drift.", clock.instant(), null);
        runs.finish(done, List.of(step), null, null);
        return done;
    }

    /**
     * Who started check {@code checkId}: the user named after {@code -by-} (a "check now"), else OpsAgent (the
     * schedule; {@link io.opsagent.core.actions.ActionService#SYSTEM}).
     */
    public static String starter(String checkId) {
        int at = checkId.lastIndexOf("-by-");
        return at < 0 ? io.opsagent.core.actions.ActionService.SYSTEM : checkId.substring(at + 4);
    }

    private Run write(String checkId, String runId, String user, List<JsonNode> outcomes) {
        Instant now = clock.instant();
        List<String> targets = outcomes.stream().map(DriftRuns::key).distinct().toList();
        String workload = null;
        if (targets.size() == 1) {
            String[] p = targets.get(0).split("/");
            if (p.length == 3 && !p[1].equals("ConfigMap")) workload = p[0] + "/" + p[2];
        }
        Run run = new Run(runId, user, redactor.redact("Drift check " + checkId + ": " + outcomes.size() + " drift"
                + (outcomes.size() == 1 ? "" : "s") + " from the state your approved changes left"), "remediation",
                "drift check " + checkId, null, workload, MODEL, RunStatus.RUNNING, null, 0, 0, 0, 0, now, null, null)
                .ownedBy(owner, now);
        runs.create(run);
        List<Step> steps = new ArrayList<>();
        StringBuilder answer = new StringBuilder("Drift check `").append(checkId).append("`:\n\n");
        boolean failed = false;
        int n = 0;
        for (JsonNode o : outcomes) {
            String result = o.path("result").asText("error");
            String type = o.has("type") ? o.path("type").asText() : o.path("item").path("type").asText("?");
            String why = o.has("why") ? o.path("why").asText() : o.path("error").path("Cause").asText(o.path("error").toString());
            String tool = switch (result) {
                case "remediated" -> "remediate_drift";
                case "escalated" -> "escalate_drift";
                case "deferred" -> "defer_drift";
                case "gone" -> "check_drift";
                default -> "remediate_drift";
            };
            boolean error = result.equals("error");
            failed |= error;
            String detail = o.path("detail").asText(null);
            var args = JsonNodeFactory.instance.objectNode().put("target", key(o)).put("type", type).put("found", detail);
            if (o.hasNonNull("proposalId")) args.put("proposalId", o.path("proposalId").asText());
            steps.add(new Step(runId, ++n, StepType.TOOL_CALL, tool, redactor.redact(args.toString()),
                    error ? null : redactor.redact(result + ": " + why), null, error ? redactor.redact(why) : null, now, 0, 0, 0));
            answer.append("- **").append(result).append("** ").append(type).append(" drift of `").append(key(o))
                    .append("`: ").append(detail == null ? "" : detail + "; ")
                    .append(result.equals("gone") ? "no longer there when its turn came" : why).append('\n');
        }
        Run done = run.withProgress(n, 0, 0, 0).withStatus(failed ? RunStatus.FAILED : RunStatus.COMPLETED,
                redactor.redact(answer.toString().strip()), clock.instant(), failed ? "a drift's step failed: see its step" : null);
        runs.finish(done, steps, null, null);
        return done;
    }

    private static String key(JsonNode o) {
        return o.has("key") ? o.path("key").asText() : o.path("item").path("key").asText();
    }
}
