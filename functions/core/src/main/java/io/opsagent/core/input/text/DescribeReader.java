package io.opsagent.core.input.text;

import io.opsagent.core.cluster.TextOrigin;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code kubectl describe} output (one or several objects, each starting with a {@code Name:} line at column 0):
 * finds the kind from the command or from the fields present, and hands each object to its reader.
 */
final class DescribeReader {
    private static final Pattern NAME_LINE = Pattern.compile("^Name:\\s+\\S.*$");

    private DescribeReader() {
    }

    /** True when the section looks like describe output. */
    static boolean looksLike(List<Line> lines) {
        return !lines.isEmpty() && NAME_LINE.matcher(lines.get(0).text()).matches();
    }

    /** Reads every object of the section; returns how many were read. */
    static int read(Section s, Collected out) {
        int count = 0;
        List<Line> cur = new ArrayList<>();
        for (Line l : s.lines()) {
            if (NAME_LINE.matcher(l.text()).matches() && !cur.isEmpty()) {
                count += readOne(s, cur, out);
                cur = new ArrayList<>();
            }
            cur.add(l);
        }
        if (!cur.isEmpty()) count += readOne(s, cur, out);
        return count;
    }

    private static int readOne(Section s, List<Line> lines, Collected out) {
        List<DNode> roots = DNode.parse(lines);
        String kind = kindOf(roots, s);
        if (kind == null) {
            out.skipped.add(new SkippedInput(s.file(), lines.get(0).number(),
                    "kubectl describe output of an unrecognised kind"));
            return 0;
        }
        Section one = new Section(s.file(), lines, s.command(), s.params(), null);
        TextOrigin origin = new TextOrigin(s.file(), lines.get(0).number());
        switch (kind) {
            case "Pod" -> PodDescribe.read(roots, one, origin, out);
            case "Deployment" -> WorkloadDescribe.deployment(roots, one, origin, out);
            case "ReplicaSet" -> WorkloadDescribe.replicaSet(roots, one, origin, out);
            case "StatefulSet" -> WorkloadDescribe.statefulSet(roots, one, origin, out);
            case "DaemonSet" -> WorkloadDescribe.daemonSet(roots, one, origin, out);
            case "Job" -> WorkloadDescribe.job(roots, one, origin, out);
            case "CronJob" -> WorkloadDescribe.cronJob(roots, one, origin, out);
            case "Node" -> InfraDescribe.node(roots, one, origin, out);
            case "Service" -> InfraDescribe.service(roots, one, origin, out);
            case "Endpoints" -> InfraDescribe.endpoints(roots, one, origin, out);
            case "PersistentVolumeClaim" -> InfraDescribe.pvc(roots, one, origin, out);
            case "PersistentVolume" -> InfraDescribe.pv(roots, one, origin, out);
            case "HorizontalPodAutoscaler" -> InfraDescribe.hpa(roots, one, origin, out);
            case "ResourceQuota" -> InfraDescribe.resourceQuota(roots, one, origin, out);
            case "ConfigMap" -> InfraDescribe.configMapOrSecret(roots, one, origin, out, false);
            case "Secret" -> InfraDescribe.configMapOrSecret(roots, one, origin, out, true);
            default -> {
                out.skipped.add(new SkippedInput(s.file(), lines.get(0).number(),
                        "kubectl describe of kind " + kind + " is not read"));
                return 0;
            }
        }
        return 1;
    }

    /** The kind from the fields present (describe output is distinctive), else from the command. */
    static String kindOf(List<DNode> roots, Section s) {
        Set<String> keys = new java.util.HashSet<>();
        for (DNode r : roots) if (r.key != null) keys.add(r.key);
        boolean hasResourceTable = s.lines().stream().anyMatch(l -> l.text().trim().matches("^Resource\\s+Used\\s+Hard$"));
        boolean hasData = s.lines().stream().anyMatch(l -> l.text().equals("Data"));
        String byContent = null;
        if (keys.contains("Containers") && (keys.contains("QoS Class") || keys.contains("Node") || keys.contains("IP"))) byContent = "Pod";
        else if (keys.contains("NewReplicaSet") || keys.contains("OldReplicaSets") || keys.contains("StrategyType")) byContent = "Deployment";
        else if (keys.contains("Desired Number of Nodes Scheduled")) byContent = "DaemonSet";
        else if (keys.contains("Completions") || keys.contains("Pods Statuses") || keys.contains("Backoff Limit") && !keys.contains("Schedule")) byContent = "Job";
        else if (keys.contains("Schedule") && keys.contains("Concurrency Policy")) byContent = "CronJob";
        else if (keys.contains("Update Strategy") || keys.contains("Volume Claims")) byContent = "StatefulSet";
        else if (keys.contains("Pods Status") && keys.contains("Replicas")) byContent = "ReplicaSet";
        else if (keys.contains("Roles") || keys.contains("System Info") || keys.contains("Taints") && keys.contains("Capacity")) byContent = "Node";
        else if (keys.contains("Reference") && (keys.contains("Min replicas") || keys.contains("Max replicas"))) byContent = "HorizontalPodAutoscaler";
        else if (hasResourceTable) byContent = "ResourceQuota";
        else if (keys.contains("Reclaim Policy")) byContent = "PersistentVolume";
        else if (keys.contains("StorageClass") && (keys.contains("Access Modes") || keys.contains("Used By") || keys.contains("VolumeMode"))) byContent = "PersistentVolumeClaim";
        else if (keys.contains("TargetPort") || keys.contains("Session Affinity") || keys.contains("Type") && keys.contains("Endpoints")) byContent = "Service";
        else if (keys.contains("Subsets")) byContent = "Endpoints";
        else if (hasData && keys.contains("Type")) byContent = "Secret";
        else if (hasData) byContent = "ConfigMap";
        if (byContent != null) return byContent;
        String k = s.command().kind();
        return Kinds.known(k) ? k : null;
    }
}
