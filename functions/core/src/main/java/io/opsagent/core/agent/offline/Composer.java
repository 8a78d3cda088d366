package io.opsagent.core.agent.offline;

import io.opsagent.core.tools.ToolNames;
import com.fasterxml.jackson.databind.JsonNode;
import io.opsagent.core.agent.model.ToolResultBlock;
import io.opsagent.core.tools.Citation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes the offline analyst's markdown answers from tool results: the root cause first, evidence as bullets
 * with citations in square brackets ({@code [shop/pods.json:items[3].status]}), then the fix. Never states a
 * fact that is not in a tool result.
 */
final class Composer {
    static final String OFFLINE_NOTE = "With no model configured I answer from diagnosis, logs, events and history.";

    private final String scope;
    private final List<ToolResultBlock> results;
    private final String previousAnswer;
    private final StringBuilder md = new StringBuilder();

    Composer(String scope, List<ToolResultBlock> results, String previousAnswer) {
        this.scope = scope;
        this.results = results;
        this.previousAnswer = previousAnswer;
    }

    String compose(Intent intent) {
        for (ToolResultBlock r : results) {
            if (r.error()) md.append("_Tool ").append(r.toolName()).append(" failed: ").append(clip(r.text(), 300)).append("_\n\n");
        }
        switch (intent.kind()) {
            case DIAGNOSE -> {
                diagnose(intent.more());
                metrics();
            }
            case FIX -> fix();
            case WRITE -> write();
            case ERRORS, SEARCH -> logs(intent);
            case CHANGES -> changes();
            case HEALTH -> health();
            case SERVICE -> service();
            case RESOURCES -> {
                resources();
                metrics();
            }
            case PATTERNS -> patterns(intent.more());
            case EVENTS -> events(intent.more());
            case PODS -> pods();
            case OTHER_POD -> otherPod();
            case DESCRIBE -> describe();
            case APPROVALS -> toolText(ToolNames.LIST_APPROVALS, "## Pending approvals",
                    "Nothing can be approved here: this OpsAgent cannot change the cluster it reads.");
            case CHANGE_RUNS -> toolText(ToolNames.LIST_CHANGES, "## Changes running",
                    "There is no change chain here (changes run on a live cluster: ./opsagent up --context …).");
            case CANCEL -> toolText(ToolNames.CANCEL_CHANGE, "## Cancel the change",
                    "There is no change chain here, so there is no change to cancel.");
            case UNSUPPORTED -> md.append("I can't predict future behaviour or answer questions outside the cluster data "
                    + "(forecasts, costs, who did what). ").append(OFFLINE_NOTE)
                    .append(" Ask me why it is failing, what changed, for the errors since a time, or to search the logs.\n");
            default -> unknown();
        }
        return md.toString().strip() + "\n";
    }

    // ------------------------------------------------------------------ intents

    private void diagnose(boolean more) {
        JsonNode findings = findings();
        if (findings == null) {
            md.append("I could not run the diagnosis for ").append(scope).append(".\n");
            return;
        }
        if (findings.isEmpty()) {
            md.append("**No problems found** for ").append(scope).append(" by the analyzers.");
            summaryLine();
            return;
        }
        int roots = 0;
        for (JsonNode f : findings) if (f.path("rootCause").asBoolean()) roots++;
        int evidenceMax = more ? 20 : roots > 2 ? 2 : 5;
        int shown = 0;
        for (JsonNode f : findings) {
            if (!f.path("rootCause").asBoolean() || (!more && shown >= 8)) continue;
            shown++;
            md.append("## Root cause: ").append(f.path("category").asText()).append(" — ").append(object(f)).append("\n\n");
            md.append(f.path("summary").asText()).append("\n\n**Evidence**\n");
            evidence(f, evidenceMax);
            List<String> fix = texts(f.path("remediation"));
            if (!fix.isEmpty()) {
                md.append("\n**Fix**\n");
                for (int i = 0; i < fix.size(); i++) md.append(i + 1).append(". ").append(fix.get(i)).append('\n');
            }
            md.append('\n');
        }
        List<JsonNode> symptoms = new ArrayList<>();
        findings.forEach(f -> {
            if (!f.path("rootCause").asBoolean()) symptoms.add(f);
        });
        if (!symptoms.isEmpty()) {
            md.append("**Also affected** (symptoms of the root cause)\n");
            for (JsonNode f : symptoms) {
                md.append("- ").append(f.path("category").asText()).append(" on ").append(object(f)).append(": ")
                        .append(clip(f.path("summary").asText(), more ? 600 : 200))
                        .append(firstRef(f)).append('\n');
            }
        }
        summaryLine();
    }

    private void fix() {
        JsonNode findings = findings();
        if (findings == null || findings.isEmpty()) {
            md.append("Nothing to fix: the analyzers found no problem in ").append(scope).append(".\n");
            return;
        }
        boolean any = false;
        for (JsonNode f : findings) {
            if (!f.path("rootCause").asBoolean()) continue;
            any = true;
            md.append("## Fix ").append(f.path("category").asText()).append(" on ").append(object(f)).append("\n\n");
            md.append("Why: ").append(clip(f.path("summary").asText(), 300)).append(firstRef(f)).append("\n\n");
            List<String> fix = texts(f.path("remediation"));
            for (int i = 0; i < fix.size(); i++) md.append(i + 1).append(". ").append(fix.get(i)).append('\n');
            if (fix.isEmpty()) md.append("The analyzers give no fix for this finding; see the evidence above.\n");
            md.append('\n');
        }
        if (!any) md.append("The findings have no root cause of their own; ask \"why is it failing?\" for details.\n");
        md.append("_I only read the cluster: run these commands yourself after review._\n");
    }

    private void write() {
        ToolResultBlock proposed = result(ToolNames.PROPOSE_CHANGE) != null ? result(ToolNames.PROPOSE_CHANGE)
                : result(ToolNames.PROPOSE_FIX);
        if (proposed != null && !proposed.error()) {
            md.append("I have proposed the change; **nothing has changed yet**. A human approves it (the card below, "
                    + "Pending approvals, or `./opsagent actions approve`), and only then is it applied, as the approver, "
                    + "and its rollout verified.\n\n```\n").append(proposed.text().strip()).append("\n```\n");
            return;
        }
        if (proposed != null) {
            md.append("I could not propose that change: ").append(clip(proposed.text(), 600)).append('\n');
        } else {
            md.append("I can't change the cluster: there are no write tools in this mode, I only read. ").append(OFFLINE_NOTE)
                    .append('\n');
        }
        JsonNode findings = findings();
        if (findings != null && !findings.isEmpty()) {
            md.append("\nCommands from the diagnosis you can run yourself after review:\n");
            Set<String> seen = new LinkedHashSet<>();
            for (JsonNode f : findings) {
                if (f.path("rootCause").asBoolean()) seen.addAll(texts(f.path("remediation")));
            }
            seen.forEach(s -> md.append("- ").append(s).append('\n'));
        }
    }

    private void logs(Intent intent) {
        ToolResultBlock r = result(ToolNames.SEARCH_LOGS);
        if (r == null || r.data() == null) return;
        JsonNode d = r.data();
        long total = d.path("totalMatches").asLong();
        String what = intent.kind() == Intent.Kind.SEARCH ? "lines matching " + String.join(" + ", quote(intent.keywords()))
                : (intent.level() == null ? "log" : intent.level()) + "-level lines";
        String when = (intent.since() == null ? "" : " since " + intent.since()) + (intent.until() == null ? "" : " until " + intent.until());
        if (total == 0) {
            md.append("No ").append(what).append(when).append(" in the logs of ").append(scope).append(" (")
                    .append(d.path("logsSearched").asInt()).append(" container logs searched).\n");
            return;
        }
        md.append("**").append(total).append(' ').append(what).append("**").append(when).append(" in ")
                .append(d.path("logsSearched").asInt()).append(" container logs of ").append(scope).append(".\n\n");
        if (d.path("patterns").size() > 1) {
            md.append("**Patterns**\n");
            int n = 0;
            for (JsonNode p : d.path("patterns")) {
                if (n++ >= (intent.more() ? 15 : 5)) break;
                md.append("- ").append(p.path("count").asLong()).append("× ").append(p.path("level").asText()).append(' ')
                        .append('`').append(clip(p.path("template").asText(), 160).replace('`', '\'')).append('`')
                        .append(" [").append(p.path("firstRef").asText()).append("]\n");
            }
            md.append('\n');
        }
        md.append("**Lines**\n");
        int n = 0;
        int max = intent.more() ? 40 : 10;
        for (JsonNode m : d.path("matches")) {
            if (n++ >= max) break;
            md.append("- ").append(m.path("time").isNull() ? "" : "`" + m.path("time").asText() + "` ")
                    .append(m.path("pod").asText()).append('/').append(m.path("container").asText()).append(": ")
                    .append(clip(m.path("text").asText(), 220)).append(" [").append(m.path("ref").asText()).append("]\n");
        }
        if (total > Math.min(max, d.path("matches").size())) {
            md.append("\n_").append(total - Math.min(max, d.path("matches").size()))
                    .append(" more lines not shown").append(intent.more() ? "; narrow the search" : "; ask \"show more\"")
                    .append("._\n");
        }
    }

    /** A tool's own text under a heading; {@code absent} when the tool was not there to call. */
    private void toolText(String tool, String heading, String absent) {
        ToolResultBlock r = result(tool);
        md.append(heading).append("\n\n");
        if (r == null) {
            md.append(absent).append('\n');
        } else if (!r.error()) {
            md.append(r.text().strip()).append('\n');
        }
    }

    private void changes() {
        ToolResultBlock h = result(ToolNames.DEPLOYMENT_HISTORY);
        md.append("## What changed — ").append(scope).append("\n\n");
        if (h != null && h.data() != null && h.data().isArray() && !h.data().isEmpty()) {
            JsonNode revs = h.data();
            for (int i = 0; i < revs.size() && i < 4; i++) {
                JsonNode r = revs.get(i);
                md.append("- ").append(i == 0 ? "**Current** revision " : "Revision ").append(r.path("revision").asInt())
                        .append(": ReplicaSet ").append(r.path("replicaSet").asText()).append(", created ")
                        .append(r.path("created").asText()).append(", images ").append(String.join(", ", texts(r.path("images"))))
                        .append(", ").append(r.path("ready").asInt()).append('/').append(r.path("desired").asInt()).append(" ready")
                        .append(r.path("changeCause").isTextual() ? ", change cause: " + r.path("changeCause").asText() : "")
                        .append(" [").append(r.path("ref").asText()).append("]\n");
            }
            for (String line : h.text().split("\n")) {
                if (line.strip().startsWith("changed from revision")) {
                    md.append("\n**Change**: ").append(line.strip().replaceFirst("^changed from", "from")).append('\n');
                    break;
                }
            }
            if (revs.size() == 1) md.append("\nOnly one revision exists: the Deployment has not been changed since it was created (as far as this input shows).\n");
        } else if (h != null) {
            md.append(h.text().strip()).append('\n');
        }
        ToolResultBlock ev = result(ToolNames.EVENTS);
        if (ev != null && ev.data() != null && !ev.data().isEmpty()) {
            md.append("\n**Recent events**\n");
            List<JsonNode> list = new ArrayList<>();
            ev.data().forEach(list::add);
            for (JsonNode e : list.subList(Math.max(0, list.size() - 10), list.size())) eventBullet(e);
        }
    }

    private void health() {
        ToolResultBlock s = result(ToolNames.WORKLOAD_SUMMARY);
        JsonNode findings = findings();
        boolean critical = false;
        if (findings != null) {
            for (JsonNode f : findings) critical |= f.path("severity").asText().equals("CRITICAL");
        }
        JsonNode d = s == null ? null : s.data();
        boolean ready = d != null && d.path("healthy").asBoolean();
        boolean findingsPresent = findings != null && !findings.isEmpty();
        md.append(ready && !findingsPresent ? "**Yes, healthy.** "
                : ready && !critical ? "**Running, but not healthy.** " : "**No, not healthy.** ");
        if (d != null) {
            md.append(d.path("readyPods").asInt()).append(" of ").append(d.path("pods").asInt()).append(" pods ready, ")
                    .append(d.path("restarts").asInt()).append(" restarts").append(refs(s, 1)).append(". ");
        }
        if (findings != null && !findings.isEmpty()) {
            JsonNode f = findings.get(0);
            md.append(f.path("rootCause").asBoolean() ? "Root cause: **" : "Top finding: **").append(f.path("category").asText())
                    .append("** — ").append(clip(f.path("summary").asText(), 300)).append(firstRef(f)).append('\n');
        } else {
            md.append("The analyzers found no problem.\n");
        }
        ToolResultBlock hc = result(ToolNames.HEALTH_CHECKS);
        if (hc != null && hc.data() != null) {
            JsonNode probes = hc.data().path("probes");
            md.append("\n**Probes**\n");
            if (probes.isEmpty()) md.append("- none configured\n");
            probes.forEach(p -> md.append("- ").append(p.path("container").asText()).append(' ').append(p.path("type").asText())
                    .append(": ").append(p.path("probe").asText()).append(" [").append(p.path("ref").asText()).append("]\n"));
            JsonNode fails = hc.data().path("failures");
            if (!fails.isEmpty()) {
                md.append("\n**Recent probe failures**\n");
                int n = 0;
                for (JsonNode e : fails) {
                    if (n++ >= 5) break;
                    md.append("- ").append(e.path("reason").asText()).append(" (x").append(e.path("count").asInt()).append("): ")
                            .append(clip(e.path("message").asText(), 200)).append(" [").append(e.path("ref").asText()).append("]\n");
                }
            }
        }
    }

    private void service() {
        ToolResultBlock r = result(ToolNames.SERVICE_ENDPOINTS);
        if (r == null || r.data() == null) return;
        if (r.data().isEmpty()) {
            md.append("No Service selects the pods of ").append(scope).append(": nothing routes traffic to it.\n");
            return;
        }
        md.append("## Services of ").append(scope).append("\n\n");
        for (JsonNode s : r.data()) {
            int ready = s.path("readyEndpoints").asInt();
            md.append("- **").append(s.path("name").asText()).append("** (").append(s.path("type").asText()).append(") selector `")
                    .append(s.path("selector").toString()).append("`: ").append(ready).append(" ready endpoints, ")
                    .append(s.path("notReadyEndpoints").asInt()).append(" not ready; ").append(s.path("matchingPods").asInt())
                    .append(" pods match the selector").append(" [").append(s.path("ref").asText()).append("]\n");
        }
        for (JsonNode s : r.data()) {
            if (s.path("readyEndpoints").asInt() > 0) continue;
            md.append("\n**").append(s.path("name").asText()).append(" has no ready endpoint**: ")
                    .append(s.path("matchingPods").asInt() == 0 ? "its selector matches no pod — check the selector against the pod labels."
                            : "the pods it selects are not ready — ask \"why is it failing?\" for the cause.").append('\n');
        }
    }

    /** The rightsizing and metrics figures, when those tools ran (a metrics source is configured). */
    private void metrics() {
        ToolResultBlock r = result(ToolNames.RIGHTSIZE);
        if (r != null && r.data() != null) {
            md.append("\n## Requests and limits against use (").append(r.data().path("source").asText()).append(", ")
                    .append(r.data().path("from").asText()).append(" to ").append(r.data().path("to").asText()).append(")\n\n");
            for (JsonNode c : r.data().path("containers")) {
                md.append("- **").append(c.path("container").asText()).append("**: ").append(c.path("verdict").asText())
                        .append(" [").append(c.path("ref").asText()).append("]\n");
                texts(c.path("reasons")).forEach(x -> md.append("  - ").append(x).append('\n'));
                JsonNode rec = c.path("recommended");
                if (!rec.isMissingNode() && !c.path("verdict").asText().equals("right-sized")) {
                    md.append("  - recommended: requests cpu ").append(rec.path("requests").path("cpu").asText()).append(", memory ")
                            .append(rec.path("requests").path("memory").asText()).append("; limits memory ")
                            .append(rec.path("limits").path("memory").asText())
                            .append(rec.path("limits").has("cpu") ? ", cpu " + rec.path("limits").path("cpu").asText() : "").append('\n');
                }
            }
            for (Citation cite : r.citations()) {
                if (cite.ref().startsWith("metrics:")) md.append("  Evidence: ").append(cite.label()).append(" [").append(cite.ref()).append("]\n");
            }
        }
        ToolResultBlock q = result(ToolNames.QUERY_METRICS);
        if (q != null && q.data() != null) {
            md.append("\n## ").append(q.data().path("metric").asText()).append(" (").append(q.data().path("source").asText()).append(")\n\n");
            for (JsonNode sr : q.data().path("series")) {
                String what = sr.has("pvc") ? sr.path("pvc").asText() : sr.path("pod").asText() + "/" + sr.path("container").asText();
                boolean ratio = q.data().path("unit").asText().equals("ratio");
                md.append("- ").append(what).append(": last ").append(ratio ? pct(sr.path("last").asDouble()) : sr.path("last").asText())
                        .append(", max ").append(ratio ? pct(sr.path("max").asDouble()) : sr.path("max").asText())
                        .append(" [").append(sr.path("ref").asText()).append("]\n");
            }
            if (q.data().path("series").isEmpty()) md.append("No samples for it in this range.\n");
        }
    }

    private static String pct(double r) {
        return String.format(java.util.Locale.ROOT, "%.1f%%", r * 100);
    }

    private void resources() {
        ToolResultBlock r = result(ToolNames.RESOURCE_USAGE);
        if (r == null || r.data() == null) return;
        if (!r.data().path("metricsAvailable").asBoolean()) {
            md.append("Live CPU/memory usage is not available from a cluster dump (no metrics data), so I can't give usage "
                    + "numbers. Configured requests and limits:\n\n");
        }
        Set<String> seen = new LinkedHashSet<>();
        for (JsonNode c : r.data().path("containers")) {
            String line = c.path("container").asText() + ": requests " + c.path("requests").asText() + ", limits "
                    + c.path("limits").asText();
            if (seen.add(line)) md.append("- ").append(line).append(refs(r, 1)).append('\n');
        }
        JsonNode findings = findings();
        if (findings != null) {
            for (JsonNode f : findings) {
                if (f.path("category").asText().equals("OOMKilled")) {
                    md.append("\n**OOMKilled**: ").append(clip(f.path("summary").asText(), 300)).append(firstRef(f)).append('\n');
                    texts(f.path("remediation")).stream().limit(2).forEach(x -> md.append("- ").append(x).append('\n'));
                }
            }
        }
    }

    private void patterns(boolean more) {
        ToolResultBlock r = result(ToolNames.LOG_PATTERNS);
        if (r == null || r.data() == null) return;
        md.append("**Log patterns of ").append(scope).append("** (most severe, then most frequent first)\n");
        int n = 0;
        for (JsonNode p : r.data()) {
            if (n++ >= (more ? 25 : 10)) break;
            md.append("- ").append(p.path("count").asLong()).append("× ").append(p.path("level").asText()).append(" `")
                    .append(clip(p.path("template").asText(), 160).replace('`', '\'')).append('`')
                    .append(p.hasNonNull("firstRef") ? " [" + p.path("firstRef").asText() + "]" : "").append('\n');
        }
        if (r.data().isEmpty()) md.append("- no log lines in this input\n");
    }

    private void events(boolean more) {
        ToolResultBlock r = result(ToolNames.EVENTS);
        if (r == null || r.data() == null) return;
        md.append("**Events of ").append(scope).append("** (oldest first)\n");
        List<JsonNode> list = new ArrayList<>();
        r.data().forEach(list::add);
        int max = more ? 100 : 15;
        for (JsonNode e : list.subList(Math.max(0, list.size() - max), list.size())) eventBullet(e);
        if (list.isEmpty()) md.append("- no events\n");
    }

    private void pods() {
        ToolResultBlock r = result(ToolNames.LIST_PODS);
        if (r == null || r.data() == null) return;
        md.append("**Pods of ").append(scope).append("**\n");
        for (JsonNode p : r.data()) podBullet(p);
        if (r.data().isEmpty()) md.append("- no pods\n");
    }

    private void otherPod() {
        ToolResultBlock list = result(ToolNames.LIST_PODS);
        String pod = otherPod(list, previousAnswer);
        if (pod == null) {
            md.append(list == null || list.data() == null || list.data().size() < 2
                    ? "There is no other pod: " + scope + " has " + (list == null || list.data() == null ? 0 : list.data().size()) + " pod(s).\n"
                    : "I could not tell which pod you mean.\n");
            pods();
            return;
        }
        md.append("## Pod ").append(pod).append("\n\n");
        for (JsonNode p : list.data()) {
            if (p.path("name").asText().equals(pod)) podBullet(p);
        }
        ToolResultBlock d = result(ToolNames.DESCRIBE);
        if (d != null && !d.error()) {
            md.append("\n**Containers**\n");
            for (String line : d.text().split("\n")) {
                String t = line.strip();
                if (t.startsWith("State:") || t.startsWith("Last state:") || t.startsWith("Ready:") || t.startsWith("Image:")) {
                    md.append("- ").append(t).append('\n');
                }
            }
            if (!d.citations().isEmpty()) md.append("[").append(d.citations().get(0).ref()).append("]\n");
        }
        ToolResultBlock logs = result(ToolNames.SEARCH_LOGS);
        if (logs != null && logs.data() != null) {
            md.append("\n**Warnings and errors in its logs**: ").append(logs.data().path("totalMatches").asLong()).append('\n');
            int n = 0;
            for (JsonNode m : logs.data().path("matches")) {
                if (n++ >= 6) break;
                md.append("- ").append(clip(m.path("text").asText(), 200)).append(" [").append(m.path("ref").asText()).append("]\n");
            }
        }
    }

    private void describe() {
        ToolResultBlock r = result(ToolNames.DESCRIBE);
        if (r == null || r.error()) return;
        md.append("```\n").append(r.text().strip().replace("```", "'''")).append("\n```\n");
    }

    private void unknown() {
        md.append("I can't answer that with the offline analyst. ").append(OFFLINE_NOTE).append(" I can answer:\n")
                .append("- why is it failing? / is it healthy?\n")
                .append("- how do I fix it?\n")
                .append("- what changed?\n")
                .append("- show me the errors since 10:00 (or in the last 30 minutes)\n")
                .append("- search logs for \"connection refused\"\n")
                .append("- what about the service? / the pods / the events / resource limits / log patterns\n");
    }

    // ------------------------------------------------------------------ helpers

    /**
     * The pod "the other pod" means: not the pod the previous answer talked about most; among the rest, the one it
     * mentioned least (list order breaks ties). Null when there is no other pod.
     */
    static String otherPod(ToolResultBlock list, String previousAnswer) {
        if (list == null || list.data() == null || list.data().size() < 2) return null;
        String prev = previousAnswer == null ? "" : previousAnswer;
        List<String> names = new ArrayList<>();
        list.data().forEach(p -> names.add(p.path("name").asText()));
        String discussed = null;
        int most = 0;
        for (String n : names) {
            int c = count(prev, n);
            if (c > most) {
                most = c;
                discussed = n;
            }
        }
        if (discussed == null) return names.get(1);
        String best = null;
        int least = Integer.MAX_VALUE;
        for (String n : names) {
            if (n.equals(discussed)) continue;
            int c = count(prev, n);
            if (c < least) {
                least = c;
                best = n;
            }
        }
        return best;
    }

    private static int count(String text, String word) {
        int n = 0;
        for (int i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + word.length())) n++;
        return n;
    }

    private JsonNode findings() {
        ToolResultBlock d = result(ToolNames.DIAGNOSE);
        return d == null || d.data() == null ? null : d.data().path("findings");
    }

    private ToolResultBlock result(String tool) {
        ToolResultBlock found = null;
        for (ToolResultBlock b : results) {
            if (b.toolName().equals(tool) && !b.error()) found = b;
        }
        return found;
    }

    private void summaryLine() {
        ToolResultBlock s = result(ToolNames.WORKLOAD_SUMMARY);
        if (s == null || s.data() == null) {
            md.append('\n');
            return;
        }
        JsonNode d = s.data();
        md.append("\n_State: ").append(d.path("pods").asInt()).append(" pods, ").append(d.path("readyPods").asInt())
                .append(" ready, ").append(d.path("restarts").asInt()).append(" restarts._").append(refs(s, 1)).append('\n');
    }

    private void evidence(JsonNode f, int max) {
        int n = 0;
        for (JsonNode e : f.path("evidence")) {
            if (n++ >= max) {
                md.append("- … ").append(f.path("evidence").size() - max).append(" more (ask \"show more\")\n");
                break;
            }
            md.append("- ").append(e.path("source").asText()).append(": ").append(clip(e.path("text").asText(), 240))
                    .append(" [").append(e.path("ref").asText()).append("]\n");
        }
    }

    private void eventBullet(JsonNode e) {
        md.append("- ").append(e.path("time").asText("?")).append(' ').append(e.path("type").asText()).append(' ')
                .append(e.path("reason").asText()).append(e.path("count").asInt() > 1 ? " (x" + e.path("count").asInt() + ")" : "")
                .append(' ').append(e.path("object").asText()).append(": ").append(clip(e.path("message").asText(), 200))
                .append(" [").append(e.path("ref").asText()).append("]\n");
    }

    private void podBullet(JsonNode p) {
        md.append("- ").append(p.path("name").asText()).append(": ").append(p.path("ready").asText()).append(" ready, ")
                .append(p.path("status").asText()).append(", ").append(p.path("restarts").asInt()).append(" restarts, node ")
                .append(p.path("node").asText()).append(" [").append(p.path("ref").asText()).append("]\n");
    }

    private static String object(JsonNode f) {
        return f.path("kind").asText() + " " + (f.path("namespace").isTextual() ? f.path("namespace").asText() + "/" : "")
                + f.path("name").asText() + (f.path("container").isTextual() ? " (container " + f.path("container").asText() + ")" : "");
    }

    private static String firstRef(JsonNode f) {
        JsonNode ev = f.path("evidence");
        return ev.isEmpty() ? "" : " [" + ev.get(0).path("ref").asText() + "]";
    }

    private static String refs(ToolResultBlock r, int max) {
        if (r.citations().isEmpty()) return "";
        StringBuilder sb = new StringBuilder();
        r.citations().stream().limit(max).forEach(c -> sb.append(" [").append(c.ref()).append(']'));
        return sb.toString();
    }

    private static List<String> texts(JsonNode arr) {
        List<String> out = new ArrayList<>();
        arr.forEach(x -> out.add(x.asText()));
        return out;
    }

    private static List<String> quote(List<String> words) {
        return words.stream().map(w -> "\"" + w + "\"").toList();
    }

    static String clip(String s, int max) {
        String one = s.replace('\n', ' ').strip();
        return one.length() <= max ? one : one.substring(0, max) + "…";
    }
}
