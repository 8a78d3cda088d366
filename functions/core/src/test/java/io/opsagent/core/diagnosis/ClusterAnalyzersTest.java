package io.opsagent.core.diagnosis;

import static io.opsagent.core.diagnosis.Fixtures.find;
import static io.opsagent.core.diagnosis.Fixtures.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsagent.core.diagnosis.logs.LogSignal;
import org.junit.jupiter.api.Test;

/** Scheduling, storage, node, workload-level and namespace-level failure modes. */
class ClusterAnalyzersTest {
    private static final Diagnosis scheduling = Fixtures.engine().diagnose(Fixtures.dump("scheduling"));
    private static final Diagnosis workloads = Fixtures.engine().diagnose(Fixtures.dump("workloads"));

    @Test
    void unschedulableNodeSelectorNamesTheSelectorAndTheLabelCommand() {
        Finding f = get(scheduling, Category.Unschedulable, "app-13b", "user-profile-import");
        assertThat(f.kind()).isEqualTo("Pod");
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.summary()).contains("nodeSelector label=someLabel", "no node has this label",
                "didn't match Pod's node affinity/selector");
        assertThat(f.evidence()).anySatisfy(e -> {
            assertThat(e.source()).isEqualTo(EvidenceSource.SPEC);
            assertThat(e.ref()).isEqualTo("app-13b/pods.json:items[0].spec.nodeSelector");
        });
        assertThat(f.remediation()).contains("Label a node that should run it: kubectl label node <node> label=someLabel");
        assertThat(f.remediation()).anyMatch(r -> r.contains("remove the nodeSelector"));
    }

    @Test
    void insufficientGpuIsNotBlamedOnTheNodes() {
        Finding f = get(scheduling, Category.Unschedulable, "ml", "trainer");
        assertThat(f.summary()).contains("insufficient nvidia.com/gpu on 1 node(s)", "node.kubernetes.io/memory-pressure");
        assertThat(f.rootCause()).as("GPU shortage is a reason of its own").isTrue();
        assertThat(get(scheduling, Category.RolloutStuck, "ml", "trainer").causedBy()).isEqualTo(f.id());
    }

    @Test
    void podsBlockedOnlyByNodeConditionTaintsAreCausedByTheWorstNodeProblem() {
        Finding f = get(scheduling, Category.Unschedulable, "ops", "collector");
        assertThat(f.kind()).isEqualTo("StatefulSet");
        assertThat(f.summary()).contains("node.kubernetes.io/not-ready", "node.kubernetes.io/memory-pressure");
        assertThat(f.causedBy()).isEqualTo("nodeproblem-node-2");
        Finding rollout = get(scheduling, Category.RolloutStuck, "ops", "collector");
        assertThat(rollout.summary()).contains("0 of 1 replicas ready");
        assertThat(rollout.causedBy()).isEqualTo(f.id());
    }

    @Test
    void podsOnANotReadyNodeExplainTheRolloutAndTheService() {
        assertThat(get(scheduling, Category.RolloutStuck, "ops", "gateway").causedBy()).isEqualTo("nodeproblem-node-2");
        assertThat(get(scheduling, Category.ServiceNoEndpoints, "ops", "gateway").causedBy()).isEqualTo("nodeproblem-node-2");
    }

    @Test
    void pendingClaimWithMissingStorageClassIsTheRootOfThePendingPod() {
        Finding v = get(scheduling, Category.VolumeError, "app-24b", "redis-standard-pvc");
        assertThat(v.kind()).isEqualTo("PersistentVolumeClaim");
        assertThat(v.summary()).contains("StorageClass \"standard-v2\" does not exist", "42", "redis-747ffc844f-f9ghd");
        assertThat(v.remediation()).anyMatch(r -> r.contains("kubectl get storageclass"));
        assertThat(find(scheduling, Category.Unschedulable, "app-24b", "redis")).isEmpty();
        assertThat(get(scheduling, Category.RolloutStuck, "app-24b", "redis").causedBy()).isEqualTo(v.id());
    }

    @Test
    void nodeNotReadyAndPressure() {
        Finding notReady = get(scheduling, Category.NodeProblem, null, "node-2");
        assertThat(notReady.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(notReady.summary()).contains("NotReady", "PLEG is not healthy");
        assertThat(notReady.evidence().get(0).ref()).isEqualTo("nodes.json:items[1].status.conditions[3]");
        Finding pressure = get(scheduling, Category.NodeProblem, null, "node-3");
        assertThat(pressure.summary()).contains("MemoryPressure");
        assertThat(find(scheduling, Category.NodeProblem, null, "node-1")).isEmpty();
    }

    @Test
    void evictedPodsLinkToTheirNodesPressure() {
        Finding ev = get(scheduling, Category.Evicted, "batch", "ingest");
        assertThat(ev.summary()).contains("2 pods", "node-3", "low on resource: memory", "1650Mi");
        assertThat(ev.causedBy()).isEqualTo(get(scheduling, Category.NodeProblem, null, "node-3").id());
        assertThat(ev.remediation()).anyMatch(r -> r.contains("kubectl set resources deployment/ingest -n batch -c ingest --requests=memory=1650Mi"));
        assertThat(find(scheduling, Category.RolloutStuck, "batch", "ingest")).as("replacements are available").isEmpty();
    }

    @Test
    void rolloutStuckByOomLinksToTheOom() {
        Finding oom = get(workloads, Category.OOMKilled, "shop", "checkout");
        Finding rollout = get(workloads, Category.RolloutStuck, "shop", "checkout");
        assertThat(oom.rootCause()).isTrue();
        assertThat(rollout.rootCause()).isFalse();
        assertThat(rollout.causedBy()).isEqualTo(oom.id());
        assertThat(rollout.summary()).contains("0 of 2 replicas available", "ProgressDeadlineExceeded");
        assertThat(get(workloads, Category.ServiceNoEndpoints, "shop", "checkout").causedBy()).isEqualTo(oom.id());
        assertThat(workloads.findings().indexOf(oom)).isLessThan(workloads.findings().indexOf(rollout));
    }

    @Test
    void serviceSelectorMatchingNoPodIsItsOwnRootCause() {
        Finding f = get(workloads, Category.ServiceNoEndpoints, "web", "storefront");
        assertThat(f.rootCause()).isTrue();
        assertThat(f.summary()).contains("app=store-front", "matches no pod", "app=storefront");
        assertThat(f.remediation()).anyMatch(r -> r.startsWith("Fix the selector: kubectl patch service storefront -n web"));
    }

    @Test
    void failedJobOfACronJobCarriesExitCodeAndLogLine() {
        Diagnosis d = Fixtures.engine(Fixtures.classifier("password authentication failed", LogSignal.Kind.AUTH_FAILURE,
                "the database rejected the password")).diagnose(Fixtures.dump("workloads"));
        Finding job = get(d, Category.JobFailed, "batch", "report-29123400");
        assertThat(job.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(job.summary()).contains("CronJob report", "BackoffLimitExceeded", "exited with code 1",
                "the database rejected the password", "batch/report-29123400-7xk2p/logs.txt:4");
        assertThat(job.remediation()).anyMatch(r -> r.contains("Fix the credentials"));
        assertThat(job.remediation()).contains("Run it again once fixed: kubectl create job report-manual --from=cronjob/report -n batch");
        assertThat(find(d, Category.JobFailed, "batch", "cleanup")).as("completed Job").isEmpty();
        assertThat(d.findings()).noneMatch(f -> f.name().startsWith("cleanup"));
    }

    @Test
    void quotaBlocksTheRollout() {
        Finding q = get(workloads, Category.QuotaExceeded, "quota", "compute-quota");
        assertThat(q.kind()).isEqualTo("ResourceQuota");
        assertThat(q.summary()).contains("deployment quota/api", "requested limits.memory=1Gi", "limited limits.memory=2Gi");
        assertThat(q.remediation()).anyMatch(r -> r.startsWith("Raise the quota: kubectl patch resourcequota compute-quota -n quota"));
        Finding rollout = get(workloads, Category.RolloutStuck, "quota", "api");
        assertThat(rollout.causedBy()).isEqualTo(q.id());
        assertThat(rollout.summary()).contains("2 of 3 replicas");
    }

    @Test
    void hpaAtMaxReplicasWithMetricAboveTarget() {
        Finding h = get(workloads, Category.HPALimited, "shop", "search");
        assertThat(h.severity()).isEqualTo(Severity.WARNING);
        assertThat(h.summary()).contains("maximum of 5 replicas", "cpu utilization is 180% (target 70%)");
        assertThat(h.remediation()).anyMatch(r -> r.contains("kubectl patch hpa search -n shop"));
    }

    private static io.fabric8.kubernetes.api.model.Pod creatingPod(String name, String volume) {
        return new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName(name).withNamespace("db")
                .endMetadata().withNewSpec().withNodeName("node-b").addNewContainer().withName("pg").withImage("postgres:16")
                .endContainer().addNewVolume().withName(volume).withNewConfigMap().withName("pg-config").endConfigMap()
                .endVolume().endSpec().withNewStatus().withPhase("Pending")
                .addToContainerStatuses(new io.fabric8.kubernetes.api.model.ContainerStatusBuilder().withName("pg").withReady(false)
                        .withNewState().withNewWaiting().withReason("ContainerCreating").endWaiting().endState().build())
                .endStatus().build();
    }

    private static io.fabric8.kubernetes.api.model.Event warning(String pod, String reason, String message) {
        return new io.fabric8.kubernetes.api.model.EventBuilder().withNewMetadata().withName(pod + reason).withNamespace("db")
                .endMetadata().withNewInvolvedObject().withKind("Pod").withName(pod).withNamespace("db").endInvolvedObject()
                .withType("Warning").withReason(reason).withCount(6).withMessage(message).build();
    }

    @Test
    void mountFailuresAreVolumeErrorsButMissingConfigMapsAreConfigErrors() {
        var b = io.opsagent.core.cluster.ClusterSnapshot.builder("t");
        var origin = new io.opsagent.core.cluster.JsonOrigin("db/pods.json", "items[0]");
        b.add(creatingPod("pg-0", "data"), origin);
        b.add(warning("pg-0", "FailedAttachVolume", "Multi-Attach error for volume \"pvc-0b7c\" Volume is already "
                + "exclusively attached to one node and can't be attached to another"), new io.opsagent.core.cluster.JsonOrigin("db/events.json", "items[0]"));
        b.add(creatingPod("pg-1", "config"), new io.opsagent.core.cluster.JsonOrigin("db/pods.json", "items[1]"));
        b.add(warning("pg-1", "FailedMount", "MountVolume.SetUp failed for volume \"config\" : configmap \"pg-config\" not found"),
                new io.opsagent.core.cluster.JsonOrigin("db/events.json", "items[1]"));
        Diagnosis d = Fixtures.engine().diagnose(b.build());
        Finding mount = get(d, Category.VolumeError, "db", "pg-0");
        assertThat(mount.summary()).contains("FailedAttachVolume", "6 times", "Multi-Attach");
        assertThat(mount.remediation()).anyMatch(r -> r.contains("ReadWriteOnce volume is still attached"));
        assertThat(find(d, Category.VolumeError, "db", "pg-1")).isEmpty();
        Finding config = get(d, Category.ContainerConfigError, "db", "pg-1");
        assertThat(config.summary()).contains("ConfigMap \"pg-config\" does not exist");
        assertThat(config.evidence()).anySatisfy(e -> assertThat(e.ref()).isEqualTo("db/events.json:items[1].message"));
    }
}
