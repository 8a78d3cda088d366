package io.opsagent.adapters.kubernetes.real;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.opsagent.adapters.kubernetes.Impersonation;
import io.opsagent.adapters.kubernetes.KubernetesActions;
import io.opsagent.adapters.kubernetes.KubernetesClients;
import io.opsagent.adapters.kubernetes.LiveClusterReader;
import io.opsagent.adapters.kubernetes.LiveSnapshotProvider;
import io.opsagent.core.actions.Action;
import io.opsagent.core.actions.ActionException;
import io.opsagent.core.actions.ActionKind;
import io.opsagent.core.actions.ActionService;
import io.opsagent.core.actions.ApprovalPolicy;
import io.opsagent.core.actions.AuditRecord;
import io.opsagent.core.actions.Canonical;
import io.opsagent.core.actions.InMemoryAuditLog;
import io.opsagent.core.actions.InMemoryProposalStore;
import io.opsagent.core.actions.Proposal;
import io.opsagent.core.actions.ProposalStatus;
import io.opsagent.core.agent.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Write actions against the real API server: the dry run, the SubjectAccessReview and the write impersonating the
 * approver are the server's; the controllers and kwok roll the change out. RBAC: the product's identity
 * ({@code opsagent}) may read, impersonate and ask SubjectAccessReviews, and write nothing itself; bob and carol may
 * edit the namespace; alice may only view it; dave may do nothing there.
 */
class ActionsOnRealClusterTest {
    private static final String NS = "act-" + UUID.randomUUID().toString().substring(0, 8);
    private static LocalCluster cluster;
    private static KubernetesClient admin;
    private static KubernetesClient agent;
    private InMemoryProposalStore store;
    private InMemoryAuditLog audit;
    private MovableClock clock;
    private ActionService service;

    @BeforeAll
    static void setUp() {
        cluster = LocalCluster.get();
        admin = cluster.client("admin");
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        LocalCluster.agentRbac(admin, NS);
        LocalCluster.bindInNamespace(admin, NS, "bob-edit", "edit", "User", "bob");
        LocalCluster.bindInNamespace(admin, NS, "carol-edit", "edit", "User", "carol");
        LocalCluster.bindInNamespace(admin, NS, "erin-edit", "edit", "User", "erin");
        LocalCluster.bindInNamespace(admin, NS, "alice-view", "view", "User", "alice");
        agent = cluster.client("opsagent");
    }

    @AfterAll
    static void tearDown() {
        if (admin == null) return;
        LocalCluster.removeAgentRbac(admin, NS);
        admin.namespaces().withName(NS).delete();
        agent.close();
        admin.close();
    }

    @BeforeEach
    void service() {
        store = new InMemoryProposalStore();
        clock = new MovableClock(Instant.now());
        audit = new InMemoryAuditLog(clock);
        KubernetesActions actions = new KubernetesActions(agent, who -> KubernetesClients.build(cluster.config("opsagent"),
                new Impersonation(who.user(), who.groups())));
        service = new ActionService(actions, store, audit, new ApprovalPolicy(null, true, Set.of(), Duration.ofMinutes(15)),
                new LiveSnapshotProvider(new LiveClusterReader(agent, "local"), NS, Duration.ZERO, clock), clock, Runnable::run,
                Duration.ofSeconds(60));
    }

    private static String deployment(int replicas) {
        String name = "web-" + UUID.randomUUID().toString().substring(0, 6);
        Deployment d = new DeploymentBuilder(LocalCluster.deployment(name, replicas, "shop/web:1.0")).editSpec().editTemplate()
                .editSpec().editFirstContainer().withNewResources().addToRequests("cpu", new Quantity("100m"))
                .addToRequests("memory", new Quantity("128Mi")).endResources().endContainer().endSpec().endTemplate()
                .endSpec().build();
        admin.apps().deployments().inNamespace(NS).resource(d).create();
        admin.apps().deployments().inNamespace(NS).withName(name).waitUntilCondition(x -> x.getStatus() != null
                && Integer.valueOf(replicas).equals(x.getStatus().getAvailableReplicas()), 60, java.util.concurrent.TimeUnit.SECONDS);
        return name;
    }

    private static ActionService.Requester as(String user) {
        return new ActionService.Requester(user, List.of(), "run-1", "sess-1", "req-" + user);
    }

    private static Action memory(String name, String limit) {
        return Action.of(ActionKind.SET_RESOURCES, NS, "Deployment", name,
                Canonical.parse("{\"container\":\"" + name + "\",\"limits\":{\"memory\":\"" + limit + "\"}}"));
    }

    private static Deployment live(String name) {
        return admin.apps().deployments().inNamespace(NS).withName(name).get();
    }

    @Test
    void aProposalChangesNothingAndShowsWhatTheServersDryRunWouldChange() {
        String name = deployment(3);
        long generation = live(name).getMetadata().getGeneration();
        Proposal p = service.propose(Action.of(ActionKind.SCALE, NS, "Deployment", name, Canonical.parse("{\"replicas\":5}")), as("bob"));
        assertThat(p.status()).isEqualTo(ProposalStatus.PENDING);
        assertThat(p.dryRun().ok()).isTrue();
        assertThat(p.dryRun().diff()).extracting(c -> c.text()).containsExactly("spec.replicas: 3 → 5");
        assertThat(p.blast().replicasBefore()).isEqualTo(3);
        assertThat(p.blast().replicasAfter()).isEqualTo(5);
        assertThat(p.blast().services()).isEmpty();
        assertThat(p.cost()).isNotNull();
        assertThat(p.cost().text()).isEqualTo("about +$7/month"); // 2 × (0.1 vCPU, 0.125 GiB) at Fargate prices
        assertThat(p.risk().level()).isEqualTo("low");
        assertThat(p.target().resourceVersion()).isEqualTo(live(name).getMetadata().getResourceVersion());
        assertThat(p.expiresAt()).isEqualTo(p.createdAt().plus(Duration.ofMinutes(15)));
        assertThat(live(name).getMetadata().getGeneration()).isEqualTo(generation); // nothing stored
        assertThat(live(name).getSpec().getReplicas()).isEqualTo(3);
        // the memory fix: a strategic merge into the container of that name; every pod will be replaced
        Proposal mem = service.propose(memory(name, "512Mi"), as("bob"));
        assertThat(mem.dryRun().diff()).extracting(c -> c.text())
                .containsExactly("spec.template.spec.containers[" + name + "].resources.limits.memory: (none) → 512Mi");
        assertThat(mem.blast().podsRestarting()).hasSize(3);
        assertThat(mem.risk().level()).isEqualTo("medium");
        // asking for what is already so is not a proposal
        assertThatThrownBy(() -> service.propose(Action.of(ActionKind.SCALE, NS, "Deployment", name,
                Canonical.parse("{\"replicas\":3}")), as("bob"))).hasMessageContaining("changes nothing");
        assertThatThrownBy(() -> service.propose(memory(name + "-x", "1Gi"), as("bob"))).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> service.propose(Action.of(ActionKind.SET_IMAGE, NS, "Deployment", name,
                Canonical.parse("{\"container\":\"nope\",\"image\":\"web:2\"}")), as("bob")))
                .hasMessageContaining("no container 'nope'");
        assertThat(audit.all()).extracting(AuditRecord::type).containsExactly("proposed", "proposed");
    }

    @Test
    void onlyTheExactHashApprovedByAnotherUserIsExecutedAsThatUserAndVerified() {
        String name = deployment(2);
        Proposal p = service.propose(memory(name, "512Mi"), as("bob"));
        assertThatThrownBy(() -> service.approve(p.id(), as("carol"), "0".repeat(64)))
                .isInstanceOfSatisfying(ActionException.class, e -> assertThat(e.reason()).isEqualTo(ActionException.Reason.CONFLICT))
                .hasMessageContaining("is not this proposal's");
        assertThatThrownBy(() -> service.approve(p.id(), as("bob"), p.hash()))
                .isInstanceOfSatisfying(ActionException.class, e -> assertThat(e.reason()).isEqualTo(ActionException.Reason.FORBIDDEN))
                .hasMessageContaining("separation of duties");
        assertThat(live(name).getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits()).isNullOrEmpty();

        Proposal done = service.approve(p.id(), as("carol"), p.hash());
        assertThat(done.status()).isEqualTo(ProposalStatus.EXECUTING); // the verifier (here: this thread) has finished
        Proposal end = service.get(p.id());
        assertThat(end.status()).as(String.valueOf(end.verification())).isEqualTo(ProposalStatus.SUCCEEDED);
        assertThat(end.execution().asUser()).isEqualTo("carol");
        assertThat(end.execution().method()).isEqualTo("PATCH");
        assertThat(end.execution().path()).isEqualTo("/apis/apps/v1/namespaces/" + NS + "/deployments/" + name);
        assertThat(end.execution().body()).contains("\"memory\":\"512Mi\"");
        assertThat(end.verification().outcome()).isEqualTo("succeeded");
        assertThat(end.verification().rollout()).startsWith("rolled out: 2 of 2 updated");
        Deployment after = live(name);
        assertThat(after.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits().get("memory"))
                .hasToString("512Mi");
        // the server recorded carol as the writer (impersonated), not the product's identity
        assertThat(after.getMetadata().getManagedFields()).anySatisfy(f -> assertThat(f.getOperation()).isEqualTo("Update"));
        assertThat(audit.all()).extracting(AuditRecord::type).containsExactly("proposed", "approved", "access-checked",
                "access-checked", "executed", "verified");
        assertThat(audit.all().get(1).detail().path("hashSeen").asText()).isEqualTo(p.hash());
        assertThat(audit.verify().intact()).isTrue();
        // single use
        assertThatThrownBy(() -> service.approve(p.id(), as("erin"), p.hash())).hasMessageContaining("already succeeded");
        assertThatThrownBy(() -> service.reject(p.id(), as("erin"), "late")).hasMessageContaining("already succeeded");
    }

    @Test
    void twoConcurrentApprovalsExecuteOnce() throws Exception {
        String name = deployment(1);
        Proposal p = service.propose(Action.of(ActionKind.SCALE, NS, "Deployment", name, Canonical.parse("{\"replicas\":2}")), as("bob"));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> results = new ArrayList<>();
        for (String who : List.of("carol", "erin")) {
            results.add(pool.submit((Callable<String>) () -> {
                go.await();
                try {
                    return service.approve(p.id(), as(who), p.hash()).status().id();
                } catch (ActionException e) {
                    return e.reason() + ": " + e.getMessage();
                }
            }));
        }
        go.countDown();
        List<String> outcomes = new ArrayList<>();
        for (Future<String> f : results) outcomes.add(f.get());
        pool.shutdown();
        assertThat(outcomes).filteredOn(o -> o.equals("executing")).hasSize(1);
        assertThat(outcomes).filteredOn(o -> o.startsWith("CONFLICT")).hasSize(1);
        assertThat(audit.all()).filteredOn(r -> r.type().equals("executed")).hasSize(1);
        assertThat(live(name).getSpec().getReplicas()).isEqualTo(2);
    }

    @Test
    void anExpiredOrRejectedProposalCannotBeApproved() {
        String name = deployment(1);
        Proposal p = service.propose(Action.of(ActionKind.SCALE, NS, "Deployment", name, Canonical.parse("{\"replicas\":2}")), as("bob"));
        clock.advance(Duration.ofMinutes(16));
        assertThatThrownBy(() -> service.approve(p.id(), as("carol"), p.hash()))
                .isInstanceOfSatisfying(ActionException.class, e -> assertThat(e.reason()).isEqualTo(ActionException.Reason.EXPIRED));
        assertThat(service.get(p.id()).status()).isEqualTo(ProposalStatus.EXPIRED);
        Proposal q = service.propose(Action.of(ActionKind.SCALE, NS, "Deployment", name, Canonical.parse("{\"replicas\":2}")), as("bob"));
        service.reject(q.id(), as("carol"), "not during the sale");
        assertThatThrownBy(() -> service.approve(q.id(), as("erin"), q.hash())).hasMessageContaining("already rejected");
        assertThat(live(name).getSpec().getReplicas()).isEqualTo(1);
        assertThat(audit.all()).extracting(AuditRecord::type).containsExactly("proposed", "expired", "proposed", "rejected");
    }

    @Test
    void aChangeMadeMeanwhileMakesTheProposalStaleAndNothingIsSent() {
        String name = deployment(1);
        Proposal p = service.propose(Action.of(ActionKind.SCALE, NS, "Deployment", name, Canonical.parse("{\"replicas\":2}")), as("bob"));
        admin.apps().deployments().inNamespace(NS).withName(name).edit(d -> new DeploymentBuilder(d).editSpec().withReplicas(4).endSpec().build());
        Proposal r = service.approve(p.id(), as("carol"), p.hash());
        assertThat(r.status()).isEqualTo(ProposalStatus.STALE);
        assertThat(live(name).getSpec().getReplicas()).isEqualTo(4);
        assertThat(audit.all()).extracting(AuditRecord::type).containsExactly("proposed", "approved", "stale");
        assertThat(audit.all().get(2).detail().path("detail").asText()).contains("spec.replicas: 4 → 2").contains("propose it again");
    }

    @Test
    void theServersRbacDecidesForTheRequesterAndForTheApprover() {
        String name = deployment(1);
        // alice may only view: the server refuses her dry run, and such a proposal cannot be approved
        Proposal mine = service.propose(Action.of(ActionKind.SCALE, NS, "Deployment", name, Canonical.parse("{\"replicas\":2}")), as("alice"));
        assertThat(mine.dryRun().ok()).isFalse();
        assertThat(mine.dryRun().error()).contains("403").contains("User \"alice\" cannot patch resource \"deployments\"");
        assertThat(mine.risk().level()).isEqualTo("high");
        assertThatThrownBy(() -> service.approve(mine.id(), as("carol"), mine.hash())).hasMessageContaining("the dry run failed");
        // dave may approve by the policy but not change the namespace: the SubjectAccessReview refuses his approval,
        // nothing is sent, and the proposal stays pending for an approver who may
        Proposal p = service.propose(Action.of(ActionKind.SCALE, NS, "Deployment", name, Canonical.parse("{\"replicas\":2}")), as("bob"));
        assertThatThrownBy(() -> service.approve(p.id(), as("dave"), p.hash()))
                .hasMessageContaining("dave may not patch deployments.apps/" + name).hasMessageContaining("stays pending");
        assertThat(service.get(p.id()).status()).isEqualTo(ProposalStatus.PENDING);
        assertThat(service.get(p.id()).execution()).isNull();
        assertThat(live(name).getSpec().getReplicas()).isEqualTo(1);
        assertThat(audit.all()).filteredOn(x -> x.type().equals("access-checked")).singleElement().satisfies(x -> {
            assertThat(x.actor()).isEqualTo("dave");
            assertThat(x.detail().path("allowed").asBoolean()).isFalse();
            assertThat(x.detail().path("request").asText()).isEqualTo("patch deployments.apps/" + name + " in namespace " + NS);
        });
    }

    @Test
    void aQuotaWithoutRoomForTheNewPodsIsARiskAndAManifestRaisesItByServerSideApply() {
        String ns = NS + "-q";
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        LocalCluster.bindInNamespace(admin, ns, "bob-edit", "edit", "User", "bob");
        // quotas are not the namespace admin's (the admin role only reads them): a role of their own
        admin.rbac().clusterRoles().resource(new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder().withNewMetadata()
                .withName(ns + "-quotas").endMetadata().addNewRule().withApiGroups("").withResources("resourcequotas")
                .withVerbs("get", "list", "watch", "patch", "update", "create").endRule().build()).create();
        LocalCluster.bindInNamespace(admin, ns, "carol-quotas", ns + "-quotas", "User", "carol");
        LocalCluster.bindInNamespace(admin, ns, "erin-quotas", ns + "-quotas", "User", "erin");
        try {
            admin.resourceQuotas().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.ResourceQuotaBuilder()
                    .withNewMetadata().withName("mem").endMetadata().withNewSpec().addToHard("limits.memory", new Quantity("1Gi"))
                    .endSpec().build()).create();
            admin.resourceQuotas().inNamespace(ns).withName("mem").waitUntilCondition(q -> q != null && q.getStatus() != null
                    && q.getStatus().getHard() != null && !q.getStatus().getHard().isEmpty(), 30, java.util.concurrent.TimeUnit.SECONDS);
            Deployment d = new DeploymentBuilder(LocalCluster.deployment("api", 2, "shop/api:1")).editSpec().editTemplate()
                    .editSpec().editFirstContainer().withNewResources().addToLimits("memory", new Quantity("256Mi"))
                    .endResources().endContainer().endSpec().endTemplate().endSpec().build();
            admin.apps().deployments().inNamespace(ns).resource(d).create();
            admin.apps().deployments().inNamespace(ns).withName("api").waitUntilCondition(x -> x.getStatus() != null
                    && Integer.valueOf(2).equals(x.getStatus().getAvailableReplicas()), 60, java.util.concurrent.TimeUnit.SECONDS);
            admin.resourceQuotas().inNamespace(ns).withName("mem").waitUntilCondition(q -> q.getStatus().getUsed() != null
                    && "512Mi".equals(String.valueOf(q.getStatus().getUsed().get("limits.memory"))), 30, java.util.concurrent.TimeUnit.SECONDS);
            ActionService inNs = new ActionService(new KubernetesActions(agent, who -> KubernetesClients.build(
                    cluster.config("opsagent"), new Impersonation(who.user(), who.groups()))), store, audit,
                    new ApprovalPolicy(null, true, Set.of(), Duration.ofMinutes(15)),
                    new LiveSnapshotProvider(new LiveClusterReader(agent, "local"), ns, Duration.ZERO, clock), clock, Runnable::run,
                    Duration.ofSeconds(60));
            Action fits = Action.of(ActionKind.SET_RESOURCES, ns, "Deployment", "api",
                    Canonical.parse("{\"container\":\"api\",\"limits\":{\"memory\":\"384Mi\"}}"));
            // a rolling update's peak: just before the last old pod goes, 2 × 384 − 2 × 256 + 1 × 256 = 512Mi more
            assertThat(inNs.propose(fits, as("bob")).risk().reasons()).noneMatch(r -> r.contains("ResourceQuota"));
            Action tooBig = Action.of(ActionKind.SET_RESOURCES, ns, "Deployment", "api",
                    Canonical.parse("{\"container\":\"api\",\"limits\":{\"memory\":\"768Mi\"}}"));
            Proposal p = inNs.propose(tooBig, as("bob"));
            assertThat(p.risk().level()).isEqualTo("high");
            assertThat(p.risk().reasons().get(0)).isEqualTo("ResourceQuota " + ns + "/mem: limits.memory used 512Mi of 1Gi;"
                    + " the new pods need 1280Mi more, so the quota will refuse them and the rollout will stall until the quota is raised");
            assertThat(p.risk().quota()).singleElement().satisfies(q -> assertThat(q.enough()).isEqualTo("2Gi"));
            // the way out, proposed and approved like any change: a bigger quota, by server-side apply
            Action quota = Action.of(ActionKind.APPLY_MANIFEST, ns, "ResourceQuota", "mem", Canonical.parse(
                    "{\"manifest\":{\"apiVersion\":\"v1\",\"kind\":\"ResourceQuota\",\"metadata\":{\"name\":\"mem\"},"
                            + "\"spec\":{\"hard\":{\"limits.memory\":\"4Gi\"}}}}"));
            // an editor may not change quotas: the server refuses bob's dry run; carol's role may
            assertThat(inNs.propose(quota, as("bob")).dryRun().error()).contains("cannot patch resource \"resourcequotas\"");
            Proposal q = inNs.propose(quota, as("carol"));
            assertThat(q.dryRun().diff()).as(String.valueOf(q.dryRun().error())).extracting(c -> c.text())
                    .contains("spec.hard.limits.memory: 1Gi → 4Gi");
            Proposal done = inNs.approve(q.id(), as("erin"), q.hash());
            assertThat(inNs.get(done.id()).status()).isEqualTo(ProposalStatus.SUCCEEDED);
            assertThat(admin.resourceQuotas().inNamespace(ns).withName("mem").get().getSpec().getHard().get("limits.memory"))
                    .hasToString("4Gi");
            assertThat(inNs.get(done.id()).execution().patchType()).isEqualTo("apply");
        } finally {
            admin.namespaces().withName(ns).delete();
            admin.rbac().clusterRoles().withName(ns + "-quotas").delete();
        }
    }

    @Test
    void aProductionNamespaceAndADeletionNeedTwoDistinctApprovers() {
        String name = deployment(1);
        ActionService prod = new ActionService(new KubernetesActions(agent, who -> KubernetesClients.build(
                cluster.config("opsagent"), new Impersonation(who.user(), who.groups()))), store, audit,
                new ApprovalPolicy(null, true, Set.of(NS), Duration.ofMinutes(15)),
                new LiveSnapshotProvider(new LiveClusterReader(agent, "local"), NS, Duration.ZERO, clock), clock, Runnable::run,
                Duration.ofSeconds(60));
        Proposal p = prod.propose(Action.of(ActionKind.SCALE, NS, "Deployment", name, Canonical.parse("{\"replicas\":2}")), as("bob"));
        assertThat(p.risk().twoApprovers()).isTrue();
        assertThat(p.risk().reasons()).contains("namespace " + NS + " is marked production");
        Proposal once = prod.approve(p.id(), as("carol"), p.hash());
        assertThat(once.status()).isEqualTo(ProposalStatus.PENDING);
        assertThat(once.approvers()).containsExactly("carol");
        assertThatThrownBy(() -> prod.approve(p.id(), as("carol"), p.hash())).hasMessageContaining("carol already approved");
        assertThat(live(name).getSpec().getReplicas()).isEqualTo(1);
        Proposal twice = prod.approve(p.id(), as("erin"), p.hash());
        assertThat(twice.execution().asUser()).isEqualTo("erin"); // the last approval sends it, as that approver
        assertThat(prod.get(p.id()).status()).isEqualTo(ProposalStatus.SUCCEEDED);
        assertThat(live(name).getSpec().getReplicas()).isEqualTo(2);

        // deleting a pod needs two, in any namespace
        String pod = admin.pods().inNamespace(NS).withLabels(java.util.Map.of("app", name)).list().getItems().get(0).getMetadata().getName();
        Proposal del = service.propose(Action.of(ActionKind.DELETE_POD, NS, "Pod", pod, null), as("bob"));
        assertThat(del.risk().level()).isEqualTo("high");
        assertThat(del.risk().twoApprovers()).isTrue();
        assertThat(del.dryRun().diff()).extracting(c -> c.text()).containsExactly("pod " + pod + ": exists → (none)");
        assertThat(service.approve(del.id(), as("carol"), del.hash()).status()).isEqualTo(ProposalStatus.PENDING);
        assertThat(admin.pods().inNamespace(NS).withName(pod).get()).isNotNull();
        service.approve(del.id(), as("erin"), del.hash());
        assertThat(service.get(del.id()).status()).isEqualTo(ProposalStatus.SUCCEEDED);
        assertThat(admin.pods().inNamespace(NS).withName(pod).get()).satisfiesAnyOf(x -> assertThat(x).isNull(),
                x -> assertThat(x.getMetadata().getDeletionTimestamp()).isNotNull());
    }
}
