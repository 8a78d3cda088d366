package io.opsagent.core.cluster;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/** What {@code kubectl get pods} shows for a pod, computed from its status (for tools, the API and the UI). */
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
        List<ContainerStatus> containers = p.getStatus().getContainerStatuses();
        if (containers != null) {
            for (ContainerStatus c : containers) {
                String r = reason(c);
                if (r != null && !r.equals("Completed")) return r;
            }
        }
        return p.getStatus().getPhase() == null ? "Unknown" : p.getStatus().getPhase();
    }

    /** The reason of a waiting or terminated container, or null while it runs. */
    public static String reason(ContainerStatus c) {
        if (c.getState() == null) return null;
        if (c.getState().getWaiting() != null) return c.getState().getWaiting().getReason();
        if (c.getState().getTerminated() != null) return c.getState().getTerminated().getReason();
        return null;
    }
}
