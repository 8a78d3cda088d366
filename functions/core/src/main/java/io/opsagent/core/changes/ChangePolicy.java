package io.opsagent.core.changes;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsagent.core.actions.Action;
import io.opsagent.core.actions.ActionKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a change may be, in code and configuration: allowed image registries, replica and resource bounds, change
 * windows and freezes per namespace, whether a failed change is rolled back without asking again, and the chain's
 * timeouts. {@link #violations} names every rule a change breaks, not only the first.
 *
 * @param registries       image prefixes a new image must start with (e.g. {@code 123456789012.dkr.ecr.}); empty: any
 * @param maxMemory        the largest memory request or limit a change may set, in bytes (0: no bound)
 * @param maxCpuMillis     the largest CPU request or limit, in millicores (0: no bound)
 * @param autoRollback     a failed analysis rolls back at once, as the approver (the approval card says so); else a
 *                         rollback is proposed for a human to approve
 * @param analysis         how long the monitor watches health signals after the rollout
 * @param approvalTimeout  the approval's expiry (the approval state's TimeoutSeconds)
 * @param heartbeat        how often the server must say it still holds a step (HeartbeatSeconds)
 */
public record ChangePolicy(List<String> registries, int minReplicas, int maxReplicas, long maxMemory, long maxCpuMillis,
                           List<ChangeWindow> windows, boolean autoRollback, Duration analysis, Duration approvalTimeout,
                           Duration heartbeat, Duration stepTimeout) {

    /** The local defaults: any registry, 0–50 replicas, up to 16Gi and 8 CPUs, no windows, automatic rollback. */
    public static final ChangePolicy LOCAL = new ChangePolicy(List.of(), 0, 50, 16L << 30, 8000, List.of(), true,
            Duration.ofSeconds(30), Duration.ofMinutes(15), Duration.ofSeconds(60), Duration.ofMinutes(5));

    public ChangePolicy {
        registries = registries == null ? List.of() : List.copyOf(registries);
        windows = windows == null ? List.of() : List.copyOf(windows);
        if (minReplicas < 0 || maxReplicas < minReplicas) {
            throw new IllegalArgumentException("replica bounds " + minReplicas + ".." + maxReplicas + " are not a range");
        }
        if (heartbeat.compareTo(approvalTimeout) >= 0) {
            throw new IllegalArgumentException("the heartbeat (" + heartbeat + ") must be shorter than the approval timeout ("
                    + approvalTimeout + ")");
        }
    }

    public ChangePolicy withWindows(List<ChangeWindow> w) {
        return new ChangePolicy(registries, minReplicas, maxReplicas, maxMemory, maxCpuMillis, w, autoRollback, analysis,
                approvalTimeout, heartbeat, stepTimeout);
    }

    public ChangePolicy withTimes(Duration analysis, Duration approvalTimeout, Duration heartbeat) {
        return new ChangePolicy(registries, minReplicas, maxReplicas, maxMemory, maxCpuMillis, windows, autoRollback,
                analysis, approvalTimeout, heartbeat, stepTimeout);
    }

    public ChangePolicy withRegistries(List<String> r) {
        return new ChangePolicy(r, minReplicas, maxReplicas, maxMemory, maxCpuMillis, windows, autoRollback, analysis,
                approvalTimeout, heartbeat, stepTimeout);
    }

    /** Every rule {@code a} breaks at {@code now}; empty when it may run. */
    public List<String> violations(Action a, Instant now) {
        List<String> out = new ArrayList<>();
        JsonNode p = a.params();
        if (a.kind() == ActionKind.SET_IMAGE && !registries.isEmpty()) {
            String image = p.path("image").asText("");
            if (registries.stream().noneMatch(image::startsWith)) {
                out.add("image " + image + " is not from an allowed registry (" + String.join(", ", registries) + ")");
            }
        }
        if (a.kind() == ActionKind.SCALE) {
            int r = p.path("replicas").asInt(-1);
            if (r < minReplicas || r > maxReplicas) {
                out.add("replicas " + r + " is outside the allowed " + minReplicas + ".." + maxReplicas);
            }
        }
        if (a.kind() == ActionKind.SET_RESOURCES) {
            for (String group : List.of("requests", "limits")) {
                JsonNode g = p.path(group);
                String mem = g.path("memory").asText(null);
                if (mem != null && maxMemory > 0 && Quantities.bytes(mem) > maxMemory) {
                    out.add(group + ".memory " + mem + " is above the allowed " + Quantities.memory(maxMemory));
                }
                String cpu = g.path("cpu").asText(null);
                if (cpu != null && maxCpuMillis > 0 && Quantities.millicores(cpu) > maxCpuMillis) {
                    out.add(group + ".cpu " + cpu + " is above the allowed " + maxCpuMillis + "m");
                }
            }
        }
        List<ChangeWindow> mine = windows.stream().filter(w -> w.appliesTo(a.namespace())).toList();
        for (ChangeWindow w : mine) {
            if (w.kind().equals("deny") && w.openAt(now)) out.add("namespace " + a.namespace() + " is frozen: " + w.describe() + " is open");
        }
        List<ChangeWindow> allow = mine.stream().filter(w -> w.kind().equals("allow")).toList();
        if (!allow.isEmpty() && allow.stream().noneMatch(w -> w.openAt(now))) {
            out.add("namespace " + a.namespace() + " is outside its change windows (" + String.join("; ",
                    allow.stream().map(ChangeWindow::describe).toList()) + ")");
        }
        return out;
    }

    /** Kubernetes quantities, as far as bounds need them. */
    static final class Quantities {
        private Quantities() {
        }

        static long bytes(String q) {
            String s = q.strip();
            String[][] units = {{"Ki", "1024"}, {"Mi", "1048576"}, {"Gi", "1073741824"}, {"Ti", "1099511627776"},
                    {"k", "1000"}, {"M", "1000000"}, {"G", "1000000000"}, {"T", "1000000000000"}};
            for (String[] u : units) {
                if (s.endsWith(u[0])) {
                    return (long) (Double.parseDouble(s.substring(0, s.length() - u[0].length())) * Long.parseLong(u[1]));
                }
            }
            return (long) Double.parseDouble(s);
        }

        static long millicores(String q) {
            String s = q.strip();
            return s.endsWith("m") ? Long.parseLong(s.substring(0, s.length() - 1)) : (long) (Double.parseDouble(s) * 1000);
        }

        static String memory(long bytes) {
            return bytes % (1L << 30) == 0 ? (bytes >> 30) + "Gi" : (bytes >> 20) + "Mi";
        }
    }
}
