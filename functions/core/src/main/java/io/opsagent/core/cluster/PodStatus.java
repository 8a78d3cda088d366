package io.opsagent.core.cluster;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/** What {@code kubectl get pods} shows for a pod (STATUS, READY, RESTARTS), for the tools, the API and the UI. */
public final class PodStatus {
    private PodStatus() {
    }

    /** The STATUS column: the pod's reason (Evicted), an init container's reason, a container's reason, else the phase. */
    public static String display(Pod p) {
        if (p.getStatus() == null) return "Unknown";
        if (p.getStatus().getReason() != null) return p.getStatus().getReason();
        if (p.getStatus().getInitContainerStatuses() != null) {
            for (ContainerStatus c : p.getStatus().getInitContainerStatuses()) {
                String r = reason(c);
                if (r != null && !r.equals("Completed")) return "Init:" + r;
            }
        }
        for (ContainerStatus c : containers(p)) {
            String r = reason(c);
            if (r != null && !r.equals("Completed")) return r;
        }
        return p.getStatus().getPhase() == null ? "Unknown" : p.getStatus().getPhase();
    }

    /** The READY column: ready containers over the containers of the pod's spec (or of its status). */
    public static String readyCount(Pod p) {
        List<ContainerStatus> s = containers(p);
        int total = p.getSpec() == null || p.getSpec().getContainers() == null ? s.size() : p.getSpec().getContainers().size();
        return s.stream().filter(c -> Boolean.TRUE.equals(c.getReady())).count() + "/" + total;
    }

    /** The RESTARTS column: restarts of all the pod's (non-init) containers. */
    public static int restarts(Pod p) {
        return containers(p).stream().mapToInt(c -> c.getRestartCount() == null ? 0 : c.getRestartCount()).sum();
    }

    private static List<ContainerStatus> containers(Pod p) {
        return p.getStatus() == null || p.getStatus().getContainerStatuses() == null
                ? List.of() : p.getStatus().getContainerStatuses();
    }

    /** The reason of a waiting or terminated container, or null while it runs. */
    public static String reason(ContainerStatus c) {
        if (c.getState() == null) return null;
        if (c.getState().getWaiting() != null) return c.getState().getWaiting().getReason();
        if (c.getState().getTerminated() != null) return c.getState().getTerminated().getReason();
        return null;
    }
}
