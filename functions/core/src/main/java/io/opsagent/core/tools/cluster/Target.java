package io.opsagent.core.tools.cluster;

import io.opsagent.core.cluster.KubeKinds;
import io.opsagent.core.diagnosis.WorkloadResolver;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.diagnosis.AnalysisContext;
import io.opsagent.core.tools.ToolInputException;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What a tool call is about: one workload (and its pods) or a whole namespace.
 *
 * @param object the workload (Deployment, StatefulSet, ...; a Service; a Pod), or null for a namespace
 * @param pods   the pods of the workload (a Service's selected pods), or every pod of the namespace
 */
record Target(String namespace, HasMetadata object, List<Pod> pods, AnalysisContext ctx) {

    /** Kinds tried, in order, when only a name is given. */
    static final List<String> KINDS = KubeKinds.LOOKUP_ORDER;

    /** {@code kind/namespace/name}, or {@code namespace/*}. */
    String label() {
        return object == null ? namespace + "/*"
                : object.getKind() + " " + (namespace == null ? "" : namespace + "/") + object.getMetadata().getName();
    }

    static Target resolve(ClusterSnapshot s, String namespace, String name, String kind) {
        AnalysisContext ctx = new AnalysisContext(s);
        if (namespace != null && !s.namespaceNames().contains(namespace)) {
            throw new ToolInputException(WorkloadResolver.namespaceNotFound(s, namespace));
        }
        if (name == null || name.isBlank() || name.equals("*")) {
            if (namespace == null) throw new ToolInputException("give a namespace or a workload name");
            List<Pod> pods = s.pods().stream().filter(p -> namespace.equals(p.getMetadata().getNamespace())).toList();
            return new Target(namespace, null, pods, ctx);
        }
        Optional<HasMetadata> found = find(s, namespace, name, kind);
        if (found.isEmpty()) {
            throw new ToolInputException(WorkloadResolver.notFound(s, namespace, name,
                    kind == null ? null : canonicalKind(kind)));
        }
        HasMetadata o = found.get();
        List<Pod> pods;
        if (o instanceof Pod p) {
            pods = List.of(p);
        } else if (o instanceof Service svc) {
            pods = ctx.podsSelectedBy(svc);
        } else if (o.getKind().equals("Node")) {
            pods = s.pods().stream().filter(p -> p.getSpec() != null && name.equals(p.getSpec().getNodeName())).toList();
        } else {
            pods = ctx.podsOf(o);
        }
        pods = pods.stream().sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList();
        return new Target(o.getMetadata().getNamespace(), o, pods, ctx);
    }

    private static Optional<HasMetadata> find(ClusterSnapshot s, String namespace, String name, String kind) {
        if (kind != null) {
            String k = canonicalKind(kind);
            return s.find(k, namespace, name);
        }
        return WorkloadResolver.find(s, namespace, name);
    }

    /** Accepts kubectl spellings ({@link KubeKinds}): deploy, deployments, sts, ds, svc, po, pvc, hpa, cm. */
    static String canonicalKind(String kind) {
        String k = KubeKinds.kindOf(kind);
        return k != null ? k : Objects.requireNonNull(kind);
    }
}
