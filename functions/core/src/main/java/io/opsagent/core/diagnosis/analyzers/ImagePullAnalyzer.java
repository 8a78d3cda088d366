package io.opsagent.core.diagnosis.analyzers;

import io.fabric8.kubernetes.api.model.Pod;
import io.opsagent.core.cluster.ObjectKey;
import io.opsagent.core.diagnosis.AnalysisContext;
import io.opsagent.core.diagnosis.Analyzer;
import io.opsagent.core.diagnosis.Category;
import io.opsagent.core.diagnosis.EventGroup;
import io.opsagent.core.diagnosis.EvidenceSource;
import io.opsagent.core.diagnosis.Finding;
import io.opsagent.core.diagnosis.FindingBuilder;
import io.opsagent.core.diagnosis.PodContainer;
import io.opsagent.core.diagnosis.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** Images that cannot be pulled: wrong name or tag, missing credentials, unreachable registry. */
public final class ImagePullAnalyzer implements Analyzer {

    @Override
    public List<Finding> analyze(AnalysisContext ctx) {
        List<Workloads.Hit> hits = new ArrayList<>();
        for (Pod pod : ctx.snapshot().pods()) {
            if (ContainerStates.succeeded(pod)) continue;
            Stream.concat(PodContainer.initOf(pod).stream(), PodContainer.of(pod).stream()).forEach(c -> {
                boolean byStatus = c.waitingReason() != null && ContainerStates.IMAGE_REASONS.contains(c.waitingReason());
                boolean byEvent = !c.running() && c.latestTermination() == null && (c.waitingReason() == null
                        || "ContainerCreating".equals(c.waitingReason()) || "PodInitializing".equals(c.waitingReason()));
                if (byStatus || byEvent && !pullFailures(ctx, pod, c).isEmpty()) {
                    hits.add(new Workloads.Hit(c, Severity.CRITICAL));
                }
            });
        }
        List<Finding> out = new ArrayList<>();
        for (Workloads.Group g : Workloads.group(ctx, hits)) out.add(finding(ctx, g));
        return out;
    }

    private static List<EventGroup> pullFailures(AnalysisContext ctx, Pod pod, PodContainer c) {
        return Workloads.containerWarnings(ctx, pod, c.name(), "Failed", "ErrImagePull", "BackOff", "InspectFailed",
                        "ErrImageNeverPull").stream()
                .filter(e -> e.message().contains("image") && (c.image() == null || e.message().contains(c.image())
                        || e.latest().getInvolvedObject() != null && e.latest().getInvolvedObject().getFieldPath() != null))
                .filter(e -> !e.message().startsWith("Back-off restarting")).toList();
    }

    private Finding finding(AnalysisContext ctx, Workloads.Group g) {
        PodContainer c = g.worst().container();
        Pod pod = c.pod();
        ObjectKey subject = Workloads.subject(ctx, g);
        List<EventGroup> events = pullFailures(ctx, pod, c);
        String detail = (c.waitingMessage() == null ? "" : c.waitingMessage()) + " "
                + String.join(" ", events.stream().map(EventGroup::message).toList());
        String d = detail.toLowerCase(Locale.ROOT);
        String cause;
        String image = c.image() == null ? "<image>" : c.image();
        List<String> fixes = new ArrayList<>();
        String target = Workloads.target(g.workload());
        String ns = Workloads.ns(pod.getMetadata().getNamespace());
        if ("InvalidImageName".equals(c.waitingReason()) || d.contains("invalid reference format")) {
            cause = "the image name is invalid";
            fixes.add(setImage(target, ns, c.name()));
        } else if (d.contains("pull access denied") || d.contains("may require authorization")) {
            cause = "the repository does not exist or requires credentials (pull access denied)";
            fixes.add(setImage(target, ns, c.name()));
            fixes.add("If the image is private: kubectl create secret docker-registry regcred" + ns
                    + " --docker-server=<registry> --docker-username=<user> --docker-password=<password>, then add "
                    + "imagePullSecrets: [{name: regcred}] to the pod template");
        } else if (d.contains("not found") || d.contains("manifest unknown") || d.contains("does not exist")
                || d.contains("no such image")) {
            cause = "the image or tag does not exist in the registry";
            fixes.add(setImage(target, ns, c.name()));
            fixes.add("List the tags that exist (e.g. aws ecr describe-images --repository-name <repo>, or "
                    + "crane ls <registry>/<repo>) and pick one");
        } else if (d.contains("unauthorized") || d.contains("authentication required") || d.contains("pull access denied")
                || d.contains("403") || d.contains("denied") || d.contains("no basic auth credentials")) {
            cause = "the registry refused the pull (missing or wrong credentials)";
            fixes.add("kubectl create secret docker-registry regcred" + ns
                    + " --docker-server=<registry> --docker-username=<user> --docker-password=<password>");
            fixes.add("kubectl patch serviceaccount " + serviceAccount(pod) + ns
                    + " -p '{\"imagePullSecrets\":[{\"name\":\"regcred\"}]}' (or add imagePullSecrets to the pod template)");
            fixes.add("For Amazon ECR, give the node role ecr:GetAuthorizationToken and ecr:BatchGetImage "
                    + "(policy AmazonEC2ContainerRegistryReadOnly)");
        } else if (d.contains("no such host") || d.contains("i/o timeout") || d.contains("connection refused")
                || d.contains("tls") || d.contains("dial tcp") || "RegistryUnavailable".equals(c.waitingReason())) {
            cause = "the registry cannot be reached from the node";
            fixes.add("Check the registry host name and the nodes' egress (NAT gateway, VPC endpoints for ECR, proxy)");
        } else if ("ErrImageNeverPull".equals(c.waitingReason())) {
            cause = "imagePullPolicy is Never and the image is not on the node";
            fixes.add("Set imagePullPolicy: IfNotPresent in the pod template, or preload the image");
        } else {
            cause = "the image cannot be pulled";
            fixes.add(setImage(target, ns, c.name()));
        }
        fixes.add("Verify the image reference: kubectl describe pod " + pod.getMetadata().getName() + ns);

        String reason = c.waitingReason() != null ? c.waitingReason() : "ErrImagePull";
        String s = OOMKilledAnalyzer.capitalize(Workloads.where(ctx, g)) + " cannot start (" + reason + "): "
                + cause + " for image " + image + ".";
        FindingBuilder b = ctx.finding(Category.ImagePullError, g.severity(), subject).container(g.container())
                .summary(s).about(g.podKeys());
        if (c.waitingReason() != null) {
            b.evidence(ctx.evidence(pod, c.statusPath() + ".state.waiting", EvidenceSource.STATUS, "waiting: "
                    + c.waitingReason() + (c.waitingMessage() == null ? "" : ": " + c.waitingMessage())));
        }
        if (c.specPath() != null) {
            b.evidence(ctx.evidence(pod, c.specPath() + ".image", EvidenceSource.SPEC, "image: " + image));
        }
        events.stream().limit(2).forEach(e -> b.evidence(ctx.evidence(e)));
        fixes.forEach(b::fix);
        return b.build();
    }

    private static String setImage(String target, String ns, String container) {
        if (target == null) return "Correct the image of container " + container + " in the pod manifest and recreate the pod";
        return "kubectl set image " + target + ns + " " + container + "=<registry>/<repository>:<existing-tag>";
    }

    private static String serviceAccount(Pod pod) {
        String sa = pod.getSpec() == null ? null : pod.getSpec().getServiceAccountName();
        return sa == null || sa.isBlank() ? "default" : sa;
    }
}
