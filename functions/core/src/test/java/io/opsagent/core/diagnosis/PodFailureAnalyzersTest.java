package io.opsagent.core.diagnosis;

import static io.opsagent.core.diagnosis.Fixtures.find;
import static io.opsagent.core.diagnosis.Fixtures.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.diagnosis.logs.LogSignal;
import org.junit.jupiter.api.Test;

/** Container-level failure modes on the "workloads" dump fixture. */
class PodFailureAnalyzersTest {
    private static final ClusterSnapshot workloads = Fixtures.dump("workloads");
    private static final Diagnosis plain = Fixtures.engine().diagnose(workloads);

    @Test
    void oomKilledAbsorbsCrashLoopAndNamesLimitAndFix() {
        Finding oom = get(plain, Category.OOMKilled, "shop", "checkout");
        assertThat(oom.kind()).isEqualTo("Deployment");
        assertThat(oom.container()).isEqualTo("app");
        assertThat(oom.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(oom.summary()).contains("exit code 137", "128Mi", "CrashLoopBackOff", "restarted 11 times");
        assertThat(oom.evidence()).anySatisfy(e -> {
            assertThat(e.source()).isEqualTo(EvidenceSource.STATUS);
            assertThat(e.ref()).isEqualTo("shop/pods.json:items[0].status.containerStatuses[0].lastState.terminated.reason");
            assertThat(e.text()).contains("OOMKilled");
        });
        assertThat(oom.evidence()).anySatisfy(e -> {
            assertThat(e.source()).isEqualTo(EvidenceSource.SPEC);
            assertThat(e.text()).isEqualTo("limits.memory: 128Mi");
        });
        assertThat(oom.remediation()).contains("kubectl set resources deployment/checkout -n shop -c app --limits=memory=256Mi");
        assertThat(find(plain, Category.CrashLoopBackOff, "shop", "checkout")).isEmpty();
    }

    @Test
    void crashLoopQuotesTheLastLogLineWhenTheClassifierFindsNothing() {
        Finding crash = get(plain, Category.CrashLoopBackOff, "app", "api");
        assertThat(crash.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(crash.summary()).contains("exits with code 1", "restarted 9 times", "last log line before exit",
                "Environment variable DEPLOY_ENV is undefined");
        assertThat(crash.evidence()).anySatisfy(e -> {
            assertThat(e.source()).isEqualTo(EvidenceSource.LOG);
            assertThat(e.ref()).isEqualTo("app/api-6c9f7b8d5-x2x4z/logs.txt:6");
            assertThat(e.text()).isEqualTo("Error: Environment variable DEPLOY_ENV is undefined");
        });
        assertThat(crash.remediation()).anyMatch(r -> r.contains("kubectl set env deployment/api -n app -c api DEPLOY_ENV=<value>"));
        assertThat(find(plain, Category.AppError, "app", "api")).as("no separate AppError for a crashing container").isEmpty();
    }

    @Test
    void initContainerFailureUsesTheClassifierLineOverTheLastLine() {
        Diagnosis d = Fixtures.engine(Fixtures.classifier("already exists", LogSignal.Kind.FATAL_ERROR,
                "a database object the migration creates already exists")).diagnose(workloads);
        Finding init = get(d, Category.InitContainerFailure, "app", "worker");
        assertThat(init.container()).isEqualTo("migrate");
        assertThat(init.summary()).contains("exit code 1", "already exists", "app/worker-7d8f9c6b4-p4k2m/logs.txt:4")
                .doesNotContain("rolling back");
        assertThat(find(d, Category.CrashLoopBackOff, "app", "worker")).isEmpty();
        assertThat(get(d, Category.RolloutStuck, "app", "worker").causedBy()).isEqualTo(init.id());
    }

    @Test
    void imagePullErrorNamesTheImageAndTheCause() {
        Finding f = get(plain, Category.ImagePullError, "web", "frontend");
        assertThat(f.summary()).contains("registry.example.com/web/frontend:v9.9.9", "does not exist", "ImagePullBackOff");
        assertThat(f.evidence()).anySatisfy(e -> {
            assertThat(e.source()).isEqualTo(EvidenceSource.EVENT);
            assertThat(e.text()).contains("Failed (x5)", "not found");
        });
        assertThat(f.remediation()).anyMatch(r -> r.startsWith("kubectl set image deployment/frontend -n web frontend="));
    }

    @Test
    void missingSecretIsCheckedAgainstTheSnapshotWithSimilarNames() {
        Finding f = get(plain, Category.ContainerConfigError, "shop", "orders");
        assertThat(f.summary()).contains("Secret \"orders-db\" does not exist in namespace shop", "DB_PASSWORD");
        assertThat(f.remediation()).contains("kubectl create secret generic orders-db -n shop --from-literal=password=<value>");
        assertThat(f.remediation()).anyMatch(r -> r.contains("orders-db-v2"));
        assertThat(f.evidence()).anySatisfy(e -> assertThat(e.ref()).isEqualTo("shop/pods.json:items[4].spec.containers[0].env[1]"));
    }

    @Test
    void missingConfigMapKey() {
        Finding f = get(plain, Category.ContainerConfigError, "shop", "billing");
        assertThat(f.summary()).contains("ConfigMap \"billing-config\" has no key \"RATE_LIMIT\"");
        assertThat(f.remediation()).anyMatch(r -> r.startsWith("kubectl patch configmap billing-config -n shop"));
    }

    @Test
    void livenessKillMakesTheProbeTheRootOfTheCrashLoop() {
        Finding probe = get(plain, Category.ProbeFailure, "app", "cache");
        Finding crash = get(plain, Category.CrashLoopBackOff, "app", "cache");
        assertThat(probe.summary()).contains("Liveness probe", "port 6380", "6379", "21 times");
        assertThat(probe.rootCause()).isTrue();
        assertThat(crash.causedBy()).isEqualTo(probe.id());
        assertThat(crash.summary()).contains("exits with code 137");
        assertThat(get(plain, Category.RolloutStuck, "app", "cache").causedBy()).isEqualTo(crash.id());
    }

    @Test
    void readinessFailureWithAppErrorChainsToTheService() {
        Diagnosis d = Fixtures.engine(Fixtures.classifier("connection refused", LogSignal.Kind.DEPENDENCY_UNREACHABLE,
                "a dependency refuses connections")).diagnose(workloads);
        Finding app = get(d, Category.AppError, "shop", "web");
        Finding probe = get(d, Category.ProbeFailure, "shop", "web");
        Finding svc = get(d, Category.ServiceNoEndpoints, "shop", "web");
        assertThat(app.rootCause()).isTrue();
        assertThat(app.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(app.summary()).contains("a dependency refuses connections", "connect: connection refused");
        assertThat(app.evidence()).anySatisfy(e -> {
            assertThat(e.source()).isEqualTo(EvidenceSource.LOG);
            assertThat(e.ref()).isEqualTo("shop/web-7f9c8d6b5-abcde/logs.txt:27");
            assertThat(e.text()).contains("catalogue backend unavailable");
        });
        assertThat(probe.causedBy()).isEqualTo(app.id());
        assertThat(svc.causedBy()).isEqualTo(probe.id());
        assertThat(get(d, Category.RolloutStuck, "shop", "web").causedBy()).isEqualTo(probe.id());
    }

    @Test
    void withoutAClassifierSignalTheProbeIsTheRoot() {
        Finding probe = get(plain, Category.ProbeFailure, "shop", "web");
        assertThat(probe.rootCause()).isTrue();
        assertThat(probe.summary()).contains("Readiness probe", "statuscode: 503", "120 times", "no Service traffic");
        assertThat(find(plain, Category.AppError, "shop", "web")).isEmpty();
    }

    @Test
    void anAppErrorNamingAServiceWithoutEndpointsIsCausedByIt() {
        Diagnosis d = Fixtures.engine(Fixtures.classifier("connection refused", LogSignal.Kind.DEPENDENCY_UNREACHABLE,
                "a dependency refuses connections")).diagnose(workloads);
        Finding payments = get(d, Category.ServiceNoEndpoints, "deps", "payments");
        Finding app = get(d, Category.AppError, "deps", "checkout-ui");
        Finding probe = get(d, Category.ProbeFailure, "deps", "checkout-ui");
        assertThat(payments.rootCause()).isTrue();
        assertThat(payments.summary()).contains("matches no pod");
        assertThat(app.causedBy()).isEqualTo(payments.id());
        assertThat(app.summary()).contains("dial tcp payments:8080");
        assertThat(probe.causedBy()).isEqualTo(app.id());
    }

    @Test
    void pullAccessDeniedFromPastedDescribeOutput() {
        var pod = new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName("crw-7d4b8c9f5-qz2x4")
                .withNamespace("default").endMetadata().withNewSpec().addNewContainer().withName("crw")
                .withImage("yourcompany/crw:latest").endContainer().endSpec().withNewStatus().withPhase("Pending")
                .addToContainerStatuses(new io.fabric8.kubernetes.api.model.ContainerStatusBuilder().withName("crw")
                        .withReady(false).withNewState().withNewWaiting().withReason("ErrImagePull").endWaiting().endState()
                        .build()).endStatus().build();
        var event = new io.fabric8.kubernetes.api.model.EventBuilder().withNewMetadata().withName("e1").withNamespace("default")
                .endMetadata().withNewInvolvedObject().withKind("Pod").withName("crw-7d4b8c9f5-qz2x4").withNamespace("default")
                .endInvolvedObject().withType("Warning").withReason("Failed").withCount(3)
                .withMessage("Failed to pull image \"yourcompany/crw:latest\": failed to resolve reference "
                        + "\"docker.io/yourcompany/crw:latest\": pull access denied, repository does not exist or may require "
                        + "authorization: server message: insufficient_scope: authorization failed").build();
        ClusterSnapshot.Builder b = ClusterSnapshot.builder("evidence");
        b.add(pod, new io.opsagent.core.cluster.TextOrigin("kubectl_describe.txt", 3).field("status.containerStatuses[0].state", 26));
        b.add(event, new io.opsagent.core.cluster.TextOrigin("kubectl_describe.txt", 56));
        Finding f = Fixtures.engine().diagnose(b.build()).findings().get(0);
        assertThat(f.category()).isEqualTo(Category.ImagePullError);
        assertThat(f.summary()).contains("yourcompany/crw:latest", "pull access denied", "ErrImagePull");
        assertThat(f.evidence()).anySatisfy(e -> {
            assertThat(e.source()).isEqualTo(EvidenceSource.DESCRIBE);
            assertThat(e.ref()).isEqualTo("kubectl_describe.txt:56");
            assertThat(e.text()).contains("Failed (x3)", "insufficient_scope");
        });
        assertThat(f.remediation()).anyMatch(r -> r.startsWith("kubectl set image deployment/crw -n default crw="));
        assertThat(f.remediation()).anyMatch(r -> r.contains("kubectl create secret docker-registry regcred -n default"));
    }
}
