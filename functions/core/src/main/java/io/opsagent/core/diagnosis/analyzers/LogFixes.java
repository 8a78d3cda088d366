package io.opsagent.core.diagnosis.analyzers;

import io.opsagent.core.cluster.ObjectKey;
import io.opsagent.core.diagnosis.LogExplanation;
import io.opsagent.core.diagnosis.logs.LogSignal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Remediation steps derived from the decisive log line of a failing container. */
final class LogFixes {
    private static final Pattern ENV_VAR = Pattern.compile(
            "(?i)(?:env(?:ironment)?(?:\\s+var(?:iable)?)?|variable|setting|config(?:uration)?(?: key)?)\\s+['\"`$]?\\{?(?-i:([A-Z][A-Z0-9_]{2,}))");
    private static final Pattern UPPER = Pattern.compile("\\b([A-Z][A-Z0-9]*_[A-Z0-9_]+)\\b");

    private LogFixes() {
    }

    /** The environment variable named in a missing-configuration line, or null. */
    static String envVar(String line) {
        Matcher m = ENV_VAR.matcher(line);
        if (m.find()) return m.group(1);
        Matcher u = UPPER.matcher(line);
        return u.find() ? u.group(1) : null;
    }

    static LogSignal.Kind kindOf(LogExplanation e) {
        return e.signals().isEmpty() ? null : e.signals().get(0).kind();
    }

    /** Steps for a failure explained by {@code e} in {@code container} of {@code workload}. */
    static List<String> steps(ObjectKey workload, String container, LogExplanation e) {
        List<String> out = new ArrayList<>();
        String ns = Workloads.ns(workload);
        String target = Workloads.target(workload);
        LogSignal.Kind kind = kindOf(e);
        String line = e.first().text();
        if (kind == null) {
            String lower = line.toLowerCase(java.util.Locale.ROOT);
            String var = lower.contains("undefined") || lower.contains("not set") || lower.contains("missing")
                    ? envVar(line) : null;
            if (var != null) kind = LogSignal.Kind.MISSING_CONFIG;
        }
        if (kind != null) {
            switch (kind) {
                case MISSING_CONFIG -> {
                    String var = envVar(line);
                    if (var != null && target != null) {
                        out.add("Provide the missing setting: kubectl set env " + target + ns + Workloads.c(container) + " "
                                + var + "=<value> (or add it to the ConfigMap/Secret the container reads)");
                    } else {
                        out.add("Provide the missing configuration named in " + e.log().ref(e.first())
                                + " (env var, ConfigMap key or mounted file) in the pod template");
                    }
                }
                case DEPENDENCY_UNREACHABLE -> out.add("Check that the dependency named in the log is running and "
                        + "reachable: kubectl get svc,endpoints" + ns + "; verify host, port and NetworkPolicies");
                case SLOW_DEPENDENCY -> out.add("Find why the dependency named in the log answers slowly (its load, "
                        + "the query or procedure named, locks, indexes) and bound the wait with a timeout; the pod "
                        + "itself is healthy, so restarting it will not help");
                case AUTH_FAILURE -> out.add("Fix the credentials the application uses (the Secret referenced by the "
                        + "pod template) and restart: kubectl rollout restart " + (target == null ? "<workload>" : target) + ns);
                case TLS_CERTIFICATE -> out.add("Renew or replace the certificate (or trust its CA) named in the log; "
                        + "check it with: openssl s_client -connect <host>:443 -servername <host>");
                case PORT_IN_USE -> out.add("Make the container listen on a free port (two processes or containers bind "
                        + "the same port); align containerPort and the probes");
                case PERMISSION_DENIED -> out.add("Fix file permissions or the securityContext (runAsUser, fsGroup) "
                        + "for the path in the log");
                case DISK_FULL -> out.add("Free or enlarge the volume the application writes to (PVC size, "
                        + "emptyDir sizeLimit, ephemeral-storage)");
                case OUT_OF_MEMORY -> out.add("Raise the memory limit or lower the application's heap: "
                        + Workloads.setResources(workload, container, "--limits=memory=<higher>", "resources.limits.memory"));
                default -> out.add("Fix the application error at " + e.log().ref(e.first())
                        + " or roll back to the last working version: kubectl rollout undo "
                        + (target == null ? "<workload>" : target) + ns);
            }
        }
        return out;
    }
}
