package io.opsagent.core.diagnosis.analyzers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.opsagent.core.cluster.ObjectKey;
import io.opsagent.core.diagnosis.AnalysisContext;
import io.opsagent.core.diagnosis.Analyzer;
import io.opsagent.core.diagnosis.Category;
import io.opsagent.core.diagnosis.EventGroup;
import io.opsagent.core.diagnosis.EvidenceSource;
import io.opsagent.core.diagnosis.Finding;
import io.opsagent.core.diagnosis.FindingBuilder;
import io.opsagent.core.diagnosis.PodContainer;
import io.opsagent.core.diagnosis.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Containers that cannot be created because of their configuration: a missing ConfigMap, Secret or key
 * (CreateContainerConfigError, FailedMount of a configMap/secret volume), a bad command (RunContainerError).
 * References in the pod spec are checked against the snapshot when it lists that namespace's ConfigMaps/Secrets.
 */
public final class ContainerConfigAnalyzer implements Analyzer {
    private static final Pattern NOT_FOUND = Pattern.compile("(?i)(configmap|secret)s? \"([^\"]+)\" not found");
    private static final Pattern NO_KEY = Pattern.compile("couldn't find key (\\S+) in (ConfigMap|Secret) ([^/\\s]+)/(\\S+)");
    private static final Pattern EXEC = Pattern.compile("exec: \"([^\"]+)\": (executable file not found[^\"]*|permission denied|no such file or directory)");

    /** A concrete problem found for one container. */
    private record Problem(String text, List<String> fixes) {
    }

    @Override
    public List<Finding> analyze(AnalysisContext ctx) {
        List<Workloads.Hit> hits = new ArrayList<>();
        Map<String, List<Problem>> problems = new LinkedHashMap<>();
        for (Pod pod : ctx.snapshot().pods()) {
            if (ContainerStates.succeeded(pod)) continue;
            Stream.concat(PodContainer.initOf(pod).stream(), PodContainer.of(pod).stream()).forEach(c -> {
                List<Problem> ps = problems(ctx, pod, c);
                if (!ps.isEmpty()) {
                    hits.add(new Workloads.Hit(c, c.running() ? Severity.WARNING : Severity.CRITICAL));
                    problems.put(pod.getMetadata().getName() + "/" + c.name(), ps);
                }
            });
        }
        List<Finding> out = new ArrayList<>();
        for (Workloads.Group g : Workloads.group(ctx, hits)) {
            PodContainer c = g.worst().container();
            out.add(finding(ctx, g, problems.get(c.podName() + "/" + c.name())));
        }
        return out;
    }

    private List<Problem> problems(AnalysisContext ctx, Pod pod, PodContainer c) {
        List<Problem> out = new ArrayList<>();
        String ns = pod.getMetadata().getNamespace();
        boolean byStatus = c.waitingReason() != null && ContainerStates.CONFIG_REASONS.contains(c.waitingReason());
        boolean notStarted = !c.running() && c.latestTermination() == null;
        String msg = byStatus && c.waitingMessage() != null ? c.waitingMessage() : "";
        if (notStarted) {
            for (EventGroup e : Workloads.containerWarnings(ctx, pod, c.name(), "Failed", "FailedMount")) {
                if (NOT_FOUND.matcher(e.message()).find() || NO_KEY.matcher(e.message()).find()) {
                    msg += " " + e.message();
                }
            }
        }
        Matcher m = NOT_FOUND.matcher(msg);
        List<String> seen = new ArrayList<>();
        while (m.find()) {
            String kind = m.group(1).equalsIgnoreCase("configmap") ? "ConfigMap" : "Secret";
            if (!seen.contains(kind + m.group(2))) {
                seen.add(kind + m.group(2));
                out.add(missingObject(ctx, pod, kind, m.group(2)));
            }
        }
        Matcher k = NO_KEY.matcher(msg);
        while (k.find()) {
            out.add(missingKey(k.group(2), k.group(3), k.group(4), k.group(1)));
        }
        Matcher x = EXEC.matcher(msg);
        if (x.find()) {
            out.add(new Problem("the command \"" + x.group(1) + "\" cannot be run: " + x.group(2),
                    List.of("Fix command/args of container " + c.name() + " in the pod template, or use an image "
                            + "that contains \"" + x.group(1) + "\"")));
        }
        // no parseable message: check the spec references against the snapshot
        if (out.isEmpty() && (byStatus || notStarted && c.status() != null && c.waitingReason() != null)) {
            for (ConfigRefs.Ref r : ConfigRefs.of(pod)) {
                if (r.optional() || r.container() != null && !r.container().equals(c.name())) continue;
                if (!ConfigRefs.knows(ctx.snapshot(), r.kind(), ns)) continue;
                Optional<? extends HasMetadata> o = ConfigRefs.find(ctx.snapshot(), r.kind(), ns, r.name());
                if (o.isEmpty()) out.add(missingObject(ctx, pod, r.kind(), r.name()));
                else if (ConfigRefs.missingKey(o.get(), r.key())) {
                    out.add(missingKey(r.kind(), ns, r.name(), r.key()));
                }
            }
        }
        if (out.isEmpty() && byStatus) {
            out.add(new Problem(c.waitingReason() + (msg.isBlank() ? "" : ": " + msg.strip()),
                    List.of("Fix the container configuration named in the message, then check: kubectl describe pod "
                            + pod.getMetadata().getName() + Workloads.ns(ns))));
        }
        return out;
    }

    private Problem missingObject(AnalysisContext ctx, Pod pod, String kind, String name) {
        String ns = pod.getMetadata().getNamespace();
        List<String> keys = ConfigRefs.of(pod).stream().filter(r -> r.kind().equals(kind) && r.name().equals(name)
                && r.key() != null).map(ConfigRefs.Ref::key).distinct().toList();
        String literals = keys.isEmpty() ? " --from-literal=<key>=<value>"
                : String.join("", keys.stream().map(k -> " --from-literal=" + k + "=<value>").toList());
        List<String> fixes = new ArrayList<>();
        fixes.add(kind.equals("Secret")
                ? "kubectl create secret generic " + name + Workloads.ns(ns) + literals
                : "kubectl create configmap " + name + Workloads.ns(ns) + literals);
        List<String> similar = ConfigRefs.similar(ctx.snapshot(), kind, ns, name);
        fixes.add("Or fix the reference in the pod template" + (similar.isEmpty() ? "" : " (existing " + kind
                + "s with a similar name: " + String.join(", ", similar) + ")") + ", or mark it optional: true");
        String refs = ConfigRefs.of(pod).stream().filter(r -> r.kind().equals(kind) && r.name().equals(name)
                && r.envName() != null).map(r -> r.envName()).distinct().reduce((a, b) -> a + ", " + b)
                .map(s -> " (referenced by env " + s + ")").orElse("");
        return new Problem(kind + " \"" + name + "\" does not exist in namespace " + ns + refs, fixes);
    }

    private Problem missingKey(String kind, String ns, String name, String key) {
        String fix = kind.equals("Secret")
                ? "kubectl patch secret " + name + Workloads.ns(ns) + " --type=merge -p '{\"stringData\":{\"" + key + "\":\"<value>\"}}'"
                : "kubectl patch configmap " + name + Workloads.ns(ns) + " --type=merge -p '{\"data\":{\"" + key + "\":\"<value>\"}}'";
        return new Problem(kind + " \"" + name + "\" has no key \"" + key + "\"",
                List.of(fix, "Or correct the key name in the pod template's env valueFrom reference"));
    }

    private Finding finding(AnalysisContext ctx, Workloads.Group g, List<Problem> problems) {
        PodContainer c = g.worst().container();
        Pod pod = c.pod();
        ObjectKey subject = Workloads.subject(ctx, g);
        String reason = c.waitingReason() != null ? c.waitingReason() : "FailedMount";
        String s = OOMKilledAnalyzer.capitalize(Workloads.where(ctx, g)) + " cannot start (" + reason + "): "
                + String.join("; ", problems.stream().map(Problem::text).toList()) + ".";
        FindingBuilder b = ctx.finding(Category.ContainerConfigError, g.severity(), subject).container(g.container())
                .summary(s).about(g.podKeys());
        if (c.waitingReason() != null) {
            b.evidence(ctx.evidence(pod, c.statusPath() + ".state.waiting", EvidenceSource.STATUS, "waiting: "
                    + c.waitingReason() + (c.waitingMessage() == null ? "" : ": " + c.waitingMessage())));
        }
        for (ConfigRefs.Ref r : ConfigRefs.of(pod)) {
            if (problems.stream().anyMatch(p -> p.text().startsWith(r.kind() + " \"" + r.name() + "\""))
                    && (r.container() == null || r.container().equals(c.name()))) {
                b.evidence(ctx.evidence(pod, r.fieldPath(), EvidenceSource.SPEC, "references " + r.describe()));
            }
        }
        Workloads.containerWarnings(ctx, pod, c.name(), "Failed", "FailedMount").stream()
                .filter(e -> NOT_FOUND.matcher(e.message()).find() || NO_KEY.matcher(e.message()).find()
                        || EXEC.matcher(e.message()).find())
                .limit(2).forEach(e -> b.evidence(ctx.evidence(e)));
        problems.forEach(p -> p.fixes().forEach(b::fix));
        return b.build();
    }
}
