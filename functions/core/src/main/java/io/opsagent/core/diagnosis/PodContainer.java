package io.opsagent.core.diagnosis;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;

/**
 * One container of a pod: its spec and its status side by side, with the field paths needed to cite them.
 *
 * @param spec       the container spec (may be null when only the status is known)
 * @param status     the container status (may be null before the pod is scheduled)
 * @param init       true for an init container
 * @param specPath   e.g. {@code spec.containers[0]}
 * @param statusPath e.g. {@code status.containerStatuses[0]}
 */
public record PodContainer(Pod pod, String name, Container spec, ContainerStatus status, boolean init,
                           String specPath, String statusPath) {

    /** The app containers of {@code pod} (spec order, statuses matched by name). */
    public static List<PodContainer> of(Pod pod) {
        return list(pod, false);
    }

    /** The init containers of {@code pod}. */
    public static List<PodContainer> initOf(Pod pod) {
        return list(pod, true);
    }

    private static List<PodContainer> list(Pod pod, boolean init) {
        List<Container> specs = pod.getSpec() == null ? List.of()
                : init ? nz(pod.getSpec().getInitContainers()) : nz(pod.getSpec().getContainers());
        List<ContainerStatus> statuses = pod.getStatus() == null ? List.of()
                : init ? nz(pod.getStatus().getInitContainerStatuses()) : nz(pod.getStatus().getContainerStatuses());
        String specField = init ? "spec.initContainers" : "spec.containers";
        String statusField = init ? "status.initContainerStatuses" : "status.containerStatuses";
        List<PodContainer> out = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            Container c = specs.get(i);
            int si = indexOf(statuses, c.getName());
            out.add(new PodContainer(pod, c.getName(), c, si < 0 ? null : statuses.get(si), init,
                    specField + "[" + i + "]", si < 0 ? null : statusField + "[" + si + "]"));
            seen.add(c.getName());
        }
        for (int i = 0; i < statuses.size(); i++) {
            ContainerStatus s = statuses.get(i);
            if (!seen.contains(s.getName())) {
                out.add(new PodContainer(pod, s.getName(), null, s, init, null, statusField + "[" + i + "]"));
            }
        }
        return out;
    }

    private static int indexOf(List<ContainerStatus> statuses, String name) {
        for (int i = 0; i < statuses.size(); i++) {
            if (name != null && name.equals(statuses.get(i).getName())) return i;
        }
        return -1;
    }

    private static <T> List<T> nz(List<T> l) {
        return l == null ? List.of() : l;
    }

    public ContainerStateWaiting waiting() {
        return status == null || status.getState() == null ? null : status.getState().getWaiting();
    }

    public String waitingReason() {
        ContainerStateWaiting w = waiting();
        return w == null ? null : w.getReason();
    }

    public String waitingMessage() {
        ContainerStateWaiting w = waiting();
        return w == null ? null : w.getMessage();
    }

    /** The current state if terminated, else null. */
    public ContainerStateTerminated terminated() {
        return status == null || status.getState() == null ? null : status.getState().getTerminated();
    }

    /** The previous instance's termination, else null. */
    public ContainerStateTerminated lastTerminated() {
        return status == null || status.getLastState() == null ? null : status.getLastState().getTerminated();
    }

    /** The most relevant termination: the current one if terminated, else the last one. */
    public ContainerStateTerminated latestTermination() {
        return terminated() != null ? terminated() : lastTerminated();
    }

    /** Field path of {@link #latestTermination()} relative to the pod. */
    public String latestTerminationPath() {
        return statusPath + (terminated() != null ? ".state.terminated" : ".lastState.terminated");
    }

    public boolean running() {
        return status != null && status.getState() != null && status.getState().getRunning() != null;
    }

    public boolean ready() {
        return status != null && Boolean.TRUE.equals(status.getReady());
    }

    public int restarts() {
        return status == null || status.getRestartCount() == null ? 0 : status.getRestartCount();
    }

    public String image() {
        if (spec != null && spec.getImage() != null) return spec.getImage();
        return status == null ? null : status.getImage();
    }

    /** The pod's name. */
    public String podName() {
        return pod.getMetadata().getName();
    }
}
