package io.opsagent.adapters.kubernetes.real;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.opsagent.adapters.kubernetes.ClusterSeeder;
import io.opsagent.adapters.kubernetes.FailureScenarios;
import io.opsagent.adapters.kubernetes.LiveClusterReader;
import io.opsagent.adapters.kubernetes.PodLogSource;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.diagnosis.Category;
import io.opsagent.core.diagnosis.DiagnosisEngine;
import io.opsagent.core.diagnosis.Finding;
import io.opsagent.core.input.ClusterDumpReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo dump loaded into the real local cluster (what {@code ./opsagent cluster up} does): its workloads by
 * server-side apply, its pod failures and logs through kwok. Diagnosed live, the failing workloads have the root
 * causes they have in the dump, their logs are read through the API server, and the fix a real cluster needs
 * clears a failure.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class SeededDemoTest {
    private static final Set<String> DEMO_NAMESPACES = Set.of("shop", "payments", "data", "platform");
    private static LocalCluster cluster;
    private static KubernetesClient admin;
    private static ClusterSnapshot dump;
    private static List<FailureScenarios.Scenario> scenarios;
    private static ClusterSeeder.Result seeded;

    @BeforeAll
    static void seed() throws Exception {
        cluster = LocalCluster.get();
        admin = cluster.client("admin");
        dump = new ClusterDumpReader().read(LocalCluster.repositoryRoot().resolve("events/clusters/demo"));
        // a cluster reused from an earlier run may still be deleting the demo's namespaces
        for (String ns : DEMO_NAMESPACES) {
            admin.namespaces().withName(ns).waitUntilCondition(n -> n == null || n.getMetadata().getDeletionTimestamp() == null,
                    120, TimeUnit.SECONDS);
        }
        // kwok waits while the workloads load, then gives their new pods the dump's failures
        cluster.kwok(false);
        try {
            seeded = new ClusterSeeder(admin).seed(dump, true, line -> { });
            scenarios = FailureScenarios.write(dump, cluster.dir().resolve("kwok.d"),
                    FailureScenarios.templateHashes(admin, dump, Duration.ofSeconds(30)),
                    FailureScenarios.podsByWorkload(admin, dump, Duration.ofSeconds(15)));
        } finally {
            cluster.kwok(true);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        // every simulated workload's pods have had their status from kwok
        while (System.nanoTime() < deadline && !scenarios.stream().filter(sc -> !sc.node()).allMatch(sc -> {
            var ps = pods(sc.namespace(), sc.workload());
            return !ps.isEmpty() && ps.stream().allMatch(p -> p.getStatus() != null
                    && (p.getStatus().getContainerStatuses() != null && !p.getStatus().getContainerStatuses().isEmpty()
                    || p.getStatus().getInitContainerStatuses() != null && !p.getStatus().getInitContainerStatuses().isEmpty()));
        })) {
            Thread.sleep(200);
        }
    }

    @AfterAll
    static void tearDown() {
        if (admin == null) return;
        for (String ns : DEMO_NAMESPACES) admin.namespaces().withName(ns).delete();
        // the cluster as the other tests know it: its own node, not the dump's
        for (var n : dump.nodes()) admin.nodes().withName(n.getMetadata().getName()).delete();
        LocalCluster.restoreDefaultNode(admin);
        admin.close();
    }

    private static List<io.fabric8.kubernetes.api.model.Pod> pods(String ns, String deployment) {
        return admin.pods().inNamespace(ns).list().getItems().stream()
                .filter(p -> p.getMetadata().getName().startsWith(deployment + "-")).toList();
    }

    /** Waits until the Deployment is rolled out, its old pods are gone and its Service has every pod ready. */
    private static void settled(String ns, String name) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            var d = admin.apps().deployments().inNamespace(ns).withName(name).get();
            int want = d.getSpec().getReplicas();
            var ps = pods(ns, name);
            var ep = admin.endpoints().inNamespace(ns).withName(name).get();
            long ready = ep == null || ep.getSubsets() == null ? 0 : ep.getSubsets().stream()
                    .mapToLong(x -> x.getAddresses() == null ? 0 : x.getAddresses().size()).sum();
            if (d.getStatus() != null && d.getMetadata().getGeneration().equals(d.getStatus().getObservedGeneration())
                    && Integer.valueOf(want).equals(d.getStatus().getAvailableReplicas())
                    && Integer.valueOf(want).equals(d.getStatus().getUpdatedReplicas())
                    && ps.size() == want && (ep == null || ready == want)) {
                return;
            }
            Thread.sleep(200);
        }
    }

    private static ClusterSnapshot live() {
        return new LiveClusterReader(admin, "local", new PodLogSource(admin, null, PodLogSource.Limits.DEFAULT)).read(null);
    }

    private static Map<String, Set<Category>> rootCauses(ClusterSnapshot s) {
        return new DiagnosisEngine().diagnose(s).findings().stream().filter(Finding::rootCause)
                .filter(f -> f.namespace() != null && !f.namespace().equals("default"))
                .collect(Collectors.groupingBy(f -> f.namespace() + "/" + f.name(),
                        Collectors.mapping(Finding::category, Collectors.toSet())));
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void everyObjectLoadsAndEveryPodFailureOfTheDumpIsSimulated() {
        assertThat(seeded.refused()).isEmpty();
        assertThat(seeded.applied()).containsEntry("Deployment", 14).containsEntry("Service", 11);
        assertThat(admin.nodes().list().getItems()).extracting(n -> n.getMetadata().getName())
                .containsAll(dump.nodes().stream().map(n -> n.getMetadata().getName()).toList());
        assertThat(scenarios).extracting(s -> s.namespace() + "/" + s.workload()).containsExactlyInAnyOrder(
                "null/ip-10-0-51-66.eu-west-1.compute.internal", "payments/ledger", "payments/payment-gateway", "shop/cart", "shop/catalog", "shop/checkout",
                "shop/recommendations");
    }

    /**
     * What the live cluster cannot show of the dump, by design (docs/kubernetes.md, "What is simulated"): the Jobs a
     * CronJob ran before it was loaded, and pods a kubelet evicted (search-indexer's, from the node under disk
     * pressure).
     */
    private static final Set<String> NOT_SIMULATED = Set.of("data/report-builder", "data/report-builder-29920800",
            "data/report-builder-29920860", "platform/search-indexer");

    @Test
    @org.junit.jupiter.api.Order(2)
    void diagnosedLiveTheClusterHasTheDumpsRootCausesWorkloadByWorkload() throws InterruptedException {
        Map<String, Set<Category>> fromDump = new java.util.TreeMap<>(rootCauses(dump));
        NOT_SIMULATED.forEach(fromDump::remove);
        Map<String, Set<Category>> fromLive = Map.of();
        // the controllers and kwok settle within seconds of the seed (node taints, endpoints, readiness)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            fromLive = new java.util.TreeMap<>(rootCauses(live()));
            NOT_SIMULATED.forEach(fromLive::remove);
            if (fromLive.equals(fromDump)) break;
            Thread.sleep(1000);
        }
        assertThat(fromLive).as("root causes per workload, live vs the dump").isEqualTo(fromDump);
        // the ones that matter most, by name
        assertThat(fromLive.get("payments/payment-gateway")).contains(Category.OOMKilled);
        assertThat(fromLive.get("shop/recommendations")).contains(Category.ImagePullError);
        assertThat(fromLive.get("data/etl-worker")).contains(Category.Unschedulable);
        assertThat(fromLive.get("payments/compute-quota")).contains(Category.QuotaExceeded);
        assertThat(fromLive.get("shop/orders")).contains(Category.AppError); // only its logs show it
        // the node under disk pressure, as in the dump: tainted by the controller, only DaemonSet pods on it
        assertThat(new DiagnosisEngine().diagnose(live()).findings()).anySatisfy(f -> {
            assertThat(f.category()).isEqualTo(Category.NodeProblem);
            assertThat(f.summary()).contains("ip-10-0-51-66.eu-west-1.compute.internal", "DiskPressure");
        });
        assertThat(admin.pods().inAnyNamespace().withField("spec.nodeName", "ip-10-0-51-66.eu-west-1.compute.internal")
                .list().getItems()).isNotEmpty().allSatisfy(p -> assertThat(p.getMetadata().getOwnerReferences())
                        .anySatisfy(o -> assertThat(o.getKind()).isEqualTo("DaemonSet")));
        assertThat(fromLive).doesNotContainKey("data/redis"); // its claims bound to the volumes loaded for them
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    void theFailingPodsLogsAreReadThroughTheApiServer() {
        ClusterSnapshot s = live();
        var cart = pods("shop", "cart").get(0).getMetadata().getName();
        assertThat(s.logsFor("shop", cart)).isNotEmpty();
        String dumpLastLine = dump.logs().stream().filter(l -> l.namespace().equals("shop") && l.container().equals("cart"))
                .findFirst().map(l -> l.lines().get(l.lines().size() - 1).text()).orElseThrow();
        assertThat(s.logsFor("shop", cart).get(0).lines()).extracting(l -> l.text()).contains(dumpLastLine);
        assertThat(s.logGaps()).noneMatch(g -> g.pod().equals(cart));
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    void theServerHonoursTheLogLimitsTheProductSends() {
        var cart = pods("shop", "cart").get(0);
        List<String> dumpLines = dump.logs().stream().filter(l -> l.namespace().equals("shop") && l.container().equals("cart"))
                .findFirst().orElseThrow().lines().stream().map(l -> l.text()).toList();
        var got = new PodLogSource(admin, "shop", new PodLogSource.Limits(3, 1 << 20, 10))
                .logsOf(cart, io.opsagent.core.logs.search.LogQuery.builder().build(), 10);
        assertThat(got).isNotEmpty();
        // tailLines=3: the last three lines of the dump's log, numbered from the first line returned
        assertThat(got.get(0).lines()).extracting(l -> l.text()).containsExactlyElementsOf(
                dumpLines.subList(dumpLines.size() - 3, dumpLines.size()));
        var cut = new PodLogSource(admin, "shop", new PodLogSource.Limits(2_000, 200, 10))
                .logsOf(cart, io.opsagent.core.logs.search.LogQuery.builder().build(), 10);
        assertThat(cut.get(0).lines().stream().mapToInt(l -> l.text().length() + 1).sum()).isLessThanOrEqualTo(201);
    }

    @Test
    @org.junit.jupiter.api.Order(4)
    void theMissingSettingTheAgentNamesClearsTheCrashLoop() throws InterruptedException {
        // the agent's fix for shop/cart: kubectl set env deployment/cart REDIS_URL=...
        admin.apps().deployments().inNamespace("shop").withName("cart").edit(d -> new DeploymentBuilder(d)
                .editSpec().editTemplate().editSpec().editFirstContainer().addNewEnv().withName("REDIS_URL")
                .withValue("redis://redis.data:6379").endEnv().endContainer().endSpec().endTemplate().endSpec().build());
        settled("shop", "cart");
        assertThat(rootCauses(live()).get("shop/cart")).isNull();
    }

    @Test
    @org.junit.jupiter.api.Order(5)
    void aPullableImageClearsThePullFailureAsInARealCluster() throws InterruptedException {
        String fixed = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/recommendations:2.4.0";
        admin.apps().deployments().inNamespace("shop").withName("recommendations").edit(d -> new DeploymentBuilder(d)
                .editSpec().editTemplate().editSpec().editFirstContainer().withImage(fixed).endContainer().endSpec()
                .endTemplate().endSpec().build());
        // rolled out, the old pods gone (kwok deletes them once the controller does): nothing is wrong any more
        settled("shop", "recommendations");
        assertThat(pods("shop", "recommendations")).allMatch(p -> p.getSpec().getContainers().get(0).getImage().equals(fixed));
        assertThat(rootCauses(live()).get("shop/recommendations")).isNull();
    }

    @Test
    @org.junit.jupiter.api.Order(6)
    void theAgentsFixOfTheOomKillRaisesTheFullQuotaFirstAndBothApprovedClearIt() throws InterruptedException {
        // carol may edit payments and change its quota (as the playground's users may after cluster up)
        LocalCluster.agentRbac(admin, "demo-fix");
        admin.rbac().clusterRoles().resource(new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder().withNewMetadata()
                .withName("demo-fix-quotas").endMetadata().addNewRule().withApiGroups("").withResources("resourcequotas")
                .withVerbs("get", "list", "watch", "patch", "update").endRule().build()).create();
        LocalCluster.bindInNamespace(admin, "payments", "carol-edit", "edit", "User", "carol");
        LocalCluster.bindInNamespace(admin, "payments", "carol-quotas", "demo-fix-quotas", "User", "carol");
        try (KubernetesClient agent = cluster.client("opsagent")) {
            var snapshots = new io.opsagent.adapters.kubernetes.LiveSnapshotProvider(new LiveClusterReader(agent, "local"),
                    "payments", Duration.ZERO, java.time.Clock.systemUTC());
            var store = new io.opsagent.core.actions.InMemoryProposalStore();
            var actions = new io.opsagent.core.actions.ActionService(new io.opsagent.adapters.kubernetes.KubernetesActions(agent,
                    who -> io.opsagent.adapters.kubernetes.KubernetesClients.build(cluster.config("opsagent"),
                            new io.opsagent.adapters.kubernetes.Impersonation(who.user(), who.groups()))), store,
                    new io.opsagent.core.actions.InMemoryAuditLog(java.time.Clock.systemUTC()),
                    io.opsagent.core.actions.ApprovalPolicy.LOCAL, snapshots, java.time.Clock.systemUTC(), Runnable::run,
                    Duration.ofSeconds(90));
            var context = new io.opsagent.core.tools.ToolContext("run-demo", "carol", "payments", "payment-gateway", snapshots,
                    null, null, actions, "sess-demo");
            var result = new io.opsagent.core.tools.actions.ProposeFixTool().call(
                    new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode(), context);
            assertThat(result.error()).as(result.text()).isFalse();
            assertThat(result.text()).contains("approve the quota change first");
            List<String> ids = io.opsagent.core.tools.actions.ProposeChangeTool.proposalIdsIn(result.summary());
            assertThat(ids).hasSize(2);
            var quota = actions.get(ids.get(0));
            var fix = actions.get(ids.get(1));
            // the dump's quota: 7Gi of 8Gi used; the rolling update's peak needs 3Gi more (2 × 2Gi − 2 × 1Gi + 1Gi)
            assertThat(quota.dryRun().diff()).extracting(c -> c.text()).containsExactly("spec.hard.limits.memory: 8Gi → 10Gi");
            assertThat(fix.dryRun().diff()).extracting(c -> c.text())
                    .containsExactly("spec.template.spec.containers[app].resources.limits.memory: 1Gi → 2Gi");
            for (var p : List.of(quota, fix)) {
                actions.approve(p.id(), new io.opsagent.core.actions.ActionService.Requester("carol", List.of(), null, null, "t"), p.hash());
                assertThat(actions.get(p.id()).status()).as(String.valueOf(actions.get(p.id()).verification()))
                        .isEqualTo(io.opsagent.core.actions.ProposalStatus.SUCCEEDED);
            }
        } finally {
            LocalCluster.removeAgentRbac(admin, "demo-fix");
            admin.rbac().clusterRoles().withName("demo-fix-quotas").delete();
        }
        settled("payments", "payment-gateway");
        assertThat(pods("payments", "payment-gateway")).isNotEmpty().allSatisfy(p ->
                assertThat(p.getStatus().getContainerStatuses().get(0).getReady()).isTrue());
        assertThat(rootCauses(live()).get("payments/payment-gateway")).isNull();
    }
}
