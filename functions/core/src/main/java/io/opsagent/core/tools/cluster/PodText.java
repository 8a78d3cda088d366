package io.opsagent.core.tools.cluster;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.opsagent.core.cluster.PodStatus;
import java.util.ArrayList;
import java.util.List;

/** One-line pod status as {@code kubectl get pods} shows it. */
final class PodText {
    private PodText() {
    }

    static List<ContainerStatus> statuses(Pod p) {
        List<ContainerStatus> l = new ArrayList<>();
        if (p.getStatus() != null && p.getStatus().getContainerStatuses() != null) {
            l.addAll(p.getStatus().getContainerStatuses());
        }
        return l;
    }

    static boolean ready(Pod p) {
        List<ContainerStatus> s = statuses(p);
        return !s.isEmpty() && s.stream().allMatch(c -> Boolean.TRUE.equals(c.getReady()));
    }

    static String node(Pod p) {
        return p.getSpec() == null || p.getSpec().getNodeName() == null ? "<none>" : p.getSpec().getNodeName();
    }

    static String line(Pod p) {
        return p.getMetadata().getName() + "  " + PodStatus.readyCount(p) + "  " + PodStatus.display(p) + "  restarts " + PodStatus.restarts(p)
                + "  node " + node(p);
    }
}
