package io.opsagent.bench.actions;

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
import io.opsagent.core.actions.Action;
import io.opsagent.core.actions.ActionKind;
import io.opsagent.core.actions.ActionService;
import io.opsagent.core.actions.ApprovalPolicy;
import io.opsagent.core.actions.AuditLog;
import io.opsagent.core.actions.AuditRecord;
import io.opsagent.core.actions.Canonical;
import io.opsagent.core.actions.Proposal;
import io.opsagent.core.actions.ProposalStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** See bench/actions/run. */
public final class ActionsBench {
    private static final String NS = "bench";

    public static void main(String[] args) throws Exception {
        Path kubeconfig = null;
        int runs = 20;
        int records = 10_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--kubeconfig" -> kubeconfig = Path.of(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--records" -> records = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: bench/actions/run [--runs N] [--records N]");
            }
        }
        if (kubeconfig == null) throw new IllegalArgumentException("--kubeconfig is required");
        String kc = Files.readString(kubeconfig, StandardCharsets.UTF_8);
        Path kcPath = kubeconfig;
        java.util.function.Supplier<Config> config = () -> {
            Config c = Config.fromKubeconfig("opsagent-local", kc, kcPath.toString());
            c.setRequestRetryBackoffLimit(0);
            return c;
        };
        try (KubernetesClient admin = KubernetesClients.build(config.get(), null);
             LocalDynamo db = LocalDynamo.startInMemory()) {
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
            TableNames tables = TableNames.DEFAULT;
            TableSetup.ensureTables(db.client(), tables);
            DynamoAuditLog audit = new DynamoAuditLog(db.client(), tables, Clock.systemUTC());
            Runnable[] pending = new Runnable[1];
            ActionService service = new ActionService(new KubernetesActions(admin, who -> KubernetesClients.build(config.get(),
                    new Impersonation(who.user(), who.groups()))), new DynamoProposalStore(db.client(), tables), audit,
                    new ApprovalPolicy(null, true, Set.of(), Duration.ofMinutes(15)),
                    new LiveSnapshotProvider(new LiveClusterReader(admin, "bench"), NS, Duration.ZERO, Clock.systemUTC()),
                    Clock.systemUTC(), r -> pending[0] = r, Duration.ofSeconds(120));
            List<Double> propose = new ArrayList<>();
            List<Double> applied = new ArrayList<>();
            List<Double> verified = new ArrayList<>();
            List<Double> rawPatch = new ArrayList<>();
            List<Double> rawRollout = new ArrayList<>();
            for (int i = 1; i <= runs; i++) {
                String image = "web:" + i;
                long t0 = System.nanoTime();
                Proposal p = service.propose(Action.of(ActionKind.SET_IMAGE, NS, "Deployment", "web",
                        Canonical.parse("{\"container\":\"web\",\"image\":\"" + image + "\"}")),
                        new ActionService.Requester("bob", List.of(), null, null, "bench-" + i));
                long t1 = System.nanoTime();
                service.approve(p.id(), new ActionService.Requester("carol", List.of(), null, null, "bench-" + i), p.hash());
                long t2 = System.nanoTime();
                pending[0].run();
                long t3 = System.nanoTime();
                if (service.get(p.id()).status() != ProposalStatus.SUCCEEDED) {
                    throw new IllegalStateException("run " + i + " did not succeed: " + service.get(p.id()));
                }
                propose.add(ms(t0, t1));
                applied.add(ms(t1, t2));
                verified.add(ms(t2, t3));
                // the same change made directly: one PATCH, then the rollout
                long r0 = System.nanoTime();
                admin.apps().deployments().inNamespace(NS).withName("raw").patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
                        "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"raw\",\"image\":\"" + image + "\"}]}}}}");
                long r1 = System.nanoTime();
                waitRolledOut(admin, "raw", image);
                long r2 = System.nanoTime();
                rawPatch.add(ms(r0, r1));
                rawRollout.add(ms(r1, r2));
            }
            System.out.printf("approved actions on the local cluster: %d runs of set-image on a 3-replica Deployment%n", runs);
            row("proposal (dry run as the requester, diff, risk, stored)", propose, null);
            row("approve -> applied (SARs, stale check, PATCH as the approver)", applied, rawPatch);
            row("applied -> rollout verified (+ health check)", verified, rawRollout);
            List<Double> total = new ArrayList<>();
            List<Double> rawTotal = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                total.add(propose.get(i) + applied.get(i) + verified.get(i));
                rawTotal.add(rawPatch.get(i) + rawRollout.get(i));
            }
            row("whole change through OpsAgent (machine time, no human)", total, rawTotal);

            // the audit log: append p95 while it grows to `records`, then verify the whole chain
            List<Double> appends = new ArrayList<>();
            int have = (int) audit.verify().count();
            for (int i = have; i < records; i++) {
                long a0 = System.nanoTime();
                audit.append(new AuditRecord.Entry("approved", "carol", "act-bench" + i, NS + "/Deployment/web", "set-image",
                        AuditRecord.detail("hashSeen", "0".repeat(64), "n", i)));
                appends.add(ms(a0, System.nanoTime()));
            }
            row("audit append (conditional put after the newest record)", appends, null);
            long v0 = System.nanoTime();
            AuditRecord.Verdict v = audit.verify();
            long v1 = System.nanoTime();
            long read = 0;
            String cursor = null;
            long c0 = System.nanoTime();
            do {
                AuditLog.Page page = audit.list(AuditLog.Filter.ALL, cursor, 500);
                read += page.records().size();
                cursor = page.next();
            } while (cursor != null);
            long c1 = System.nanoTime();
            System.out.printf("  audit verify of %,d records: %.0f ms (intact: %s); reading them without checking: %.0f ms (%,d read);"
                    + " ratio %.2fx%n", v.count(), ms(v0, v1), v.intact(), ms(c0, c1), read, ms(v0, v1) / ms(c0, c1));
        }
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
        ClusterBenches.row(what, xs, baseline, "direct", 62);
    }
}
