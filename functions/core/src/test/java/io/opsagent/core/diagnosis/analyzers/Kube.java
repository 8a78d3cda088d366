package io.opsagent.core.diagnosis.analyzers;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.cluster.ContainerLog;
import io.opsagent.core.cluster.LogLine;
import io.opsagent.core.diagnosis.Analyzer;
import io.opsagent.core.diagnosis.AnalysisContext;
import io.opsagent.core.diagnosis.Finding;
import io.opsagent.core.diagnosis.logs.LogErrorClassifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Small Kubernetes objects made in code for the analyzer tests (K8sGPT's style: each test builds the few objects
 * its rule reads, so a test names exactly what makes a finding appear or not). Times are fixed: the snapshot's
 * "now" is {@link #NOW}.
 */
final class Kube {
    private Kube() {
    }

    static final String NOW = "2026-12-06T10:00:00Z";
    static final String EARLIER = "2026-12-06T09:00:00Z";

    static ObjectMeta meta(String ns, String name) {
        return new ObjectMetaBuilder().withNamespace(ns).withName(name).withUid(ns + "-" + name)
                .withCreationTimestamp(EARLIER).build();
    }

    /** A pod of a Deployment ({@code name} is the Deployment's name; the pod gets a ReplicaSet hash suffix). */
    static PodBuilder deploymentPod(String ns, String deployment, String image) {
        return new PodBuilder().withMetadata(new ObjectMetaBuilder(meta(ns, deployment + "-7d9f8c6b5-x2k4p"))
                        .addToLabels("app", deployment)
                        .addNewOwnerReference().withKind("ReplicaSet").withName(deployment + "-7d9f8c6b5")
                        .withApiVersion("apps/v1").withUid("rs").withController(true).endOwnerReference().build())
                .withNewSpec().withNodeName("node-1").addNewContainer().withName(deployment).withImage(image).endContainer().endSpec();
    }

    /** The Deployment {@code name} (1 replica, available) and its ReplicaSet, which own {@link #deploymentPod}'s pod. */
    static List<HasMetadata> owners(String ns, String deployment, String image) {
        io.fabric8.kubernetes.api.model.apps.Deployment d = new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
                .withMetadata(new ObjectMetaBuilder(meta(ns, deployment)).withGeneration(1L).build())
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", deployment).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", deployment).endMetadata().withNewSpec()
                .addNewContainer().withName(deployment).withImage(image).endContainer().endSpec().endTemplate().endSpec()
                .withNewStatus().withObservedGeneration(1L).withReplicas(1).withUpdatedReplicas(1).withReadyReplicas(1)
                .withAvailableReplicas(1).endStatus().build();
        io.fabric8.kubernetes.api.model.apps.ReplicaSet rs = new io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder()
                .withMetadata(new ObjectMetaBuilder(meta(ns, deployment + "-7d9f8c6b5")).addNewOwnerReference()
                        .withKind("Deployment").withName(deployment).withApiVersion("apps/v1").withUid(ns + "-" + deployment)
                        .withController(true).endOwnerReference().build())
                .withNewSpec().withReplicas(1).endSpec().build();
        return List.of(d, rs);
    }

    /** {@code pod} with its Deployment and ReplicaSet ({@link #owners}), then {@code more}. */
    static List<HasMetadata> withOwners(io.fabric8.kubernetes.api.model.Pod pod, HasMetadata... more) {
        String deployment = pod.getMetadata().getName().replaceAll("-7d9f8c6b5-x2k4p$", "");
        List<HasMetadata> out = new ArrayList<>(owners(pod.getMetadata().getNamespace(), deployment,
                pod.getSpec().getContainers().get(0).getImage()));
        out.add(pod);
        out.addAll(List.of(more));
        return out;
    }

    /** A bare pod (no owner). */
    static PodBuilder pod(String ns, String name, String image) {
        return new PodBuilder().withMetadata(meta(ns, name))
                .withNewSpec().withNodeName("node-1").addNewContainer().withName(name).withImage(image).endContainer().endSpec();
    }

    static Map<String, Quantity> memory(String q) {
        return Map.of("memory", new Quantity(q));
    }

    /** A running, ready container status. */
    static ContainerStatusBuilder running(String name, String image) {
        return new ContainerStatusBuilder().withName(name).withImage(image).withReady(true).withRestartCount(0)
                .withStarted(true).withNewState().withNewRunning().withStartedAt(EARLIER).endRunning().endState();
    }

    /** A container that waits with {@code reason}, not ready. */
    static ContainerStatusBuilder waiting(String name, String image, String reason, String message) {
        return new ContainerStatusBuilder().withName(name).withImage(image).withReady(false).withRestartCount(0)
                .withNewState().withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState();
    }

    /** A container in back-off after {@code restarts} restarts, its last run ended with {@code reason} / {@code exit}. */
    static ContainerStatus crashed(String name, String image, int restarts, String reason, int exit) {
        return waiting(name, image, "CrashLoopBackOff", "back-off 5m0s restarting failed container")
                .withRestartCount(restarts)
                .withNewLastState().withNewTerminated().withReason(reason).withExitCode(exit)
                .withStartedAt("2026-12-06T09:58:00Z").withFinishedAt("2026-12-06T09:59:00Z").endTerminated()
                .endLastState().build();
    }

    /** A Warning event about {@code o} ({@code count} times, last seen a minute before {@link #NOW}). */
    static Event warning(HasMetadata o, String reason, String message, int count) {
        return new EventBuilder().withMetadata(meta(o.getMetadata().getNamespace() == null ? "default"
                        : o.getMetadata().getNamespace(), o.getMetadata().getName() + "." + reason.toLowerCase()))
                .withType("Warning").withReason(reason).withMessage(message).withCount(count)
                .withFirstTimestamp(EARLIER).withLastTimestamp("2026-12-06T09:59:00Z")
                .withNewInvolvedObject().withKind(o.getKind()).withNamespace(o.getMetadata().getNamespace())
                .withName(o.getMetadata().getName()).withUid(o.getMetadata().getUid()).endInvolvedObject().build();
    }

    static ContainerLog log(String ns, String pod, String container, boolean previous, String... lines) {
        List<LogLine> out = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) out.add(new LogLine(i + 1, lines[i]));
        return new ContainerLog(ns, pod, container, previous, ns + "/" + pod + "/" + container
                + (previous ? ".previous" : "") + ".log", out);
    }

    /** A snapshot of {@code objects} and {@code logs}. */
    static ClusterSnapshot snapshot(List<? extends HasMetadata> objects, ContainerLog... logs) {
        ClusterSnapshot.Builder b = ClusterSnapshot.builder("test");
        for (HasMetadata o : objects) {
            if (!b.add(o, null)) throw new IllegalArgumentException("the snapshot does not keep " + o.getKind());
        }
        for (ContainerLog l : logs) b.addLog(l);
        return b.build();
    }

    /** What {@code analyzer} alone finds in the snapshot (with the real log classifier). */
    static List<Finding> analyze(Analyzer analyzer, List<? extends HasMetadata> objects, ContainerLog... logs) {
        return analyzer.analyze(new AnalysisContext(snapshot(objects, logs), new LogErrorClassifier()::classify));
    }
}
