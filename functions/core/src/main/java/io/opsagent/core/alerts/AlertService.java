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
                    .filter(x -> x.runId() != null && x.groupedInto() == null).count();
            if (recent >= policy.perWorkloadPerHour()) {
                skipped++;
                replace(stored, stored.investigated(null, "skipped: " + recent + " investigations of " + workload
                        + " in the last hour (the cap is " + policy.perWorkloadPerHour() + ")"));
                outcomes.add(a.name() + ": episode " + id + " not investigated (cap)");
                continue;
            }
            Episode done = investigate(stored, a, t, workload);
            if (done.runId() != null) investigated++;
            outcomes.add(a.name() + ": episode " + id + " " + done.decision());
        }
        return new Intake(d.alerts().size(), dup, opened, attached, grouped, investigated, skipped, resolved, d.truncated(), outcomes);
    }

    private Episode investigate(Episode e, Alert a, AlertTemplates.Template t, String workload) {
        AlertInvestigator inv = investigator;
        if (inv == null) return replace(e, e.investigated(null, "not investigated: no engine here"));
        String question = t.question(a, workload, templates.sections(), inv::offers);
        String why = null;
        for (String subject : workload == null ? List.<String>of() : List.of(workload, workload.split("/")[0] + "/*")) {
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
        String findings = answer == null ? "The investigation ended " + status + " without an answer." : clip(answer, 1800);
        String delivery;
        if (notifier == Notifier.NONE) {
            delivery = "not delivered: no Slack or SNS is configured (the findings are in the run)";
        } else {
            try {
                notifier.send(new Notification("alert-investigated", "[OpsAgent] " + e.name() + " on "
                        + (e.workload() == null ? "the cluster" : e.workload()) + ": investigated", findings,
                        webUrl == null ? null : webUrl + "/#/runs?run=" + runId, e.workload(), e.id()));
                delivery = "delivered at " + clock.instant();
            } catch (RuntimeException ex) {
                delivery = "delivery failed: " + ex.getMessage();
            }
        }
        return Optional.of(replace(e, e.delivered(delivery)));
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
