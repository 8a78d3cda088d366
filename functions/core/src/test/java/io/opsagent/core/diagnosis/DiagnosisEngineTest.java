package io.opsagent.core.diagnosis;

import static io.opsagent.core.diagnosis.Fixtures.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.cluster.ContainerLog;
import io.opsagent.core.cluster.LogLine;
import io.opsagent.core.cluster.TextOrigin;
import io.opsagent.core.input.InputException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Engine-wide properties: healthy input, ordering, ids and links, scoping, citations of text evidence. */
class DiagnosisEngineTest {
    private static final ClusterSnapshot workloads = Fixtures.dump("workloads");

    @Test
    void healthyWorkloadsYieldNoCriticalOrWarningFinding() {
        Diagnosis d = Fixtures.engine().diagnose(Fixtures.dump("healthy"));
        assertThat(d.hasCritical()).isFalse();
        assertThat(d.findings()).allSatisfy(f -> assertThat(f.severity()).isEqualTo(Severity.INFO));
        // the pod that restarted once three days ago is only a note, without a misleading log quote
        Finding old = get(d, Category.CrashLoopBackOff, "good", "shop");
        assertThat(old.summary()).contains("running and ready now").doesNotContain("last log line");
        assertThat(d.findings()).noneMatch(f -> f.category() == Category.JobFailed || f.category() == Category.HPALimited
                || f.category() == Category.ServiceNoEndpoints || f.category() == Category.RolloutStuck);
    }

    @Test
    void rootCausesComeFirstThenSeverity() {
        List<Finding> fs = Fixtures.engine().diagnose(workloads).findings();
        assertThat(fs).hasSizeGreaterThan(15);
        for (int i = 1; i < fs.size(); i++) {
            Finding a = fs.get(i - 1);
            Finding b = fs.get(i);
            assertThat(!a.rootCause() && b.rootCause()).as("root %s after symptom %s", b.id(), a.id()).isFalse();
            if (a.rootCause() == b.rootCause()) {
                assertThat(a.severity().compareTo(b.severity())).as("%s before %s", a.id(), b.id()).isLessThanOrEqualTo(0);
            }
        }
        assertThat(fs.get(0).rootCause()).isTrue();
        assertThat(fs.get(fs.size() - 1).rootCause()).isFalse();
    }

    @Test
    void idsAreUniqueReadableAndLinksResolveWithoutCycles() {
        List<Finding> fs = Fixtures.engine().diagnose(Fixtures.dump("scheduling")).findings();
        List<Finding> all = new java.util.ArrayList<>(fs);
        all.addAll(Fixtures.engine().diagnose(workloads).findings());
        for (List<Finding> list : List.of(fs, Fixtures.engine().diagnose(workloads).findings())) {
            Map<String, Finding> byId = new HashMap<>();
            for (Finding f : list) {
                assertThat(f.id()).matches("[a-z0-9]+(-[a-z0-9]+)*");
                assertThat(byId.put(f.id(), f)).as("duplicate id %s", f.id()).isNull();
            }
            for (Finding f : list) {
                assertThat(f.rootCause()).isEqualTo(f.causedBy() == null);
                Set<String> seen = new HashSet<>();
                String at = f.causedBy();
                while (at != null) {
                    assertThat(byId).as("causedBy of %s", f.id()).containsKey(at);
                    assertThat(seen.add(at)).as("cycle through %s", at).isTrue();
                    at = byId.get(at).causedBy();
                }
                assertThat(f.evidence()).as("evidence of %s", f.id()).isNotEmpty();
                assertThat(f.remediation()).as("remediation of %s", f.id()).isNotEmpty();
            }
        }
        assertThat(all).anyMatch(f -> f.id().equals("oomkilled-shop-checkout-app"));
    }

    @Test
    void everyCategoryIsCoveredByTheFixtures() {
        Set<Category> seen = new HashSet<>();
        Fixtures.engine(Fixtures.classifier("connection refused", io.opsagent.core.diagnosis.logs.LogSignal.Kind.DEPENDENCY_UNREACHABLE,
                "a dependency refuses connections")).diagnose(workloads).findings().forEach(f -> seen.add(f.category()));
        Fixtures.engine().diagnose(Fixtures.dump("scheduling")).findings().forEach(f -> seen.add(f.category()));
        assertThat(seen).containsExactlyInAnyOrder(Category.values());
    }

    @Test
    void scopingAServiceBringsTheCauseThatLivesInItsPods() throws InputException {
        Diagnosis d = Fixtures.engine().diagnose(workloads, "shop", "checkout");
        assertThat(d.findings()).extracting(Finding::id).contains("oomkilled-shop-checkout-app",
                "servicenoendpoints-shop-checkout", "rolloutstuck-shop-checkout");
        assertThat(d.findings()).allSatisfy(f -> assertThat(f.name()).isEqualTo("checkout"));
        assertThat(d.findings().get(0).id()).isEqualTo("oomkilled-shop-checkout-app");
    }

    @Test
    void scopingACronJobFindsItsFailedJob() throws InputException {
        Diagnosis d = Fixtures.engine().diagnose(workloads, null, "report");
        assertThat(d.findings()).extracting(Finding::id).containsExactly("jobfailed-batch-report-29123400");
    }

    @Test
    void scopingAPodByNameFindsItsContainerAndWorkloadFindings() throws InputException {
        Diagnosis d = Fixtures.engine().diagnose(workloads, "app", "cache-5f6d7c8b9-m3n4p");
        assertThat(d.findings()).extracting(Finding::category).containsExactly(Category.ProbeFailure,
                Category.CrashLoopBackOff, Category.RolloutStuck);
    }

    @Test
    void scopingAWorkloadBringsTheNodeProblemThatCausedIt() throws InputException {
        Diagnosis d = Fixtures.engine().diagnose(Fixtures.dump("scheduling"), "batch", "ingest");
        assertThat(d.findings()).extracting(Finding::id).containsExactly("nodeproblem-node-3", "evicted-batch-ingest");
    }

    @Test
    void kubectlStyleKindSlashNameSelectsOnlyThatKind() throws InputException {
        Diagnosis svc = Fixtures.engine().diagnose(workloads, "shop", "svc/checkout");
        assertThat(svc.findings()).extracting(Finding::id).contains("servicenoendpoints-shop-checkout", "oomkilled-shop-checkout-app");
        Diagnosis dep = Fixtures.engine().diagnose(workloads, "shop", "deployment/checkout");
        assertThat(dep.findings()).extracting(Finding::id).contains("rolloutstuck-shop-checkout", "oomkilled-shop-checkout-app");
        assertThatThrownBy(() -> Fixtures.engine().diagnose(workloads, "shop", "cronjob/checkout"))
                .isInstanceOf(InputException.class).hasMessageContaining("no CronJob named 'checkout'");
        assertThatThrownBy(() -> Fixtures.engine().diagnose(workloads, "shop", "widget/checkout"))
                .isInstanceOf(InputException.class).hasMessageContaining("unknown kind 'widget'");
    }

    @Test
    void scopingByAPodNamePrefix() throws InputException {
        Diagnosis d = Fixtures.engine().diagnose(Fixtures.dump("scheduling"), null, "user-profile");
        assertThat(d.findings()).extracting(Finding::id).containsExactly("unschedulable-app-13b-user-profile-import");
    }

    @Test
    void namespaceScopeKeepsOnlyThatNamespace() throws InputException {
        Diagnosis d = Fixtures.engine().diagnose(workloads, "web", null);
        assertThat(d.findings()).isNotEmpty().allSatisfy(f -> assertThat(f.namespace()).isEqualTo("web"));
    }

    @Test
    void unknownWorkloadNamesItAndSuggestsCloseMatches() {
        assertThatThrownBy(() -> Fixtures.engine().diagnose(workloads, "shop", "chekout"))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("'chekout'").hasMessageContaining("namespace 'shop'")
                .hasMessageContaining("close matches: checkout");
    }

    @Test
    void textEvidenceIsCitedAsDescribeAndOwnersAreFoundByName() {
        // as a text reader would build it: no ownerReferences, no labels, origins are lines of a file
        Pod pod = new PodBuilder().withNewMetadata().withName("api-7d9f8c6b5-x2x4z").withNamespace("shop").endMetadata()
                .withNewSpec().addNewContainer().withName("api").withImage("shop/api:1").endContainer().endSpec()
                .withNewStatus().withPhase("Running").addToContainerStatuses(new ContainerStatusBuilder().withName("api")
                        .withReady(false).withRestartCount(5)
                        .withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
                        .withNewLastState().withNewTerminated().withReason("Error").withExitCode(2).endTerminated().endLastState()
                        .build()).endStatus().build();
        Deployment dep = new DeploymentBuilder().withNewMetadata().withName("api").withNamespace("shop").endMetadata()
                .withNewSpec().withReplicas(1).endSpec().withNewStatus().withReplicas(1).withAvailableReplicas(0).endStatus().build();
        ClusterSnapshot.Builder b = ClusterSnapshot.builder("evidence");
        b.add(pod, new TextOrigin("kubectl_describe.txt", 1).field("status.containerStatuses[0].lastState", 21)
                .field("status.containerStatuses[0].state", 18));
        b.add(dep, new TextOrigin("kubectl_get_deployment.txt", 3));
        b.addLog(new ContainerLog("shop", "api-7d9f8c6b5-x2x4z", "api", true, "kubectl_logs_previous.txt",
                List.of(new LogLine(3, "listening on :8080"), new LogLine(4, "usage: api --config FILE"), new LogLine(5, ""))));
        Diagnosis d = Fixtures.engine().diagnose(b.build());
        Finding crash = get(d, Category.CrashLoopBackOff, "shop", "api");
        assertThat(crash.kind()).isEqualTo("Deployment");
        assertThat(crash.summary()).contains("exits with code 2", "\"usage: api --config FILE\" (kubectl_logs_previous.txt:4)");
        assertThat(crash.evidence()).anySatisfy(e -> {
            assertThat(e.source()).isEqualTo(EvidenceSource.DESCRIBE);
            assertThat(e.ref()).isEqualTo("kubectl_describe.txt:21");
        });
        assertThat(crash.evidence()).anySatisfy(e -> {
            assertThat(e.source()).isEqualTo(EvidenceSource.LOG);
            assertThat(e.ref()).isEqualTo("kubectl_logs_previous.txt:4");
        });
        assertThat(get(d, Category.RolloutStuck, "shop", "api").causedBy()).isEqualTo(crash.id());
    }

    @Test
    void aLonePodFromTextEvidenceGetsItsDeploymentInferredFromItsName() throws InputException {
        Pod pod = new PodBuilder().withNewMetadata().withName("giant-narwhal-6958c5bdd8-69gtn").withNamespace("app-02")
                .addToLabels("app", "ocean-explorer").endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("busybox:1.35").withNewResources()
                .addToLimits("memory", new io.fabric8.kubernetes.api.model.Quantity("50Mi")).endResources().endContainer().endSpec()
                .withNewStatus().withPhase("Running").addToContainerStatuses(new ContainerStatusBuilder().withName("main")
                        .withReady(false).withRestartCount(16)
                        .withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
                        .withNewLastState().withNewTerminated().withReason("OOMKilled").withExitCode(137).endTerminated().endLastState()
                        .build()).endStatus().build();
        ClusterSnapshot.Builder b = ClusterSnapshot.builder("evidence");
        b.add(pod, new TextOrigin("kubectl_describe.txt", 3).field("status.containerStatuses[0].lastState.terminated", 29)
                .field("spec.containers[0].resources.limits", 37));
        ClusterSnapshot s = b.build();
        Diagnosis d = Fixtures.engine().diagnose(s);
        assertThat(d.findings()).hasSize(1);
        Finding oom = d.findings().get(0);
        assertThat(oom.category()).isEqualTo(Category.OOMKilled);
        assertThat(oom.kind()).isEqualTo("Pod");
        assertThat(oom.name()).isEqualTo("giant-narwhal-6958c5bdd8-69gtn");
        assertThat(oom.summary()).contains("50Mi", "restarted 16 times", "CrashLoopBackOff");
        assertThat(oom.evidence()).extracting(Evidence::ref).contains("kubectl_describe.txt:29", "kubectl_describe.txt:37");
        assertThat(oom.evidence()).allSatisfy(e -> assertThat(e.source()).isEqualTo(EvidenceSource.DESCRIBE));
        assertThat(oom.remediation()).contains("kubectl set resources deployment/giant-narwhal -n app-02 -c main --limits=memory=100Mi");
        assertThat(Fixtures.engine().diagnose(s, null, "giant-narwhal").findings()).containsExactly(oom);
    }

    @Test
    void aCrashLoopWithExitCodeZeroQuotesTheLogAndProposesTheMissingVariable() {
        Pod pod = new PodBuilder().withNewMetadata().withName("payment-processing-worker-747ccfb9db-78qds").withNamespace("default")
                .endMetadata().withNewSpec().addNewContainer().withName("payment-processing-container").withImage("bash")
                .endContainer().endSpec()
                .withNewStatus().withPhase("Running").addToContainerStatuses(new ContainerStatusBuilder()
                        .withName("payment-processing-container").withReady(false).withRestartCount(3)
                        .withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
                        .withNewLastState().withNewTerminated().withReason("Completed").withExitCode(0).endTerminated().endLastState()
                        .build()).endStatus().build();
        ClusterSnapshot.Builder b = ClusterSnapshot.builder("evidence");
        b.add(pod, new TextOrigin("kubectl_describe.txt", 3).field("status.containerStatuses[0].lastState.terminated", 32));
        b.addLog(new ContainerLog("default", "payment-processing-worker-747ccfb9db-78qds", "payment-processing-container", false,
                "kubectl_logs.txt", List.of(new LogLine(4, "Environment variable DEPLOY_ENV is undefined"), new LogLine(5, ""))));
        Finding f = Fixtures.engine().diagnose(b.build()).findings().get(0);
        assertThat(f.category()).isEqualTo(Category.CrashLoopBackOff);
        assertThat(f.summary()).contains("exits with code 0", "\"Environment variable DEPLOY_ENV is undefined\" (kubectl_logs.txt:4)");
        assertThat(f.remediation()).anyMatch(r -> r.contains("kubectl set env deployment/payment-processing-worker -n default "
                + "-c payment-processing-container DEPLOY_ENV=<value>"));
    }
}
