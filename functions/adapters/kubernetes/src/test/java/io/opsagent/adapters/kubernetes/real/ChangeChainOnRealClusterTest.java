package io.opsagent.adapters.kubernetes.real;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.opsagent.adapters.kubernetes.Impersonation;
import io.opsagent.adapters.kubernetes.KubernetesActions;
import io.opsagent.adapters.kubernetes.KubernetesClients;
import io.opsagent.adapters.kubernetes.LiveClusterReader;
import io.opsagent.adapters.kubernetes.LiveSnapshotProvider;
import io.opsagent.adapters.stepfunctions.LocalStack;
import io.opsagent.adapters.stepfunctions.SfnOrchestrator;
import io.opsagent.adapters.stepfunctions.StateMachines;
import io.opsagent.adapters.stepfunctions.TaskQueue;
import io.opsagent.core.actions.Action;
import io.opsagent.core.actions.ActionException;
import io.opsagent.core.actions.ActionKind;
import io.opsagent.core.actions.ActionService;
import io.opsagent.core.actions.ApprovalPolicy;
import io.opsagent.core.actions.AuditLog;
import io.opsagent.core.actions.AuditRecord;
import io.opsagent.core.actions.Canonical;
import io.opsagent.core.actions.InMemoryAuditLog;
import io.opsagent.core.actions.InMemoryProposalStore;
import io.opsagent.core.actions.Proposal;
import io.opsagent.core.changes.Change;
import io.opsagent.core.changes.ChangeOrchestrator;
import io.opsagent.core.changes.ChangePolicy;
import io.opsagent.core.changes.ChangeService;
import io.opsagent.core.changes.ChangeStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The change chain end to end: {@code statemachines/change.asl.json} on LocalStack's Step Functions, its steps read
 * from a real SQS queue and done by {@link ChangeService} against the real API server (dry run, SubjectAccessReview,
 * the PATCH impersonating the approver, the controllers and kwok rolling it out). bob asks, carol approves. A new
 * image rolls out and passes the analysis; an image whose pods crash (a kwok stage) fails it and is rolled back as
 * carol; a registry the policy does not allow is refused before anything is proposed.
 */
class ChangeChainOnRealClusterTest {
    private static final String NS = "chg-" + UUID.randomUUID().toString().substring(0, 8);
    private static LocalCluster cluster;
    private static KubernetesClient admin;
    private static KubernetesClient agent;
    private static Path scenarios;
    private static String savedScenarios;
    private static ChangeService changes;
    private static ActionService actions;
    private static AuditLog audit;
    private static TaskQueue queue;
    private static SfnOrchestrator chain;
    private static ChangeStore store;
    private static final io.opsagent.core.changes.IntendedStateStore intents = new io.opsagent.core.changes.IntendedStateStore.InMemory();
    private static io.opsagent.core.changes.DriftService drift;



    @BeforeAll
    static void setUp() throws Exception {
        cluster = LocalCluster.get();
        admin = cluster.client("admin");
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        LocalCluster.agentRbac(admin, NS);
        LocalCluster.bindInNamespace(admin, NS, "bob-edit", "edit", "User", "bob");
        LocalCluster.bindInNamespace(admin, NS, "carol-edit", "edit", "User", "carol");
        agent = cluster.client("opsagent");
        // pods of the image web:broken crash, as a kubelet would report them
        scenarios = cluster.dir().resolve("kwok.d").resolve("scenarios.json");
        Files.createDirectories(scenarios.getParent());
        savedScenarios = Files.exists(scenarios) ? Files.readString(scenarios) : null;
        String status = "{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\"},"
                + "{\"type\":\"ContainersReady\",\"status\":\"False\"},{\"type\":\"PodScheduled\",\"status\":\"True\"}],"
                + "\"containerStatuses\":[{\"name\":\"web\",\"image\":\"web:broken\",\"ready\":false,\"restartCount\":3,"
                + "\"state\":{\"waiting\":{\"reason\":\"CrashLoopBackOff\",\"message\":\"back-off 40s restarting failed container\"}},"
                + "\"lastState\":{\"terminated\":{\"exitCode\":1,\"reason\":\"Error\"}}}]}";
        String stage = "{\"apiVersion\":\"kwok.x-k8s.io/v1alpha1\",\"kind\":\"Stage\",\"metadata\":{\"name\":\"" + NS + "-broken\"},"
                + "\"spec\":{\"resourceRef\":{\"apiGroup\":\"v1\",\"kind\":\"Pod\"},\"selector\":{\"matchExpressions\":["
                + "{\"key\":\".metadata.namespace\",\"operator\":\"In\",\"values\":[\"" + NS + "\"]},"
                + "{\"key\":\".metadata.deletionTimestamp\",\"operator\":\"DoesNotExist\"},"
                + "{\"key\":\".status.phase\",\"operator\":\"In\",\"values\":[\"Pending\"]},"
                + "{\"key\":\".spec.containers.[] | select( .name == \\\"web\\\" ) | .image\",\"operator\":\"In\",\"values\":[\"web:broken\"]}]},"
                + "\"weight\":1000,\"next\":{\"statusTemplate\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(status)
                + ",\"event\":{\"type\":\"Warning\",\"reason\":\"BackOff\",\"message\":\"Back-off restarting failed container web\"}}}}";
        cluster.kwok(false);
        try {
            Files.writeString(scenarios, (savedScenarios == null ? "" : savedScenarios.strip() + "\n---\n") + stage + "\n",
                    StandardCharsets.UTF_8);
        } finally {
            cluster.kwok(true);
        }
        admin.apps().deployments().inNamespace(NS).resource(LocalCluster.deployment("web", 2, "web:1.0")).create();
        admin.apps().deployments().inNamespace(NS).withName("web").waitUntilCondition(d -> d.getStatus() != null
                && Integer.valueOf(2).equals(d.getStatus().getAvailableReplicas()), 60, TimeUnit.SECONDS);

        Clock clock = Clock.systemUTC();
        audit = new InMemoryAuditLog(clock);
        KubernetesActions cluserActions = new KubernetesActions(agent, who -> KubernetesClients.build(
                cluster.config("opsagent"), new Impersonation(who.user(), who.groups())));
        actions = new ActionService(cluserActions, new InMemoryProposalStore(), audit,
                new ApprovalPolicy(null, true, Set.of(), Duration.ofMinutes(15)),
                new LiveSnapshotProvider(new LiveClusterReader(agent, "local"), NS, Duration.ZERO, clock), clock,
                Runnable::run, Duration.ofSeconds(60));
        LocalStack ls = LocalStack.ensure(LocalStack.checkoutRoot(), LocalStack.testPort());
        var sqs = ls.sqs();
        String queueUrl = sqs.createQueue(r -> r.queueName("change-tasks-" + NS)).queueUrl();
        String arn = ls.sfn().createStateMachine(r -> r.name("change-" + NS).roleArn("arn:aws:iam::000000000000:role/x")
                .definition(def(queueUrl))).stateMachineArn();
        chain = new SfnOrchestrator(ls.sfn(), arn);
        ChangePolicy policy = ChangePolicy.LOCAL.withRegistries(List.of("web:", "registry.example.com/"))
                .withTimes(Duration.ofSeconds(4), Duration.ofMinutes(5), Duration.ofSeconds(20));
        store = new ChangeStore.InMemory();
        changes = new ChangeService(store, actions, cluserActions, chain, policy, clock);
        changes.intents(intents);
        // the product opens the run through its conversation engine (web/test/e2e-changes.mjs follows one); here the
        // port records what it was asked, to check who, about what and how often
        changes.investigator((user, workload, question) -> {
            investigations.add(List.of(user, workload, question));
            return "run-" + investigations.size();
        });
        changes.notifier(io.opsagent.core.notify.Notifier.all(io.opsagent.core.redact.Redactor.standard(), List.of(notes::add)),
                "https://opsagent.example/");
        drift = new io.opsagent.core.changes.DriftService(intents, actions, cluserActions,
                new LiveSnapshotProvider(new LiveClusterReader(agent, "local"), NS, Duration.ZERO, clock), changes::policy,
                new io.opsagent.core.changes.DriftPolicy(Set.of("image", "replicas"), 10, Duration.ofHours(1), Duration.ZERO,
                        100, Duration.ofMinutes(10)), clock);
        queue = new TaskQueue(sqs, queueUrl, changes::handle, 1, 8).start();
    }

    private static String def(String queueUrl) {
        try {
            return StateMachines.definition(LocalStack.checkoutRoot().resolve("statemachines/change.asl.json"), Map.of("ChangeTaskQueueUrl", queueUrl));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (queue != null) queue.close();
        if (changes != null) changes.close();
        if (admin == null) return;
        cluster.kwok(false);
        try {
            if (savedScenarios == null) Files.deleteIfExists(scenarios);
            else Files.writeString(scenarios, savedScenarios);
        } finally {
            cluster.kwok(true);
        }
        LocalCluster.removeAgentRbac(admin, NS);
        admin.namespaces().withName(NS).delete();
        agent.close();
        admin.close();
    }

    private static ActionService.Requester as(String user) {
        return new ActionService.Requester(user, List.of(), null, null, "corr-" + user);
    }

    private static Action image(String image) {
        return Action.of(ActionKind.SET_IMAGE, NS, "Deployment", "web",
                Canonical.parse("{\"container\":\"web\",\"image\":\"" + image + "\"}"));
    }

    private static Change await(String id, Predicate<Change> done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        Change c = changes.get(id);
        while (System.nanoTime() < deadline) {
            c = changes.get(id);
            if (done.test(c)) return c;
            Thread.sleep(100);
        }
        throw new AssertionError("change " + id + " not " + what + " after 120 s: " + c.status() + " (" + c.detail() + ")");
    }

    private static String image() {
        return admin.apps().deployments().inNamespace(NS).withName("web").get().getSpec().getTemplate().getSpec()
                .getContainers().get(0).getImage();
    }

    @Test
    void aGoodChangeIsApprovedByAnotherUserExecutedAsThemMonitoredAndRecorded() throws Exception {
        runGood();
        runBad();
        runDrift();
    }

    private static void patchImage(String img) {
        edit(d -> {
            d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(img);
            return d;
        });
    }

    /**
     * A hand edit of web (get, change, update on its resourceVersion), tried again when the Deployment controller
     * wrote its status in between (409 Conflict), as kubectl edit would be.
     */
    private static void edit(java.util.function.UnaryOperator<io.fabric8.kubernetes.api.model.apps.Deployment> change) {
        for (int attempt = 0; ; attempt++) {
            try {
                admin.apps().deployments().inNamespace(NS).withName("web").edit(change);
                return;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= 5) throw e;
            }
        }
    }

    private static List<String> results(List<io.opsagent.core.changes.DriftService.Outcome> os) {
        return os.stream().map(o -> o.drift().type() + " " + o.result()).toList();
    }

    /** After the good change recorded web:2.0 × 2 as intended: drift made with kubectl is remediated or escalated. */
    private void runDrift() throws Exception {
        var intent = intents.get(NS + "/Deployment/web").orElseThrow();
        assertThat(intent.images()).containsEntry("web", "web:2.0");
        assertThat(intent.replicas()).isEqualTo(2);
        assertThat(intent.approver()).isEqualTo("carol");
        assertThat(drift.detect()).as("no drift right after the change and its rollback to it").isEmpty();
        // an image changed behind OpsAgent's back: restored as carol, covered by her approval of the change
        patchImage("web:hotfix");
        var out = drift.checkAndRemediate();
        assertThat(results(out)).containsExactly("image remediated");
        assertThat(image()).isEqualTo("web:2.0");
        Proposal fix = actions.get(out.get(0).proposalId());
        assertThat(fix.execution().asUser()).isEqualTo("carol");
        assertThat(fix.decisions().get(0).reason()).contains("covered by the approval of " + intent.changeId());
        // replicas scaled by hand: back to 2
        admin.apps().deployments().inNamespace(NS).withName("web").scale(4);
        assertThat(results(drift.checkAndRemediate())).containsExactly("replicas remediated");
        assertThat(admin.apps().deployments().inNamespace(NS).withName("web").get().getSpec().getReplicas()).isEqualTo(2);
        // inside a freeze: escalated as a proposal for a human, nothing changed
        ChangePolicy before = changes.policy();
        changes.policy(before.withWindows(List.of(new io.opsagent.core.changes.ChangeWindow("deny", "* * * * *",
                Duration.ofHours(1), java.time.ZoneId.of("UTC"), List.of(NS)))));
        try {
            patchImage("web:hotfix2");
            var frozen = drift.checkAndRemediate();
            assertThat(results(frozen)).containsExactly("image escalated");
            assertThat(frozen.get(0).why()).contains("is frozen", "proposed for approval");
            assertThat(image()).isEqualTo("web:hotfix2");
            assertThat(actions.get(frozen.get(0).proposalId()).requester()).isEqualTo("opsagent");
            // dry-run as carol, who approved the intended state (OpsAgent's own identity writes nothing): approvable
            assertThat(actions.get(frozen.get(0).proposalId()).dryRun().ok()).isTrue();
            assertThat(results(drift.checkAndRemediate())).as("found again: the same proposal, not a second").containsExactly("image escalated");
            actions.reject(frozen.get(0).proposalId(), new ActionService.Requester("carol", List.of(), null, null, "t"), "test");
        } finally {
            changes.policy(before);
        }
        // someone keeps editing it: no thrash, escalated
        drift.policy(new io.opsagent.core.changes.DriftPolicy(Set.of("image", "replicas"), 10, Duration.ofHours(1),
                Duration.ZERO, 2, Duration.ofMinutes(10)));
        for (int i = 0; i < 3; i++) {
            int n = i;
            edit(d -> {
                d.getMetadata().setAnnotations(new java.util.HashMap<>(java.util.Map.of("edited", "by-hand-" + n)));
                return d;
            });
            drift.detect();
        }
        var thrash = drift.checkAndRemediate();
        assertThat(results(thrash)).containsExactly("image escalated");
        assertThat(thrash.get(0).why()).contains("keeps changing under us");
        assertThat(image()).isEqualTo("web:hotfix2");
        // within its backoff (two attempts in this hour, a 1 h backoff): deferred, not repeated
        drift.policy(new io.opsagent.core.changes.DriftPolicy(Set.of("image", "replicas"), 10, Duration.ofHours(1),
                Duration.ofHours(1), 100, Duration.ofMinutes(10)));
        var deferred = drift.checkAndRemediate();
        assertThat(results(deferred)).containsExactly("image deferred");
        assertThat(deferred.get(0).why()).contains("backing off");
        // the attempt budget spent (2 of 2 in this hour): escalated
        drift.policy(new io.opsagent.core.changes.DriftPolicy(Set.of("image", "replicas"), 2, Duration.ofHours(1),
                Duration.ZERO, 100, Duration.ofMinutes(10)));
        var spent = drift.checkAndRemediate();
        assertThat(results(spent)).containsExactly("image escalated");
        assertThat(spent.get(0).why()).contains("attempt budget is spent: 2 remediations");
        // a type policy does not remediate: escalated
        drift.policy(new io.opsagent.core.changes.DriftPolicy(Set.of("replicas"), 10, Duration.ofHours(1), Duration.ZERO,
                100, Duration.ofMinutes(10)));
        assertThat(drift.checkAndRemediate().get(0).why()).contains("policy does not remediate image drift automatically");
        // a ConfigMap whose content changed, and a workload that is gone: found, never remediated, escalated
        admin.configMaps().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata()
                .withName("web-config").endMetadata().addToData("mode", "blue").build()).create();
        var cm = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("mode", "blue");
        intents.put(new io.opsagent.core.changes.IntendedState(NS, "ConfigMap", "web-config", null, null,
                io.opsagent.core.changes.IntendedState.hash(cm), "chg-cm", "ab".repeat(32), "carol", List.of(), java.time.Instant.now()));
        intents.put(new io.opsagent.core.changes.IntendedState(NS, "Deployment", "gone", java.util.Map.of("gone", "gone:1"), 1,
                null, "chg-gone", "cd".repeat(32), "carol", List.of(), java.time.Instant.now()));
        assertThat(drift.detect()).extracting(io.opsagent.core.changes.DriftService.Drift::type).containsExactlyInAnyOrder("image", "missing");
        admin.configMaps().inNamespace(NS).withName("web-config").edit(c -> {
            c.getData().put("mode", "green");
            return c;
        });
        var other = drift.checkAndRemediate();
        assertThat(results(other)).containsExactlyInAnyOrder("image escalated", "config escalated", "missing escalated");
        assertThat(other).filteredOn(o -> !o.drift().type().equals("image"))
                .allSatisfy(o -> assertThat(o.why()).contains("is never remediated automatically", "a human must look"));
        assertThat(other).filteredOn(o -> o.drift().type().equals("config")).singleElement()
                .satisfies(o -> assertThat(o.drift().detail()).contains("content changed since change chg-cm"));
        // a Service of the workload left with no ready endpoint (its pods scaled away by hand): found, escalated
        var labels = admin.apps().deployments().inNamespace(NS).withName("web").get().getSpec().getTemplate().getMetadata().getLabels();
        admin.services().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.ServiceBuilder().withNewMetadata()
                .withName("web-svc").endMetadata().withNewSpec().withSelector(labels).addNewPort().withPort(80).endPort()
                .endSpec().build()).create();
        awaitTrue(() -> readyAddresses("web-svc") > 0, "the Service's endpoints");
        assertThat(drift.detect()).extracting(io.opsagent.core.changes.DriftService.Drift::type).doesNotContain("endpoints");
        admin.apps().deployments().inNamespace(NS).withName("web").scale(0);
        awaitTrue(() -> drift.detect().stream().anyMatch(d -> d.type().equals("endpoints")), "the endpoints drift");
        var dark = drift.detect().stream().filter(d -> d.type().equals("endpoints")).findFirst().orElseThrow();
        assertThat(dark.detail()).contains("Service " + NS + "/web-svc selects the pods of " + NS
                + "/Deployment/web and has no ready endpoint", "its traffic goes nowhere");
        var escalated = drift.remediate(dark);
        assertThat(escalated.result()).isEqualTo("escalated");
        assertThat(escalated.why()).contains("endpoints drift is never remediated automatically", "a human must look");
    }

    /** The change's execution once it ended (the change's end is stored before the step's answer moves the machine on). */
    private static ChangeOrchestrator.Execution endedExecution(String id) throws InterruptedException {
        awaitTrue(() -> !"RUNNING".equals(changes.execution(id).status()), "the execution of " + id + " to end");
        return changes.execution(id);
    }

    private static int readyAddresses(String service) {
        var ep = admin.endpoints().inNamespace(NS).withName(service).get();
        if (ep == null || ep.getSubsets() == null) return 0;
        return ep.getSubsets().stream().mapToInt(x -> x.getAddresses() == null ? 0 : x.getAddresses().size()).sum();
    }

    private static void awaitTrue(java.util.function.BooleanSupplier ok, String what) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(300);
        }
    }

    private void runGood() throws Exception {
        Change c = changes.submit(image("web:2.0"), as("bob"));
        Change waiting = await(c.id(), x -> "awaiting-approval".equals(x.status()) && x.approvalToken() != null, "awaiting approval");
        assertThat(waiting.evidence().path("diff").toString()).contains("web:1.0 → web:2.0");
        assertThat(waiting.toJson().toString()).doesNotContain(waiting.approvalToken()); // the token stays server-side
        assertThat(image()).isEqualTo("web:1.0"); // nothing changed before the approval
        Proposal p = actions.get(waiting.proposalId());
        // separation of duties: bob cannot approve his own change
        assertThatThrownBy(() -> actions.approve(p.id(), as("bob"), p.hash())).isInstanceOf(ActionException.class)
                .hasMessageContaining("bob");
        actions.approve(p.id(), as("carol"), p.hash());
        Change done = await(c.id(), Change::ended, "ended");
        assertThat(done.status()).as(done.detail()).isEqualTo("succeeded");
        assertThat(done.approver()).isEqualTo("carol");
        assertThat(done.monitor().path("result").asText()).isEqualTo("Successful");
        assertThat(image()).isEqualTo("web:2.0");
        ChangeOrchestrator.Execution e = endedExecution(c.id());
        assertThat(e.status()).isEqualTo("SUCCEEDED");
        assertThat(e.states()).extracting(ChangeOrchestrator.StateRun::name).containsSubsequence("Validate",
                "Gather evidence", "Wait for approval", "Execute", "Monitor", "Record intended state", "Change succeeded");
        List<AuditRecord> executed = audit.list(new AuditLog.Filter(null, null, "executed", p.id(), null, null), null, 10).records();
        assertThat(executed).singleElement().satisfies(r -> assertThat(r.detail().path("asUser").asText()).isEqualTo("carol"));
        // told: the approval waiting (with a link to decide in the UI, never the token or the hash), then the success
        var told = notesOf(c.id());
        assertThat(told).extracting(io.opsagent.core.notify.Notification::event)
                .containsExactly("change-approval-requested", "change-succeeded");
        assertThat(told.get(0).link()).isEqualTo("https://opsagent.example/#/changes/" + c.id());
        assertThat(told.get(0).subject()).isEqualTo("[OpsAgent] Change " + c.id() + " waits for approval");
        assertThat(told.get(0).text()).contains("Requested by bob", "set-image", "./opsagent actions show " + p.id())
                .doesNotContain(waiting.approvalToken(), p.hash());
        assertThat(told.get(1).text()).contains("Executed as carol; analysis Successful.");
        assertThat(told).allSatisfy(n -> assertThat(n.workload()).isEqualTo(NS + "/Deployment/web"));
    }

    private static final List<io.opsagent.core.notify.Notification> notes = new java.util.concurrent.CopyOnWriteArrayList<>();

    private static List<io.opsagent.core.notify.Notification> notesOf(String changeId) {
        return notes.stream().filter(n -> n.link().endsWith("/" + changeId)).toList();
    }

    private static final List<List<String>> investigations = new java.util.concurrent.CopyOnWriteArrayList<>();

    private void runBad() throws Exception {
        Change c = changes.submit(image("web:broken"), as("bob"));
        Change waiting = await(c.id(), x -> "awaiting-approval".equals(x.status()) && x.approvalToken() != null, "awaiting approval");
        Proposal p = actions.get(waiting.proposalId());
        actions.approve(p.id(), as("carol"), p.hash());
        Change done = await(c.id(), Change::ended, "ended");
        assertThat(done.status()).as(done.detail()).isEqualTo("rolled-back");
        assertThat(done.monitor().path("result").asText()).isEqualTo("Failed");
        assertThat(done.rollbackProposalId()).isNotNull();
        assertThat(image()).isEqualTo("web:2.0"); // back to the revision before the bad one
        ChangeOrchestrator.Execution e = endedExecution(c.id());
        assertThat(e.status()).isEqualTo("FAILED");
        assertThat(e.error()).isEqualTo("Change.RolledBack");
        Proposal rb = actions.get(done.rollbackProposalId());
        assertThat(rb.execution().asUser()).isEqualTo("carol"); // the rollback ran as the approver, not as OpsAgent
        // one investigation of the failure, as the requester, about the workload, naming the change and its signals
        assertThat(investigations).hasSize(1);
        assertThat(investigations.get(0).get(0)).isEqualTo("bob");
        assertThat(investigations.get(0).get(1)).isEqualTo(NS + "/web");
        assertThat(investigations.get(0).get(2)).startsWith("Change " + c.id() + " (set-image")
                .contains("approved by carol", "failed its analysis", "the new pods fail");
        assertThat(done.investigationRunId()).isEqualTo("run-1");
        assertThat(notesOf(c.id())).extracting(io.opsagent.core.notify.Notification::event)
                .containsExactly("change-approval-requested", "change-rolled-back");
        assertThat(notesOf(c.id()).get(1).text()).contains("Signals: rollout: the new pods fail", "Rolled back as carol",
                "Investigation: run run-1.");
        assertThat(done.toJson().path("investigationRunId").asText()).isEqualTo("run-1");
        assertThat(actions.audit().list(new io.opsagent.core.actions.AuditLog.Filter(null, null,
                "change-investigation-opened", null, null, null), null, 10).records()).singleElement()
                .satisfies(r -> assertThat(r.detail().path("runId").asText()).isEqualTo("run-1"));
    }

    @Test
    void aChangeBreakingThePolicyIsRefusedNamingEveryRule() throws Exception {
        Change c = changes.submit(image("docker.io/evil/web:1"), as("bob"));
        Change done = await(c.id(), Change::ended, "ended");
        assertThat(done.status()).isEqualTo("refused");
        assertThat(done.violations()).singleElement().asString().contains("not from an allowed registry");
        assertThat(done.proposalId()).isNull(); // nothing proposed, nothing to approve
        assertThat(endedExecution(c.id()).states()).extracting(ChangeOrchestrator.StateRun::name)
                .containsExactly("Validate", "Refused by policy", "Record outcome", "Change did not happen");
    }

    @Test
    void aChangeWhoseChainStoppedWhileOpsAgentWasDownIsEndedSayingSo() {
        java.time.Instant t = java.time.Instant.now();
        store.create(new Change("chg-orphan0001", image("web:9"), "bob", List.of(), "corr", t, t, "awaiting-approval",
                "waiting for an approver", List.of(), "act-x", null, null, null, null, null, "a-token", t.plusSeconds(900), 0));
        assertThat(changes.recover()).isGreaterThanOrEqualTo(1);
        Change c = changes.get("chg-orphan0001");
        assertThat(c.status()).isEqualTo("error");
        assertThat(c.detail()).contains("is gone", "at the awaiting-approval step");
        assertThat(c.approvalToken()).isNull();
        assertThat(changes.recover()).as("nothing left in between").isZero();
    }
}
