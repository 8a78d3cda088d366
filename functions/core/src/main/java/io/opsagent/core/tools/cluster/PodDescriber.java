package io.opsagent.core.tools.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.opsagent.core.cluster.PodStatus;
import java.util.ArrayList;
import java.util.List;

/** A pod laid out like {@code kubectl describe pod}: containers with state, resources, env, probes; conditions. */
final class PodDescriber {
    private PodDescriber() {
    }

    static String describe(Pod p) {
        StringBuilder sb = new StringBuilder();
        sb.append("Node: ").append(PodText.node(p)).append('\n');
        sb.append("Status: ").append(PodStatus.display(p)).append(" (phase ")
                .append(p.getStatus() == null ? "?" : p.getStatus().getPhase()).append(")\n");
        if (p.getMetadata().getLabels() != null) sb.append("Labels: ").append(p.getMetadata().getLabels()).append('\n');
        if (p.getMetadata().getOwnerReferences() != null && !p.getMetadata().getOwnerReferences().isEmpty()) {
            var o = p.getMetadata().getOwnerReferences().get(0);
            sb.append("Controlled by: ").append(o.getKind()).append('/').append(o.getName()).append('\n');
        }
        if (p.getSpec() != null) {
            if (p.getSpec().getInitContainers() != null && !p.getSpec().getInitContainers().isEmpty()) {
                sb.append("Init containers:\n");
                for (Container c : p.getSpec().getInitContainers()) {
                    container(sb, c, status(p.getStatus() == null ? null : p.getStatus().getInitContainerStatuses(), c.getName()));
                }
            }
            sb.append("Containers:\n");
            for (Container c : p.getSpec().getContainers()) {
                container(sb, c, status(PodText.statuses(p), c.getName()));
            }
        }
        if (p.getStatus() != null && p.getStatus().getConditions() != null) {
            sb.append("Conditions:\n");
            for (PodCondition c : p.getStatus().getConditions()) {
                sb.append("  ").append(c.getType()).append('=').append(c.getStatus())
                        .append(c.getReason() == null ? "" : " (" + c.getReason() + ")")
                        .append(c.getMessage() == null ? "" : ": " + c.getMessage()).append('\n');
            }
        }
        return sb.toString();
    }

    private static ContainerStatus status(List<ContainerStatus> l, String name) {
        if (l == null) return null;
        return l.stream().filter(s -> name.equals(s.getName())).findFirst().orElse(null);
    }

    private static void container(StringBuilder sb, Container c, ContainerStatus s) {
        sb.append("  ").append(c.getName()).append(":\n    Image: ").append(c.getImage()).append('\n');
        if (s != null) {
            sb.append("    State: ").append(state(s.getState())).append('\n');
            if (s.getLastState() != null && (s.getLastState().getTerminated() != null || s.getLastState().getWaiting() != null)) {
                sb.append("    Last state: ").append(state(s.getLastState())).append('\n');
            }
            sb.append("    Ready: ").append(s.getReady()).append(", restarts: ").append(s.getRestartCount()).append('\n');
        }
        if (c.getResources() != null) {
            if (c.getResources().getRequests() != null && !c.getResources().getRequests().isEmpty()) {
                sb.append("    Requests: ").append(c.getResources().getRequests()).append('\n');
            }
            if (c.getResources().getLimits() != null && !c.getResources().getLimits().isEmpty()) {
                sb.append("    Limits: ").append(c.getResources().getLimits()).append('\n');
            }
        }
        if (c.getEnv() != null && !c.getEnv().isEmpty()) {
            List<String> env = new ArrayList<>();
            for (EnvVar e : c.getEnv()) env.add(env(e));
            sb.append("    Environment: ").append(String.join(", ", env)).append('\n');
        }
        if (c.getEnvFrom() != null) {
            c.getEnvFrom().forEach(f -> sb.append("    Environment from: ")
                    .append(f.getConfigMapRef() != null ? "configmap " + f.getConfigMapRef().getName()
                            : f.getSecretRef() != null ? "secret " + f.getSecretRef().getName() : "?").append('\n'));
        }
        if (c.getLivenessProbe() != null) sb.append("    Liveness: ").append(Probes.describe(c.getLivenessProbe())).append('\n');
        if (c.getReadinessProbe() != null) sb.append("    Readiness: ").append(Probes.describe(c.getReadinessProbe())).append('\n');
        if (c.getStartupProbe() != null) sb.append("    Startup: ").append(Probes.describe(c.getStartupProbe())).append('\n');
    }

    private static String env(EnvVar e) {
        if (e.getValueFrom() != null) {
            var f = e.getValueFrom();
            if (f.getSecretKeyRef() != null) {
                return e.getName() + "=<secret " + f.getSecretKeyRef().getName() + " key " + f.getSecretKeyRef().getKey() + ">";
            }
            if (f.getConfigMapKeyRef() != null) {
                return e.getName() + "=<configmap " + f.getConfigMapKeyRef().getName() + " key " + f.getConfigMapKeyRef().getKey() + ">";
            }
            return e.getName() + "=<from field>";
        }
        return e.getName() + "=" + e.getValue();
    }

    static String state(ContainerState st) {
        if (st == null) return "?";
        if (st.getRunning() != null) return "Running since " + st.getRunning().getStartedAt();
        if (st.getWaiting() != null) {
            return "Waiting (" + st.getWaiting().getReason() + ")"
                    + (st.getWaiting().getMessage() == null ? "" : ": " + st.getWaiting().getMessage());
        }
        if (st.getTerminated() != null) {
            var t = st.getTerminated();
            return "Terminated (" + t.getReason() + ", exit code " + t.getExitCode() + ", finished " + t.getFinishedAt() + ")";
        }
        return "?";
    }
}
