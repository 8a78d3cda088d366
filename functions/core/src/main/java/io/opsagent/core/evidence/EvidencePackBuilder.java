package io.opsagent.core.evidence;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.cluster.ContainerLog;
import io.opsagent.core.cluster.LogLine;
import io.opsagent.core.diagnosis.Diagnosis;
import io.opsagent.core.diagnosis.Evidence;
import io.opsagent.core.diagnosis.Finding;
import io.opsagent.core.diagnosis.logs.LogErrorClassifier;
import io.opsagent.core.diagnosis.logs.LogSignal;
import io.opsagent.core.logs.LogLevel;
import io.opsagent.core.logs.LogPattern;
import io.opsagent.core.logs.PatternMiner;
import io.opsagent.core.redact.Redactor;
import io.opsagent.core.util.Tokens;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Builds an {@link EvidencePack} for one workload within a token budget.
 *
 * <p>Order of precedence: the header and every root-cause finding with its evidence (always kept, even over
 * budget); then symptom findings, decisive log lines, warning events, error/rare log patterns, pod status, other
 * events — each item added only while the pack stays within the budget. Every line passes the redactor before
 * it is counted.
 */
public final class EvidencePackBuilder {

    /** Default budget: room for the pack inside a prompt without crowding out the conversation. */
    public static final int DEFAULT_BUDGET = 4_000;
    private static final int MAX_EVIDENCE_CHARS = 400;
    private static final int MAX_LINE_CHARS = 300;
    private static final int MAX_PATTERNS = 15;
    private static final int MAX_DECISIVE_PER_LOG = 2;

    private final Redactor redactor;
    private final LogErrorClassifier classifier;

    public EvidencePackBuilder(Redactor redactor, LogErrorClassifier classifier) {
        this.redactor = Objects.requireNonNull(redactor);
        this.classifier = Objects.requireNonNull(classifier);
    }

    /**
     * @param workload  the object asked about (Deployment, Service, Pod...)
     * @param pods      the pods that make up (or back) the workload
     * @param diagnosis the findings scoped to the workload
     * @param budget    token budget (≥ 200)
     */
    public EvidencePack build(ClusterSnapshot snapshot, HasMetadata workload, List<Pod> pods, Diagnosis diagnosis,
                              int budget) {
        if (budget < 200) {
            throw new IllegalArgumentException("token budget must be at least 200, got " + budget);
        }
        String subject = workload.getKind() + " " + ns(workload) + "/" + workload.getMetadata().getName();
        Pack pack = new Pack(budget, redactor);
        pack.mandatory("# Evidence: " + subject);

        // 1. root causes, always kept
        List<Finding> roots = diagnosis.findings().stream().filter(Finding::rootCause).toList();
        List<Finding> symptoms = diagnosis.findings().stream().filter(f -> !f.rootCause()).toList();
        Set<String> cited = new HashSet<>();
        if (diagnosis.findings().isEmpty()) {
            pack.mandatory("No problems found by the analyzers.");
        } else {
            pack.mandatory("## Findings (root causes first)");
        }
        for (Finding f : roots) {
            pack.mandatory(findingLine(f));
            for (Evidence e : f.evidence()) {
                pack.mandatory("  - " + e.source().json() + " " + e.ref() + ": " + clip(e.text(), MAX_EVIDENCE_CHARS));
                cited.add(e.ref());
            }
            if (!f.remediation().isEmpty()) {
                pack.mandatory("  - fix: " + clip(f.remediation().get(0), MAX_EVIDENCE_CHARS));
            }
        }
        // 2. symptoms: a line each, then their first evidence
        for (Finding f : symptoms) {
            pack.optional("findings", findingLine(f));
        }
        for (Finding f : symptoms) {
            for (Evidence e : f.evidence()) {
                if (cited.add(e.ref())) {
                    pack.optional("findings", "  - " + f.id() + " " + e.source().json() + " " + e.ref() + ": "
                            + clip(e.text(), MAX_EVIDENCE_CHARS));
                    break;
                }
            }
        }

        // 3. decisive log lines
        List<ContainerLog> logs = pods.stream()
                .flatMap(p -> snapshot.logsFor(ns(p), p.getMetadata().getName()).stream()).toList();
        int rawLines = logs.stream().mapToInt(l -> l.lines().size()).sum();
        long rawChars = logs.stream().flatMap(l -> l.lines().stream()).mapToLong(l -> l.text().length() + 1).sum();
        List<String> decisive = new ArrayList<>();
        Set<String> explained = new HashSet<>();
        for (ContainerLog log : logs) {
            int perLog = 0;
            for (LogSignal s : classifier.classifyStrong(log)) {
                // one line per explanation across pods, at most two per container log
                if (perLog < MAX_DECISIVE_PER_LOG && explained.add(s.explanation()) && cited.add(s.ref())) {
                    perLog++;
                    decisive.add("- " + s.ref() + " [" + log.pod() + "/" + log.container() + "] "
                            + clip(s.line().text(), MAX_LINE_CHARS));
                }
            }
        }
        pack.section("## Decisive log lines", "log lines", decisive);

        // 4. events: warnings first, then the rest, deduplicated by reason+message
        List<Event> events = new ArrayList<>(snapshot.eventsFor(workload));
        for (Pod p : pods) {
            events.addAll(snapshot.eventsFor(p));
        }
        int rawEvents = events.size();
        long eventChars = events.stream().mapToLong(e -> (e.getMessage() == null ? 0 : e.getMessage().length()) + 40).sum();
        Map<String, Event> unique = new LinkedHashMap<>();
        events.stream().sorted(Comparator.comparing((Event e) -> !"Warning".equals(e.getType())))
                .forEach(e -> unique.putIfAbsent(e.getReason() + "|" + e.getMessage(), e));
        List<String> warningLines = new ArrayList<>();
        List<String> normalLines = new ArrayList<>();
        for (Event e : unique.values()) {
            String line = "- " + e.getType() + " " + e.getReason()
                    + (e.getCount() != null && e.getCount() > 1 ? " (x" + e.getCount() + ")" : "") + " "
                    + e.getInvolvedObject().getKind() + "/" + e.getInvolvedObject().getName() + ": "
                    + clip(e.getMessage(), MAX_LINE_CHARS) + " [" + snapshot.ref(e, "message") + "]";
            ("Warning".equals(e.getType()) ? warningLines : normalLines).add(line);
        }
        pack.section("## Warning events", "warning events", warningLines);

        // 5. log patterns of all the pods' logs, errors and rare patterns first
        PatternMiner miner = new PatternMiner();
        Map<Integer, String> fileOf = new LinkedHashMap<>();
        for (ContainerLog log : logs) {
            for (LogLine line : log.lines()) {
                if (!line.text().isBlank()) {
                    int id = miner.add(line.text(), line.number(), null);
                    fileOf.putIfAbsent(id, log.file());
                }
            }
        }
        List<LogPattern> patterns = new ArrayList<>(miner.patterns());
        patterns.sort(Comparator.comparing((LogPattern p) -> p.level().atLeast(LogLevel.WARN) ? p.level().ordinal() : 9)
                .thenComparingLong(LogPattern::count));
        List<String> patternLines = new ArrayList<>();
        for (LogPattern p : patterns.subList(0, Math.min(MAX_PATTERNS, patterns.size()))) {
            patternLines.add("- [" + p.level() + "] x" + p.count() + " " + clip(p.template(), MAX_LINE_CHARS)
                    + " (first " + fileOf.getOrDefault(p.id(), "log") + ":" + p.firstLine() + ")");
        }
        if (patterns.size() > MAX_PATTERNS) {
            pack.omit("log patterns", patterns.size() - MAX_PATTERNS);
        }
        pack.section("## Log patterns (" + rawLines + " lines, " + patterns.size() + " patterns)", "log patterns",
                patternLines);

        // 6. pod status
        List<String> status = new ArrayList<>();
        for (Pod p : pods) {
            status.add(podLine(p));
        }
        pack.section("## Pods", "pods", status);
        pack.section("## Other events", "other events", normalLines);

        int rawTokens = (int) ((rawChars + eventChars + 3) / 4);
        String text = pack.render();
        return new EvidencePack(subject, text, Tokens.estimate(text), budget, rawTokens, rawLines, rawEvents,
                pack.omitted());
    }

    private static String findingLine(Finding f) {
        return "- " + f.id() + " [" + f.severity().json() + "] " + f.category() + " " + f.kind() + " "
                + (f.namespace() == null ? "" : f.namespace() + "/") + f.name()
                + (f.container() == null ? "" : " (" + f.container() + ")")
                + (f.rootCause() ? " ROOT CAUSE" : f.causedBy() == null ? "" : " caused by " + f.causedBy())
                + ": " + f.summary();
    }

    private static String podLine(Pod p) {
        StringBuilder sb = new StringBuilder("- ").append(p.getMetadata().getName()).append(": ");
        var st = p.getStatus();
        sb.append(st == null || st.getPhase() == null ? "Unknown" : st.getPhase());
        if (st != null && st.getReason() != null) {
            sb.append(" (").append(st.getReason()).append(")");
        }
        if (st != null && st.getContainerStatuses() != null) {
            for (ContainerStatus cs : st.getContainerStatuses()) {
                sb.append("; ").append(cs.getName()).append(Boolean.TRUE.equals(cs.getReady()) ? " ready" : " not ready")
                        .append(", restarts ").append(cs.getRestartCount() == null ? 0 : cs.getRestartCount());
                if (cs.getState() != null && cs.getState().getWaiting() != null) {
                    sb.append(", waiting ").append(cs.getState().getWaiting().getReason());
                }
            }
        }
        if (p.getSpec() != null && p.getSpec().getNodeName() != null) {
            sb.append("; node ").append(p.getSpec().getNodeName());
        }
        return sb.toString();
    }

    private static String ns(HasMetadata o) {
        return o.getMetadata().getNamespace() == null ? "" : o.getMetadata().getNamespace();
    }

    private static String clip(String s, int max) {
        if (s == null) {
            return "";
        }
        String one = s.replace('\n', ' ').replace('\r', ' ');
        return one.length() <= max ? one : one.substring(0, max) + "…[" + (one.length() - max) + " chars cut]";
    }

    /** Accumulates lines within a budget. */
    private static final class Pack {
        private final int budget;
        private final StringBuilder out = new StringBuilder();
        private final Map<String, Integer> omitted = new LinkedHashMap<>();
        private final Redactor redactor;
        private int tokens;

        Pack(int budget, Redactor redactor) {
            this.budget = budget;
            this.redactor = redactor;
        }

        void mandatory(String line) {
            append(redactor.redact(line));
        }

        boolean optional(String section, String rawLine) {
            String line = redactor.redact(rawLine);
            int cost = Tokens.estimate(line) + 1;
            if (tokens + cost > budget) {
                omit(section, 1);
                return false;
            }
            append(line);
            return true;
        }

        void section(String heading, String name, List<String> lines) {
            if (lines.isEmpty()) {
                return;
            }
            int headCost = Tokens.estimate(heading) + Tokens.estimate(lines.get(0)) + 2;
            if (tokens + headCost > budget) {
                omit(name, lines.size());
                return;
            }
            append(heading);
            for (String l : lines) {
                optional(name, l);
            }
        }

        void omit(String section, int n) {
            omitted.merge(section, n, Integer::sum);
        }

        private void append(String line) {
            out.append(line).append('\n');
            tokens += Tokens.estimate(line) + 1;
        }

        List<String> omitted() {
            return omitted.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList();
        }

        String render() {
            StringBuilder sb = new StringBuilder(out);
            if (!omitted.isEmpty()) {
                sb.append("(left out to stay within ").append(budget).append(" tokens: ")
                        .append(String.join(", ", omitted())).append(")\n");
            }
            return sb.toString();
        }
    }
}
