package io.opsagent.core.alerts;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsagent.core.notify.Notification;
import io.opsagent.core.notify.Notifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Alerts in, investigations out. Every alert is recorded once (a delivery repeated any number of times is one
 * record); a firing alert opens an episode, or attaches to its open one (a re-fire), or — within {@link Policy#group()}
 * of another episode of the same workload — is grouped with it; a new episode starts one investigation (an agent run
 * of {@link Policy#owner()}, source {@code alert}, from the alert's template) unless the workload had
 * {@link Policy#perWorkloadPerHour()} already, which is recorded as skipped; a resolved alert closes its episode.
 */
public final class AlertService {
    private static final Logger LOG = Logger.getLogger(AlertService.class.getName());

    /**
     * @param owner               whose runs the investigations are (they are read by that user)
     * @param group               a firing alert about a workload with an episode opened this recently joins it
     * @param perWorkloadPerHour  investigations per workload per hour; more are recorded as skipped
     */
    public record Policy(String owner, Duration group, int perWorkloadPerHour) {
        public static final Policy LOCAL = new Policy("dev", Duration.ofMinutes(10), 3);
    }

    /** What one delivery did: counts, and per alert what happened. */
    public record Intake(int received, int duplicates, int opened, int attached, int grouped, int investigated,
                         int skipped, int resolved, int truncated, List<String> outcomes) {
        public ObjectNode toJson() {
            ObjectNode o = JsonNodeFactory.instance.objectNode().put("received", received).put("duplicates", duplicates)
                    .put("opened", opened).put("attached", attached).put("grouped", grouped).put("investigated", investigated)
                    .put("skipped", skipped).put("resolved", resolved).put("truncated", truncated);
            ArrayNode a = o.putArray("outcomes");
            outcomes.forEach(a::add);
            return o;
        }
    }

    private final AlertStore store;
    private final AlertTemplates templates;
    private final Clock clock;
    private volatile AlertInvestigator investigator;
    private volatile Notifier notifier = Notifier.NONE;
    private volatile String webUrl;
    private volatile Policy policy;

    public AlertService(AlertStore store, AlertTemplates templates, Policy policy, Clock clock) {
        this.store = store;
        this.templates = templates;
        this.policy = policy;
        this.clock = clock;
    }

    private volatile io.opsagent.core.changes.ChangeOrchestrator machine;

    /**
     * Runs each new episode's investigation as an execution of {@code statemachines/investigation.asl.json} (intake,
     * investigate, deliver; {@link AlertSteps} does its steps) instead of in-process; null: in-process. An execution
     * that cannot start falls back to the in-process investigation, so no alert goes uninvestigated.
     */
    public void machine(io.opsagent.core.changes.ChangeOrchestrator m) {
        this.machine = m;
    }

    public io.opsagent.core.changes.ChangeOrchestrator machine() {
        return machine;
    }

    public void investigator(AlertInvestigator i) {
        this.investigator = i;
    }

    public AlertInvestigator investigator() {
        return investigator;
    }

    public void notifier(Notifier n, String web) {
        this.notifier = n == null ? Notifier.NONE : n;
        this.webUrl = web == null || web.isBlank() ? null : web.replaceAll("/+$", "");
    }

    public void policy(Policy p) {
        this.policy = p;
    }

    public Policy policy() {
        return policy;
    }

    public AlertStore store() {
        return store;
    }

    public AlertTemplates templates() {
        return templates;
    }

    /** Takes one delivery's alerts (in order: a resolve after its fire in the same delivery closes it). */
    public synchronized Intake intake(AlertPayloads.Delivery d) {
        int dup = 0, opened = 0, attached = 0, grouped = 0, investigated = 0, skipped = 0, resolved = 0;
        List<String> outcomes = new ArrayList<>();
        Instant now = clock.instant();
        for (Alert a : d.alerts()) {
            if (!store.add(a, now)) {
                dup++;
                outcomes.add(a.name() + ": duplicate (recorded before)");
                continue;
            }
            Optional<Episode> open = store.openEpisode(a.episode());
            if (!a.firing()) {
                if (open.isPresent()) {
                    Episode closed = replace(open.get(), open.get().attached().resolved(now));
                    resolved++;
                    outcomes.add(a.name() + ": resolved episode " + closed.id());
                    tell(closed, "alert-resolved", "Alert " + a.name() + " resolved", "Resolved at " + now + ".");
                } else {
                    outcomes.add(a.name() + ": resolved, no open episode (recorded)");
                }
                continue;
            }
            if (open.isPresent()) {
                replace(open.get(), open.get().attached());
                attached++;
                outcomes.add(a.name() + ": re-fire, attached to episode " + open.get().id());
                continue;
            }
            AlertTemplates.Template t = templates.forAlert(a.name());
            String workload = t.workload(a);
            Episode burst = workload == null ? null : store.ofWorkload(workload, now.minus(policy.group())).stream()
                    .filter(Episode::open).filter(e -> e.groupedInto() == null).findFirst().orElse(null);
            String id = "alr-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            Episode e = new Episode(id, a.episode(), a.name(), workload, "open", now, null, 1, null,
                    burst == null ? null : burst.id(), burst == null ? "opened" : "grouped with " + burst.id(), a.summary(), 0);
            Episode stored = store.open(e);
            if (!stored.id().equals(id)) { // another delivery opened it meanwhile
                replace(stored, stored.attached());
                attached++;
                outcomes.add(a.name() + ": re-fire, attached to episode " + stored.id());
                continue;
            }
            opened++;
            if (burst != null) {
                grouped++;
                replace(stored, stored.investigated(burst.runId(), "grouped with " + burst.id() + " (one investigation per burst)"));
                outcomes.add(a.name() + ": episode " + id + " grouped with " + burst.id());
                continue;
            }
            long recent = workload == null ? 0 : store.ofWorkload(workload, now.minus(Duration.ofHours(1))).stream()
                    .filter(x -> x.groupedInto() == null && (x.runId() != null || started(x))).count();
            if (recent >= policy.perWorkloadPerHour()) {
                skipped++;
                replace(stored, stored.investigated(null, "skipped: " + recent + " investigations of " + workload
                        + " in the last hour (the cap is " + policy.perWorkloadPerHour() + ")"));
                outcomes.add(a.name() + ": episode " + id + " not investigated (cap)");
                continue;
            }
            Episode done = machine != null ? start(stored, a, t, workload) : investigate(stored, a, t, workload);
            if (done.runId() != null || started(done)) investigated++;
            outcomes.add(a.name() + ": episode " + id + " " + done.decision());
        }
        return new Intake(d.alerts().size(), dup, opened, attached, grouped, investigated, skipped, resolved, d.truncated(), outcomes);
    }

    private static final String STARTED = "investigation started: execution ";

    /** Whether {@code e}'s investigation was handed to the state machine (its run not open yet). */
    static boolean started(Episode e) {
        return e.decision() != null && e.decision().startsWith(STARTED);
    }

    /** Starts the investigation machine for a new episode; in-process when it cannot start. */
    private Episode start(Episode e, Alert a, AlertTemplates.Template t, String workload) {
        AlertInvestigator inv = investigator;
        if (inv == null || workload == null) return investigate(e, a, t, workload); // records why not
        ObjectNode input = JsonNodeFactory.instance.objectNode().put("episodeId", e.id()).put("correlationId", e.id());
        input.putObject("request").put("workload", workload).put("alert", a.name())
                .put("question", t.question(a, workload, templates.sections(), inv::offers));
        try {
            machine.start(e.id(), input.toString());
        } catch (RuntimeException ex) {
            LOG.log(Level.WARNING, "episode " + e.id() + ": the investigation machine did not start (" + ex
                    + "); investigating in-process");
            return investigate(e, a, t, workload);
        }
        Episode next = replace(e, e.investigated(null, STARTED + e.id()));
        tell(next, "alert-investigating", "Alert " + a.name() + " fired: investigating", (a.summary() == null
                ? "" : a.summary() + "\n") + "Investigation of " + workload + " started.");
        return next;
    }

    /**
     * The machine's {@code alert-intake} step: whether episode {@code id} still needs its investigation (open, no run
     * yet), and why not.
     */
    public ObjectNode intakeStep(String id) {
        Episode e = store.get(id).orElseThrow(() -> new IllegalArgumentException("no episode " + id));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (!e.open()) return out.put("investigate", false).put("why", "resolved before its investigation started");
        if (e.runId() != null) return out.put("investigate", false).put("why", "investigated already by run " + e.runId());
        return out.put("investigate", true).put("why", "open, not investigated yet");
    }

    /**
     * The machine's {@code alert-investigate} step: opens the run about {@code workload} (else its namespace) with
     * {@code question}; {@code ended} is told {@code (runId, status)} when it ends. Returns the run id.
     *
     * @throws IllegalStateException naming why no run could be opened (recorded on the episode)
     */
    public String investigateStep(String id, String workload, String question, java.util.function.BiConsumer<String, String> ended) {
        Episode e = store.get(id).orElseThrow(() -> new IllegalArgumentException("no episode " + id));
        if (e.runId() != null) { // an earlier attempt opened it
            ended.accept(e.runId(), "opened before");
            return e.runId();
        }
        AlertInvestigator inv = investigator;
        if (inv == null) throw notInvestigated(e, "no engine here");
        String why = null;
        for (String subject : subjects(workload)) {
            try {
                String[] run = new String[1];
                java.util.concurrent.CountDownLatch known = new java.util.concurrent.CountDownLatch(1);
                run[0] = inv.open(policy.owner(), subject, question, (status, answer) -> {
                    try {
                        known.await(30, java.util.concurrent.TimeUnit.SECONDS); // the id is recorded first
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                    }
                    Episode now = store.get(id).orElse(null);
                    if (now != null) replace(now, now.investigated(run[0], "investigated: the run ended " + status));
                    ended.accept(run[0], status);
                });
                replace(store.get(id).orElse(e), e.investigated(run[0], "investigating (run " + run[0] + ")"));
                known.countDown();
                return run[0];
            } catch (RuntimeException ex) {
                why = ex.getMessage();
            }
        }
        throw notInvestigated(e, String.valueOf(why));
    }

    /** What an investigation is about: the alert's workload, else (not in the cluster) its whole namespace. */
    private static List<String> subjects(String workload) {
        return workload == null ? List.of() : List.of(workload, workload.split("/")[0] + "/*");
    }

    private IllegalStateException notInvestigated(Episode e, String why) {
        replace(e, e.investigated(null, "not investigated: " + why));
        return new IllegalStateException("not investigated: " + why);
    }

    /**
     * The machine's {@code alert-notify} step: the findings of episode {@code id}'s run ({@code answers}: a run's final
     * answer by its id), or why there are none, go to the sinks; where they went is recorded.
     *
     * @throws RuntimeException when a sink failed (recorded; the machine retries, then dead-letters)
     */
    public String notifyStep(String id, java.util.function.Function<String, String> answers) {
        Episode e = store.get(id).orElseThrow(() -> new IllegalArgumentException("no episode " + id));
        String findings = e.runId() == null
                ? "The alert fired on " + (e.workload() == null ? "the cluster" : e.workload()) + " and was not investigated ("
                + e.decision() + ")."
                : answers.apply(e.runId());
        if (findings == null) findings = "The investigation (run " + e.runId() + ") ended without an answer.";
        String delivery;
        try {
            delivery = send(e, e.runId(), findings);
        } catch (RuntimeException ex) {
            replace(e, e.delivered("delivery failed: " + ex.getMessage()));
            throw ex;
        }
        replace(e, e.delivered(delivery));
        return delivery;
    }

    private Episode investigate(Episode e, Alert a, AlertTemplates.Template t, String workload) {
        AlertInvestigator inv = investigator;
        if (inv == null) return replace(e, e.investigated(null, "not investigated: no engine here"));
        String question = t.question(a, workload, templates.sections(), inv::offers);
        String why = null;
        for (String subject : subjects(workload)) {
            try {
                String run = inv.open(policy.owner(), subject, question);
                Episode next = replace(e, e.investigated(run, "investigating (run " + run + ")"));
                tell(next, "alert-investigating", "Alert " + a.name() + " fired: investigating", (a.summary() == null
                        ? "" : a.summary() + "\n") + "Investigation: run " + run + " about " + subject + ".");
                return next;
            } catch (RuntimeException ex) {
                why = ex.getMessage();
            }
        }
        LOG.log(Level.INFO, "alert " + a.id() + ": not investigated: " + why);
        return replace(e, e.investigated(null, "not investigated: " + (workload == null ? "the alert names no namespace"
                : String.valueOf(why))));
    }

    /**
     * An investigation ended: its findings go to the sinks (Slack, SNS) with a link to the run, and where they went is
     * recorded on the episode. Returns the episode, or empty when no episode started that run.
     */
    public synchronized Optional<Episode> finished(String runId, String status, String answer) {
        Episode e = store.list(500).stream().filter(x -> runId.equals(x.runId()) && x.groupedInto() == null).findFirst().orElse(null);
        if (e == null) return Optional.empty();
        String findings = answer == null ? "The investigation ended " + status + " without an answer." : answer;
        String delivery;
        try {
            delivery = send(e, runId, findings);
        } catch (RuntimeException ex) {
            delivery = "delivery failed: " + ex.getMessage();
        }
        return Optional.of(replace(e, e.delivered(delivery)));
    }

    /** Sends the findings of {@code e} to the sinks; what to record. Throws when a sink failed. */
    private String send(Episode e, String runId, String findings) {
        if (notifier == Notifier.NONE) return "not delivered: no Slack or SNS is configured (the findings are in the run)";
        notifier.send(new Notification("alert-investigated", "[OpsAgent] " + e.name() + " on "
                + (e.workload() == null ? "the cluster" : e.workload()) + (runId == null ? ": not investigated" : ": investigated"),
                clip(findings, 1800), webUrl == null ? null : runId == null ? webUrl + "/#/alerts?episode=" + e.id()
                : webUrl + "/#/runs?run=" + runId, e.workload(), e.id()));
        return "delivered at " + clock.instant();
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private Episode replace(Episode from, Episode to) {
        for (int i = 0; i < 5; i++) {
            Optional<Episode> done = store.replace(from, to);
            if (done.isPresent()) return done.get();
            Episode now = store.get(from.id()).orElse(from);
            to = new Episode(now.id(), now.key(), now.name(), now.workload(), to.status(), now.openedAt(), to.resolvedAt(),
                    Math.max(now.deliveries(), to.deliveries()), to.runId() != null ? to.runId() : now.runId(), now.groupedInto(),
                    to.decision(), now.summary(), now.version(), to.delivery() != null ? to.delivery() : now.delivery());
            from = now;
        }
        throw new IllegalStateException("episode " + from.id() + " keeps changing under us");
    }

    private void tell(Episode e, String event, String subject, String text) {
        try {
            notifier.send(new Notification(event, "[OpsAgent] " + subject, text, webUrl == null ? null
                    : webUrl + "/#/alerts?episode=" + e.id(), e.workload(), e.id()));
        } catch (RuntimeException ex) {
            LOG.log(Level.WARNING, "episode " + e.id() + ": notification not sent", ex);
        }
    }
}
