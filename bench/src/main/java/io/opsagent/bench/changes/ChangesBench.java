package io.opsagent.bench.changes;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.opsagent.bench.ClusterBenches;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.opsagent.adapters.dynamodb.DynamoAuditLog;
import io.opsagent.adapters.dynamodb.DynamoProposalStore;
import io.opsagent.adapters.dynamodb.LocalDynamo;
import io.opsagent.adapters.dynamodb.TableNames;
import io.opsagent.adapters.dynamodb.TableSetup;
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
import io.opsagent.core.actions.ActionKind;
import io.opsagent.core.actions.ActionService;
import io.opsagent.core.actions.ApprovalPolicy;
import io.opsagent.core.actions.Canonical;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** See bench/changes/run. */
public final class ChangesBench {
    private static final String NS = "bench";

    public static void main(String[] args) throws Exception {
        Path root = null;
        Path kubeconfig = null;
        int port = 4588;
        int runs = 20;
        int analysis = 0;
        int workloads = 100;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--root" -> root = Path.of(args[++i]);
                case "--kubeconfig" -> kubeconfig = Path.of(args[++i]);
                case "--localstack-port" -> port = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--analysis-seconds" -> analysis = Integer.parseInt(args[++i]);
                case "--workloads" -> workloads = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: bench/changes/run [--runs N] [--analysis-seconds N] [--workloads N]");
            }
        }
        String kc = Files.readString(kubeconfig, StandardCharsets.UTF_8);
        Path kcPath = kubeconfig;
        java.util.function.Supplier<Config> config = () -> {
            Config c = Config.fromKubeconfig("opsagent-local", kc, kcPath.toString());
            c.setRequestRetryBackoffLimit(0);
            return c;
        };
        try (KubernetesClient admin = KubernetesClients.build(config.get(), null);
             LocalDynamo db = LocalDynamo.startInMemory()) {
            TableSetup.ensureTables(db.client(), TableNames.DEFAULT);
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
            for (String u : List.of("bob", "carol")) {
                admin.rbac().roleBindings().inNamespace(NS).resource(new RoleBindingBuilder().withNewMetadata().withName(u + "-edit")
                        .endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole")
                        .withName("edit").endRoleRef().addNewSubject().withKind("User").withApiGroup("rbac.authorization.k8s.io")
                        .withName(u).endSubject().build()).create();
            }
            for (String name : List.of("web", "raw")) {
                admin.apps().deployments().inNamespace(NS).resource(deployment(name)).create();
                waitRolledOut(admin, name, "web:0");
            }
            Clock clock = Clock.systemUTC();
            KubernetesActions cluster = new KubernetesActions(admin, who -> KubernetesClients.build(config.get(),
                    new Impersonation(who.user(), who.groups())));
            ActionService actions = new ActionService(cluster, new DynamoProposalStore(db.client(), TableNames.DEFAULT),
                    new DynamoAuditLog(db.client(), TableNames.DEFAULT, clock),
                    new ApprovalPolicy(null, true, Set.of(), Duration.ofMinutes(15)),
                    new LiveSnapshotProvider(new LiveClusterReader(admin, "bench"), NS, Duration.ZERO, clock), clock,
                    Runnable::run, Duration.ofSeconds(120));
            LocalStack ls = LocalStack.ensure(root, port);
            var sqs = ls.sqs();
            String queueUrl = sqs.createQueue(r -> r.queueName("bench-change-tasks")).queueUrl();
            String definition = StateMachines.definition(root.resolve("statemachines/change.asl.json"),
                    Map.of("ChangeTaskQueueUrl", queueUrl));
            String arn = ls.sfn().createStateMachine(r -> r.name("bench-change").definition(definition)
                    .roleArn("arn:aws:iam::000000000000:role/bench")).stateMachineArn();
            ChangeService changes = new ChangeService(new ChangeStore.InMemory(), actions, cluster,
                    new SfnOrchestrator(ls.sfn(), arn), ChangePolicy.LOCAL.withTimes(Duration.ofSeconds(analysis),
                    Duration.ofMinutes(15), Duration.ofSeconds(60)), clock);
            try (TaskQueue queue = new TaskQueue(sqs, queueUrl, changes::handle, 1, 8).start()) {
                List<Double> toApproval = new ArrayList<>();
                List<Double> toEnd = new ArrayList<>();
                List<Double> total = new ArrayList<>();
                List<Double> raw = new ArrayList<>();
                List<Double> stateSum = new ArrayList<>();
                for (int i = 1; i <= runs + 2; i++) {
                    String image = "web:" + i;
                    long t0 = System.nanoTime();
                    Change c = changes.submit(Action.of(ActionKind.SET_IMAGE, NS, "Deployment", "web",
                            Canonical.parse("{\"container\":\"web\",\"image\":\"" + image + "\"}")),
                            new ActionService.Requester("bob", List.of(), null, null, "bench-" + i));
                    Change waiting = await(changes, c.id(), x -> x.approvalToken() != null || x.ended());
                    long t1 = System.nanoTime();
                    Proposal p = actions.get(waiting.proposalId());
                    long t2 = System.nanoTime();
                    actions.approve(p.id(), new ActionService.Requester("carol", List.of(), null, null, "bench-" + i), p.hash());
                    Change done = await(changes, c.id(), Change::ended);
                    long t3 = System.nanoTime();
                    if (!done.status().equals("succeeded")) throw new IllegalStateException("change " + i + ": " + done.detail());
                    long r0 = System.nanoTime();
                    admin.apps().deployments().inNamespace(NS).withName("raw").patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
                            "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"raw\",\"image\":\"" + image + "\"}]}}}}");
                    waitRolledOut(admin, "raw", image);
                    long r1 = System.nanoTime();
                    if (i <= 2) continue; // warm-up
                    toApproval.add(ms(t0, t1));
                    toEnd.add(ms(t2, t3));
                    total.add(ms(t0, t1) + ms(t2, t3));
                    raw.add(ms(r0, r1));
                    ChangeOrchestrator.Execution e = changes.execution(c.id());
                    stateSum.add(e.states().stream().filter(s -> s.enteredAt() != null && s.exitedAt() != null
                            && !s.name().equals("Wait for approval"))
                            .mapToDouble(s -> Duration.between(s.enteredAt(), s.exitedAt()).toNanos() / 1e6).sum());
                }
                System.out.printf("the change chain on the local cluster and LocalStack's Step Functions (proposals and audit in DynamoDB Local): %d changes of a "
                        + "3-replica Deployment's image (after 2 warm-up), analysis window %d s%n", runs, analysis);
                row("submit -> awaiting approval (validate, evidence: dry run, diff, risk)", toApproval, null);
                row("approve -> ended (execute as the approver, rollout, analysis, record)", toEnd, null);
                row("the whole chain, the human's wait excluded", total, raw);
                row("  of which inside the states (the executions' history)", stateSum, null);
                drift(admin, actions, cluster, clock, workloads);
            } finally {
                changes.close();
            }
        }
    }

    /**
     * A drift check over {@code n} Deployments with intended states (as successful changes record them): detection
     * time against reading the same objects directly; then 10 of them drifted by hand, detected and remediated.
     */
    private static void drift(KubernetesClient admin, ActionService actions, KubernetesActions cluster, Clock clock, int n) {
        var intents = new io.opsagent.core.changes.IntendedStateStore.InMemory();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = String.format("d%03d", i);
            names.add(name);
            admin.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder(deployment(name)).editSpec().withReplicas(1)
                    .endSpec().build()).create();
            intents.put(new io.opsagent.core.changes.IntendedState(NS, "Deployment", name, Map.of(name, "web:0"), 1, null,
                    "chg-bench", "0".repeat(64), "carol", List.of(), clock.instant()));
        }
        var service = new io.opsagent.core.changes.DriftService(intents, actions, cluster, null, () -> ChangePolicy.LOCAL,
                new io.opsagent.core.changes.DriftPolicy(Set.of("image", "replicas"), 100, Duration.ofHours(1), Duration.ZERO,
                        1000, Duration.ofMinutes(10)), clock);
        List<Double> detect = new ArrayList<>();
        List<Double> direct = new ArrayList<>();
        for (int r = 0; r < 12; r++) {
            long t0 = System.nanoTime();
            int found = service.detect().size();
            long t1 = System.nanoTime();
            for (String name : names) admin.apps().deployments().inNamespace(NS).withName(name).get();
            long t2 = System.nanoTime();
            if (found != 0) throw new IllegalStateException("drift where there is none: " + found);
            if (r < 2) continue;
            detect.add(ms(t0, t1));
            direct.add(ms(t1, t2));
        }
        System.out.printf("drift over %d Deployments with intended states (10 checks after 2 warm-up)%n", n);
        row("drift check, no drift (read each, compare images and replicas)", detect, direct, "reading them directly");
        for (int i = 0; i < 10; i++) {
            admin.apps().deployments().inNamespace(NS).withName(names.get(i)).edit(d -> {
                d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("hand-edited:1");
                return d;
            });
        }
        long t0 = System.nanoTime();
        var outcomes = service.checkAndRemediate();
        long t1 = System.nanoTime();
        long fixed = outcomes.stream().filter(o -> o.result().equals("remediated")).count();
        System.out.printf("  10 drifted by hand: found %d, remediated %d (as the approver, each rollout followed) in %.0f ms"
                + " (%.0f ms each)%n", outcomes.size(), fixed, ms(t0, t1), ms(t0, t1) / Math.max(1, fixed));
    }

    private static Change await(ChangeService s, String id, Predicate<Change> done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            Change c = s.get(id);
            if (done.test(c)) return c;
            Thread.sleep(5);
        }
        throw new IllegalStateException("change " + id + " stuck: " + s.get(id).status());
    }

    private static Deployment deployment(String name) {
        return ClusterBenches.deployment(name);
    }

    private static void waitRolledOut(KubernetesClient c, String name, String image) {
        ClusterBenches.waitRolledOut(c, NS, name, image);
    }

    private static double ms(long a, long b) {
        return ClusterBenches.ms(a, b);
    }

    private static void row(String what, List<Double> xs, List<Double> baseline) {
        ClusterBenches.row(what, xs, baseline, "direct PATCH + rollout", 72);
    }

    private static void row(String what, List<Double> xs, List<Double> baseline, String baseName) {
        ClusterBenches.row(what, xs, baseline, baseName, 72);
    }
}
