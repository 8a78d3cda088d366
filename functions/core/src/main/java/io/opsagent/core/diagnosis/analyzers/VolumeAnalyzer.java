package io.opsagent.core.diagnosis.analyzers;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.opsagent.core.cluster.ObjectKey;
import io.opsagent.core.diagnosis.AnalysisContext;
import io.opsagent.core.diagnosis.Analyzer;
import io.opsagent.core.diagnosis.Category;
import io.opsagent.core.diagnosis.EventGroup;
import io.opsagent.core.diagnosis.EvidenceSource;
import io.opsagent.core.diagnosis.Finding;
import io.opsagent.core.diagnosis.FindingBuilder;
import io.opsagent.core.diagnosis.Severity;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Storage problems: PersistentVolumeClaims stuck in Pending (missing StorageClass, provisioning failures), pods
 * waiting for a missing or unbound claim, and mount/attach failures (FailedMount, FailedAttachVolume, Multi-Attach).
 */
public final class VolumeAnalyzer implements Analyzer {
    private static final Pattern SC_NOT_FOUND = Pattern.compile("storageclass\\.storage\\.k8s\\.io \"([^\"]+)\" not found");
    private static final Pattern PVC_NOT_FOUND = Pattern.compile("persistentvolumeclaim \"([^\"]+)\" not found");
    private static final Pattern CONFIG_NOT_FOUND = Pattern.compile("(?i)(configmap|secret)s? \"[^\"]+\" not found|couldn't find key");

    @Override
    public List<Finding> analyze(AnalysisContext ctx) {
        List<Finding> out = new ArrayList<>();
        Set<ObjectKey> coveredPods = new HashSet<>();
        for (PersistentVolumeClaim pvc : ctx.snapshot().pvcs()) {
            if (pvc.getStatus() == null || !"Pending".equals(pvc.getStatus().getPhase())) continue;
            List<Pod> users = users(ctx, pvc);
            List<EventGroup> warnings = ctx.warnings(pvc);
            boolean waiting = users.stream().anyMatch(p -> p.getStatus() != null && "Pending".equals(p.getStatus().getPhase()));
            if (warnings.isEmpty() && !waiting) continue; // WaitForFirstConsumer with nobody using it yet
            users.forEach(p -> coveredPods.add(AnalysisContext.key(p)));
            out.add(pvcFinding(ctx, pvc, users, warnings));
        }
        // pending pods whose claim is missing or unbound, when the claim itself is not in the snapshot
        Map<ObjectKey, List<Pending>> byWorkload = new LinkedHashMap<>();
        for (Pod pod : ctx.snapshot().pods()) {
            if (coveredPods.contains(AnalysisContext.key(pod))) continue;
            Pending.of(ctx, pod).filter(Pending::aboutVolumes)
                    .ifPresent(p -> byWorkload.computeIfAbsent(ctx.workloadOf(pod), k -> new ArrayList<>()).add(p));
        }
        byWorkload.forEach((w, ps) -> out.add(pendingFinding(ctx, w, ps)));
        // mount and attach failures of pods that do not run
        Map<ObjectKey, List<Pod>> mountFailures = new LinkedHashMap<>();
        for (Pod pod : ctx.snapshot().pods()) {
            if (coveredPods.contains(AnalysisContext.key(pod)) || mountWarnings(ctx, pod).isEmpty()) continue;
            mountFailures.computeIfAbsent(ctx.workloadOf(pod), k -> new ArrayList<>()).add(pod);
        }
        mountFailures.forEach((w, pods) -> out.add(mountFinding(ctx, w, pods)));
        return out;
    }

    private static List<Pod> users(AnalysisContext ctx, PersistentVolumeClaim pvc) {
        String name = pvc.getMetadata().getName();
        return ctx.snapshot().pods().stream()
                .filter(p -> java.util.Objects.equals(p.getMetadata().getNamespace(), pvc.getMetadata().getNamespace()))
                .filter(p -> claims(p).contains(name)).toList();
    }

    private static List<String> claims(Pod p) {
        if (p.getSpec() == null || p.getSpec().getVolumes() == null) return List.of();
        return p.getSpec().getVolumes().stream().map(Volume::getPersistentVolumeClaim).filter(java.util.Objects::nonNull)
                .map(c -> c.getClaimName()).toList();
    }

    private Finding pvcFinding(AnalysisContext ctx, PersistentVolumeClaim pvc, List<Pod> users, List<EventGroup> warnings) {
        String ns = pvc.getMetadata().getNamespace();
        String name = pvc.getMetadata().getName();
        String sc = pvc.getSpec() == null ? null : pvc.getSpec().getStorageClassName();
        String cause = warnings.isEmpty() ? "no volume has been provisioned or bound yet" : warnings.get(0).message();
        Matcher m = SC_NOT_FOUND.matcher(String.join(" ", warnings.stream().map(EventGroup::message).toList()));
        boolean missingSc = m.find();
        StringBuilder s = new StringBuilder("PersistentVolumeClaim " + ns + "/" + name + " is Pending");
        if (missingSc) s.append(": its StorageClass \"").append(m.group(1)).append("\" does not exist");
        else s.append(": ").append(cause);
        if (!warnings.isEmpty() && warnings.get(0).count() > 1 && missingSc) s.append(" (").append(warnings.get(0).count()).append(" provisioning failures)");
        if (!users.isEmpty()) {
            s.append("; ").append(Workloads.podList(users)).append(users.size() == 1 ? " cannot start" : " cannot start");
        }
        s.append('.');
        FindingBuilder b = ctx.finding(Category.VolumeError, Severity.CRITICAL, AnalysisContext.key(pvc)).summary(s.toString())
                .about(users.stream().map(AnalysisContext::key).toList());
        b.evidence(ctx.evidence(pvc, "status.phase", EvidenceSource.STATUS, "phase: Pending"));
        if (sc != null) b.evidence(ctx.evidence(pvc, "spec.storageClassName", EvidenceSource.SPEC, "storageClassName: " + sc));
        warnings.stream().limit(2).forEach(e -> b.evidence(ctx.evidence(e)));
        for (Pod u : users) {
            Pending.of(ctx, u).ifPresent(p -> b.evidence(p.evidence()));
            break;
        }
        if (missingSc) {
            b.fix("List the StorageClasses that exist: kubectl get storageclass");
            b.fix("Recreate the claim with an existing class (storageClassName cannot be changed in place): kubectl get pvc "
                    + name + " -n " + ns + " -o yaml > pvc.yaml; set spec.storageClassName; kubectl delete pvc " + name
                    + " -n " + ns + "; kubectl apply -f pvc.yaml");
            b.fix("Or create the StorageClass \"" + m.group(1) + "\" (on EKS with the EBS CSI driver: provisioner ebs.csi.aws.com)");
        } else {
            b.fix("kubectl describe pvc " + name + " -n " + ns + " and check the provisioner (on EKS: the EBS CSI driver "
                    + "pods in kube-system and their IAM role)");
        }
        return b.build();
    }

    private Finding pendingFinding(AnalysisContext ctx, ObjectKey workload, List<Pending> ps) {
        Pending p = ps.get(0);
        Pod pod = p.pod();
        String ns = pod.getMetadata().getNamespace();
        boolean known = ctx.find(workload.kind(), workload.namespace(), workload.name()).isPresent();
        ObjectKey subject = !known && ps.size() == 1 ? AnalysisContext.key(pod) : workload;
        Matcher m = PVC_NOT_FOUND.matcher(p.message());
        List<String> claims = claims(pod);
        String what = subject.kind().equals("Pod") ? "Pod " + ns + "/" + pod.getMetadata().getName()
                : Workloads.podList(ps.stream().map(Pending::pod).toList()) + " of " + Workloads.describe(subject);
        String s = what + " cannot be scheduled: " + (m.find() ? "its PersistentVolumeClaim \"" + m.group(1) + "\" does not exist"
                : "its PersistentVolumeClaim" + (claims.isEmpty() ? "" : " " + String.join(", ", claims)) + " is not bound")
                + " (scheduler: \"" + p.message().split("(?i)preemption:")[0].strip() + "\").";
        FindingBuilder b = ctx.finding(Category.VolumeError, Severity.CRITICAL, subject).summary(s)
                .about(ps.stream().map(x -> AnalysisContext.key(x.pod())).toList());
        b.evidence(p.evidence());
        claims.forEach(c -> b.related(new ObjectKey("PersistentVolumeClaim", ns, c)));
        b.fix("Check the claim: kubectl get pvc -n " + ns + "; kubectl describe pvc " + (claims.isEmpty() ? "<claim>" : claims.get(0)) + " -n " + ns);
        b.fix("Create the missing claim or fix claimName in the pod template; if it is Pending, fix its StorageClass");
        return b.build();
    }

    private static List<EventGroup> mountWarnings(AnalysisContext ctx, Pod pod) {
        if (pod.getStatus() == null || "Running".equals(pod.getStatus().getPhase()) && allReady(pod)
                || "Succeeded".equals(pod.getStatus().getPhase())) {
            return List.of();
        }
        return ctx.warnings(pod, "FailedMount", "FailedAttachVolume", "FailedMapVolume").stream()
                .filter(e -> !CONFIG_NOT_FOUND.matcher(e.message()).find()).toList();
    }

    private static boolean allReady(Pod pod) {
        return pod.getStatus().getContainerStatuses() != null && pod.getStatus().getContainerStatuses().stream()
                .allMatch(c -> Boolean.TRUE.equals(c.getReady()));
    }

    private Finding mountFinding(AnalysisContext ctx, ObjectKey workload, List<Pod> pods) {
        Pod pod = pods.get(0);
        String ns = pod.getMetadata().getNamespace();
        List<EventGroup> ws = mountWarnings(ctx, pod);
        EventGroup e = ws.get(0);
        boolean known = ctx.find(workload.kind(), workload.namespace(), workload.name()).isPresent();
        ObjectKey subject = !known && pods.size() == 1 ? AnalysisContext.key(pod) : workload;
        String what = subject.kind().equals("Pod") ? "Pod " + ns + "/" + pod.getMetadata().getName()
                : Workloads.podList(pods) + " of " + Workloads.describe(subject);
        String s = OOMKilledAnalyzer.capitalize(what) + " cannot mount a volume (" + e.reason()
                + (e.count() > 1 ? ", " + e.count() + " times" : "") + "): " + e.message() + ".";
        FindingBuilder b = ctx.finding(Category.VolumeError, Severity.CRITICAL, subject).summary(s)
                .about(pods.stream().map(AnalysisContext::key).toList());
        ws.stream().limit(2).forEach(x -> b.evidence(ctx.evidence(x)));
        claims(pod).forEach(c -> b.related(new ObjectKey("PersistentVolumeClaim", ns, c)));
        if (e.message().contains("Multi-Attach")) {
            b.fix("The ReadWriteOnce volume is still attached to another node: delete the old pod that uses it, or use "
                    + "strategy type Recreate for the Deployment (kubectl patch " + (Workloads.target(workload) == null ? "<workload>" : Workloads.target(workload))
                    + " -n " + ns + " -p '{\"spec\":{\"strategy\":{\"type\":\"Recreate\",\"rollingUpdate\":null}}}')");
        } else {
            b.fix("kubectl describe pod " + pod.getMetadata().getName() + " -n " + ns
                    + "; check the volume exists in the pod's availability zone and the CSI driver pods in kube-system are healthy");
        }
        return b.build();
    }
}
