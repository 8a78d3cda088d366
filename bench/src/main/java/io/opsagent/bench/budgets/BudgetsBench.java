package io.opsagent.bench.budgets;

import io.opsagent.adapters.dynamodb.DynamoBudgetStore;
import io.opsagent.adapters.dynamodb.DynamoRunStore;
import io.opsagent.adapters.dynamodb.DynamoSessionStore;
import io.opsagent.adapters.dynamodb.LocalDynamo;
import io.opsagent.adapters.dynamodb.TableNames;
import io.opsagent.adapters.dynamodb.TableSetup;
import io.opsagent.app.config.Assembly;
import io.opsagent.core.agent.ConversationEngine;
import io.opsagent.core.agent.EngineConfig;
import io.opsagent.core.agent.offline.OfflineAnalyst;
import io.opsagent.core.budget.BudgetRefused;
import io.opsagent.core.budget.Budgets;
import io.opsagent.core.input.ClusterDumpReader;
import io.opsagent.core.tools.SnapshotProvider;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What budgets cost a chat turn on the local product's DynamoDB (DynamoDB Local in memory, as {@code ./opsagent up}
 * runs it): what waits before a model call — the request-rate count and the reservation, one conditional update — p50/p95 over N turns
 * (the settlement runs beside the model call, as in the engine), against one DynamoDB
 * read (GetItem) in the same run; a whole chat turn of the offline analyst over the demo cluster with and without
 * budgets; and 200 concurrent requests against a budget of 50 turns (model calls admitted).
 */
public final class BudgetsBench {
    public static void main(String[] args) throws Exception {
        Path root = Path.of(".");
        int runs = 2000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--root" -> root = Path.of(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (--root DIR, --runs N)");
            }
        }
        java.util.logging.Logger top = java.util.logging.Logger.getLogger("");
        top.setLevel(java.util.logging.Level.WARNING);
        for (var h : top.getHandlers()) h.setLevel(java.util.logging.Level.WARNING);
        try (LocalDynamo db = LocalDynamo.startInMemory()) {
            TableNames tables = TableNames.DEFAULT;
            TableSetup.ensureTables(db.client(), tables);
            DynamoBudgetStore store = new DynamoBudgetStore(db.client(), tables);
            Budgets budgets = Budgets.perUser(store, 1_000_000_000_000L, 100_000, 100_000, Clock.systemUTC());
            // warm-up: the JIT and DynamoDB Local's own
            for (int i = 0; i < 2000; i++) turn(budgets, "warm").join(); // to steady state: 500 left the first pass warming
            for (int i = 0; i < 500; i++) read(db, tables);
            double[] checks = new double[runs];
            double[] reads = new double[runs];
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                var settled = turn(budgets, "user-" + (i % 20));
                checks[i] = (System.nanoTime() - t0) / 1e6;
                settled.join(); // as the engine does, the settlement runs beside the model call: not on the turn's path
                long t1 = System.nanoTime();
                read(db, tables);
                reads[i] = (System.nanoTime() - t1) / 1e6;
            }
            System.out.println("budgets bench: DynamoDB Local in memory, " + runs + " chat turns");
            System.out.printf(Locale.ROOT, "  budget checks on a chat turn's path (rate count and reservation, one update): p50 %.2f ms, p95 %.2f ms%n",
                    pct(checks, 50), pct(checks, 95));
            System.out.printf(Locale.ROOT, "  baseline, one DynamoDB GetItem:                                      p50 %.2f ms, p95 %.2f ms (checks: %.1fx at p50)%n",
                    pct(reads, 50), pct(reads, 95), pct(checks, 50) / pct(reads, 50));
            // the authorization checks of a chat turn: the caller's role in the session's namespace (visibility, the
            // tools their role is offered) and the namespace of a tool call, over 50 projects of 20 members each
            // the projects live in DynamoDB (the PROJECTS partition), read through the directory as the server does
            io.opsagent.core.access.ProjectDirectory dir = new io.opsagent.core.access.ProjectDirectory(null,
                    new io.opsagent.adapters.dynamodb.DynamoProjectStore(db.client(), tables), null, Clock.systemUTC());
            dir.seedIfEmpty(projectsOf(50, 20), "bench");
            double[] reread = new double[Math.max(50, runs / 10)];
            for (int i = 0; i < reread.length; i++) { // a directory's re-read (each instance, every 5 s at most)
                io.opsagent.core.access.ProjectDirectory fresh = new io.opsagent.core.access.ProjectDirectory(null,
                        new io.opsagent.adapters.dynamodb.DynamoProjectStore(db.client(), tables), null, Clock.systemUTC());
                long t0 = System.nanoTime();
                if (fresh.current().all().size() != 50) throw new IllegalStateException("projects not stored");
                reread[i] = (System.nanoTime() - t0) / 1e6;
            }
            System.out.printf(Locale.ROOT, "  re-reading 50 stored projects (one Query; each instance every %d s at most): p50 %.2f ms, p95 %.2f ms%n",
                    io.opsagent.core.access.ProjectDirectory.CACHE.toSeconds(), pct(reread, 50), pct(reread, 95));
            // turns 6 s apart, each finding the cache expired: it goes on with what was read while the re-read runs
            // beside it (the next turn comes after that re-read, as turns seconds apart do)
            java.time.Instant[] at = {java.time.Instant.now()};
            Clock jumping = new Clock() {
                public java.time.ZoneId getZone() {
                    return java.time.ZoneOffset.UTC;
                }

                public Clock withZone(java.time.ZoneId z) {
                    return this;
                }

                public synchronized java.time.Instant instant() {
                    return at[0];
                }
            };
            io.opsagent.core.access.ProjectDirectory expiring = new io.opsagent.core.access.ProjectDirectory(null,
                    new io.opsagent.adapters.dynamodb.DynamoProjectStore(db.client(), tables), null, jumping);
            expiring.current();
            double[] expired = new double[200];
            for (int i = 0; i < expired.length; i++) {
                synchronized (jumping) {
                    at[0] = at[0].plusSeconds(6);
                }
                long t0 = System.nanoTime();
                io.opsagent.core.access.Role r = expiring.current().role("user-" + (i % 1000), List.of(), "ns-" + (i % 50));
                expired[i] = (System.nanoTime() - t0) / 1e6;
                if (r == io.opsagent.core.access.Role.ADMIN && i < 0) System.out.print(""); // keep the answer used
                Thread.sleep(25);
            }
            System.out.printf(Locale.ROOT, "  authorization of turns 6 s apart (the cache expired each time; the re-read runs beside): p50 %.4f ms, p95 %.4f ms%n",
                    pct(expired, 50), pct(expired, 95));
            double[] authz = new double[runs];
            double[] both = new double[runs];
            int operators = 0; // the answers are used, so the JIT cannot drop the checks
            for (int i = 0; i < runs; i++) {
                String user = "user-" + (i % 1000);
                String ns = "ns-" + (i % 50);
                long t0 = System.nanoTime();
                io.opsagent.core.access.Projects projects = dir.current();
                io.opsagent.core.access.Role role = projects.role(user, List.of("group-" + (i % 7)), ns);
                boolean writes = role != null && role.atLeast(io.opsagent.core.access.Role.OPERATOR);
                boolean other = projects.sees(user, List.of("group-" + (i % 7)), "ns-" + ((i + 1) % 50));
                authz[i] = (System.nanoTime() - t0) / 1e6;
                if (writes && !other) operators++;
                long t1 = System.nanoTime();
                dir.current().role(user, List.of(), ns);
                var settled = turn(budgets, "both-" + (i % 20));
                both[i] = (System.nanoTime() - t1) / 1e6;
                settled.join();
            }
            System.out.printf(Locale.ROOT, "  authorization checks per chat turn (role, tools, a tool call's namespace; 50 projects): p50 %.4f ms, p95 %.4f ms"
                    + " (%d of them an operator seeing only their own namespace)%n", pct(authz, 50), pct(authz, 95), operators);
            System.out.printf(Locale.ROOT, "  authorization and budget checks together:                                 p50 %.2f ms, p95 %.2f ms%n",
                    pct(both, 50), pct(both, 95));
            // a turn in a namespace whose project has a budget of its own: the user's and the project's, one transaction
            Budgets withProject = Budgets.perUser(store, 1_000_000_000L, 0, 100_000, Clock.systemUTC())
                    .withNamespaceBudgets(ns -> List.of(new io.opsagent.core.budget.Budget("project:p-" + ns.substring(3),
                            1_000_000_000L, 0)));
            double[] project = new double[runs];
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                Budgets.Hold h = withProject.admitAndReserve("proj-" + (i % 20), "ns-" + (i % 50), 12_000, 0.01);
                project[i] = (System.nanoTime() - t0) / 1e6;
                withProject.settleLater(h, 3_000, 0.002).join();
            }
            System.out.printf(Locale.ROOT, "  budget checks with a project budget too (user and project, one transaction):   p50 %.2f ms, p95 %.2f ms%n",
                    pct(project, 50), pct(project, 95));
            System.out.println("  target: budget checks below 5 ms at p95 -> " + (pct(checks, 95) < 5 ? "met" : "NOT MET")
                    + "; both below 5 ms at p95 -> " + (pct(both, 95) < 5 ? "met" : "NOT MET"));

            // a whole chat turn of the offline analyst over the demo cluster, with and without budgets
            var snapshot = new ClusterDumpReader().read(root.resolve("events/clusters/demo"));
            EngineConfig config = EngineConfig.defaults();
            ConversationEngine without = Assembly.engine(new OfflineAnalyst(), SnapshotProvider.of(snapshot),
                    new DynamoRunStore(db.client(), tables), new DynamoSessionStore(db.client(), tables), config);
            ConversationEngine with = Assembly.engine(new OfflineAnalyst(), SnapshotProvider.of(snapshot),
                    new DynamoRunStore(db.client(), tables), new DynamoSessionStore(db.client(), tables), config).withBudgets(budgets);
            int asks = Math.max(20, runs / 20);
            for (int i = 0; i < 20; i++) {
                without.askOnce("warm", "shop/cart", "is cart healthy?", "cli", e -> { });
                with.askOnce("warm", "shop/cart", "is cart healthy?", "cli", e -> { });
            }
            double[] a = new double[asks];
            double[] b = new double[asks];
            for (int i = 0; i < asks; i++) {
                long t0 = System.nanoTime();
                without.askOnce("u" + i, "shop/cart", "is cart healthy?", "cli", e -> { });
                a[i] = (System.nanoTime() - t0) / 1e6;
                long t1 = System.nanoTime();
                with.askOnce("v" + i, "shop/cart", "is cart healthy?", "cli", e -> { });
                b[i] = (System.nanoTime() - t1) / 1e6;
            }
            System.out.printf(Locale.ROOT, "  chat turn (offline analyst, demo cluster, %d asks): without budgets p50 %.1f ms, p95 %.1f ms; "
                    + "with budgets p50 %.1f ms, p95 %.1f ms (%.2fx at p50)%n", asks, pct(a, 50), pct(a, 95), pct(b, 50), pct(b, 95),
                    pct(b, 50) / pct(a, 50));

            // 200 concurrent requests against a budget of 50 turns
            long turnTokens = 10_000;
            Budgets fifty = Budgets.perUser(store, 50 * turnTokens + turnTokens / 2, 0, Clock.systemUTC());
            ExecutorService pool = Executors.newFixedThreadPool(32);
            List<Future<Boolean>> done = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                done.add(pool.submit(() -> {
                    try {
                        fifty.reserve("concurrent", turnTokens, 0);
                        return true;
                    } catch (BudgetRefused r) {
                        return false;
                    }
                }));
            }
            int admitted = 0;
            for (Future<Boolean> f : done) if (f.get()) admitted++;
            pool.shutdown();
            System.out.printf(Locale.ROOT, "  200 concurrent requests against a budget of 50 turns: %d admitted, %d refused (%.0f ms)%n",
                    admitted, 200 - admitted, (System.nanoTime() - t0) / 1e6);
        }
    }

    /** {@code n} projects of one namespace each, {@code members} users each (with roles in turn) and a group. */
    private static io.opsagent.core.access.Projects projectsOf(int n, int members) {
        List<io.opsagent.core.access.Project> out = new ArrayList<>();
        io.opsagent.core.access.Role[] roles = io.opsagent.core.access.Role.values();
        for (int p = 0; p < n; p++) {
            java.util.Map<String, io.opsagent.core.access.Role> users = new java.util.HashMap<>();
            for (int m = 0; m < members; m++) users.put("user-" + (p * members + m), roles[m % roles.length]);
            out.add(new io.opsagent.core.access.Project("p-" + p, List.of("ns-" + p), users,
                    java.util.Map.of("group-" + (p % 7), io.opsagent.core.access.Role.VIEWER)));
        }
        return new io.opsagent.core.access.Projects(out);
    }

    /** What the engine does before a chat's first model call; returns the settlement it starts after the call. */
    private static java.util.concurrent.CompletableFuture<Void> turn(Budgets budgets, String user) {
        Budgets.Hold h = budgets.admitAndReserve(user, 12_000, 0.01);
        return budgets.settleLater(h, 3_000, 0.002);
    }

    private static void read(LocalDynamo db, TableNames tables) {
        db.client().getItem(r -> r.tableName(tables.actions()).key(Map.of("pk", AttributeValue.fromS("BUDGET#user:none#x"),
                "sk", AttributeValue.fromS("U"))));
    }

    private static double pct(double[] v, int p) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[Math.max(0, Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1))];
    }
}
