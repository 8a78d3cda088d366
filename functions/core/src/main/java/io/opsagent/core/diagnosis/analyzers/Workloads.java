package io.opsagent.core.diagnosis.analyzers;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.opsagent.core.cluster.ObjectKey;
import io.opsagent.core.diagnosis.AnalysisContext;
import io.opsagent.core.diagnosis.PodContainer;
import io.opsagent.core.diagnosis.Severity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Shared wording and grouping for analyzers: pods grouped by workload and container, kubectl targets. */
final class Workloads {
    private Workloads() {
    }

    /** A container of a pod that an analyzer flagged, with the severity of that one occurrence. */
    record Hit(PodContainer container, Severity severity) {
        Pod pod() {
            return container.pod();
        }
    }

    /** Hits of one container name in the pods of one workload. */
    record Group(ObjectKey workload, String container, List<Hit> hits) {
        Hit first() {
            return hits.get(0);
        }

        List<Pod> pods() {
            return hits.stream().map(Hit::pod).distinct().toList();
        }

        List<ObjectKey> podKeys() {
            return pods().stream().map(AnalysisContext::key).toList();
        }

        Severity severity() {
            return hits.stream().map(Hit::severity).min(Enum::compareTo).orElse(Severity.INFO);
        }

        /** The most severe hit (the one to cite first). */
        Hit worst() {
            return hits.stream().min((a, b) -> a.severity().compareTo(b.severity())).orElse(first());
        }
    }

    static List<Group> group(AnalysisContext ctx, List<Hit> hits) {
        Map<String, Group> groups = new LinkedHashMap<>();
        for (Hit h : hits) {
            ObjectKey w = ctx.workloadOf(h.pod());
            String k = w + "|" + h.container().name();
            groups.computeIfAbsent(k, x -> new Group(w, h.container().name(), new ArrayList<>())).hits().add(h);
        }
        return List.copyOf(groups.values());
    }

    /** The object a group's finding is about: the workload when known, the pod when it stands alone. */
    static ObjectKey subject(AnalysisContext ctx, Group g) {
        if (g.workload().kind().equals("Pod")) return g.workload();
        boolean known = ctx.find(g.workload().kind(), g.workload().namespace(), g.workload().name()).isPresent();
        if (!known && g.pods().size() == 1) return AnalysisContext.key(g.pods().get(0));
        return g.workload();
    }

    /** {@code deployment shop/api} */
    static String describe(ObjectKey k) {
        return k.kind().toLowerCase(Locale.ROOT) + " " + (k.namespace() == null ? "" : k.namespace() + "/") + k.name();
    }

    /** {@code container app of deployment shop/api (pod api-7d9-x2)} */
    static String where(AnalysisContext ctx, Group g) {
        ObjectKey s = subject(ctx, g);
        String pods = s.kind().equals("Pod") ? "" : " (" + podList(g.pods()) + ")";
        if (g.container() == null || g.container().isEmpty()) return describe(s) + pods; // containers not known by name
        return (g.first().container().init() ? "init container " : "container ") + g.container() + " of "
                + describe(s) + pods;
    }

    static String podList(List<Pod> pods) {
        return (pods.size() == 1 ? "pod " : pods.size() + " pods: ")
                + AnalysisContext.names(pods.stream().map(p -> p.getMetadata().getName()), 3);
    }

    /** {@code deployment/api} for kubectl, or null when the workload is a bare pod (its spec cannot be patched). */
    static String target(ObjectKey workload) {
        if (workload.kind().equals("Pod")) return null;
        return workload.kind().toLowerCase(Locale.ROOT) + "/" + workload.name();
    }

    /** {@code kubectl set resources deployment/api -n shop -c app --limits=memory=1Gi}, or a manifest edit. */
    static String setResources(ObjectKey workload, String container, String args, String field) {
        String t = target(workload);
        if (t == null || workload.kind().equals("Job") || workload.kind().equals("ReplicaSet")) {
            return "Change " + field + " of " + (container == null || container.isBlank() ? "the container"
                    : "container " + container) + " in the manifest of " + describe(workload)
                    + " and recreate it (a running pod's resources cannot be patched)";
        }
        return "kubectl set resources " + t + ns(workload) + c(container) + " " + args;
    }

    static String ns(ObjectKey k) {
        return k.namespace() == null ? "" : " -n " + k.namespace();
    }

    static String ns(String namespace) {
        return namespace == null ? "" : " -n " + namespace;
    }

    /** {@code " -c api"}, or nothing when the input did not name the container (a {@code kubectl get} row). */
    static String c(String container) {
        return container == null || container.isBlank() ? "" : " -c " + container;
    }

    /** Twice a memory quantity, in Mi or Gi ({@code 256Mi → 512Mi}); null when unparseable. */
    static String doubled(Quantity q) {
        try {
            BigDecimal bytes = Quantity.getAmountInBytes(q).multiply(BigDecimal.valueOf(2));
            BigDecimal mi = bytes.divide(BigDecimal.valueOf(1024L * 1024L), 0, RoundingMode.CEILING);
            if (mi.remainder(BigDecimal.valueOf(1024)).signum() == 0) {
                return mi.divide(BigDecimal.valueOf(1024)).toPlainString() + "Gi";
            }
            return mi.toPlainString() + "Mi";
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Warning events of a pod about one container (events without a field path count for every container). */
    static List<io.opsagent.core.diagnosis.EventGroup> containerWarnings(AnalysisContext ctx, Pod pod, String container,
                                                                       String... reasons) {
        return ctx.warnings(pod, reasons).stream().filter(g -> {
            String fp = g.latest().getInvolvedObject() == null ? null : g.latest().getInvolvedObject().getFieldPath();
            return fp == null || fp.isBlank() || fp.contains("{" + container + "}");
        }).toList();
    }

    /** The meaning of a container exit code. */
    static String exitMeaning(int code) {
        return switch (code) {
            case 0 -> "the main process exited successfully, but the restart policy keeps restarting it";
            case 1 -> "application error";
            case 2 -> "invalid arguments or shell misuse";
            case 126 -> "the command cannot be executed (permission denied or not executable)";
            case 127 -> "command not found in the image";
            case 134 -> "aborted (SIGABRT)";
            case 137 -> "killed by SIGKILL: out of memory, or killed by the kubelet (e.g. failed liveness probe)";
            case 139 -> "segmentation fault (SIGSEGV)";
            case 143 -> "terminated by SIGTERM (stopped by the kubelet, e.g. failed liveness probe, or shut down)";
            default -> code > 128 ? "killed by signal " + (code - 128) : "application error";
        };
    }
}
