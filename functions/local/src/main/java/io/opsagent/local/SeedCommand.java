package io.opsagent.local;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.opsagent.adapters.kubernetes.ClusterSeeder;
import io.opsagent.adapters.kubernetes.KubernetesClients;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.input.ClusterDumpReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code opsagent seed [--context opsagent-local] [--dump DIR]}: loads a dump's workloads (their desired state) into
 * a cluster by server-side apply; the cluster's controllers do the rest. {@code ./opsagent cluster up} runs it with
 * the demo dump.
 */
@Command(name = "seed", mixinStandardHelpOptions = true,
        description = "Load a dump's workloads (namespaces, config, services, quotas, controllers) into a cluster;"
                + " with --scenarios, its pod failures and logs as kwok configuration.")
final class SeedCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--context", paramLabel = "CONTEXT", defaultValue = KubernetesClients.LOCAL_CONTEXT,
            description = "kubeconfig context (default: ${DEFAULT-VALUE}, the local cluster)")
    String context;

    @Option(names = "--dump", paramLabel = "DIR", description = "a kubectl cluster-info dump (default: the demo, events/clusters/demo)")
    Path dump;

    @Option(names = "--scenarios", paramLabel = "DIR",
            description = "also write the dump's pod failures and logs as kwok configuration into DIR (scenarios.json, logs/)")
    Path scenarios;

    @Option(names = "--nodes", description = "also load the dump's nodes as kwok nodes (a local cluster whose nodes kwok"
            + " simulates); the cluster's other kwok nodes are deleted, or cordoned where pods run on them")
    boolean nodes;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = dump != null ? dump : UpCommand.checkoutRoot().resolve(UpCommand.DEMO);
        ClusterSnapshot s = new ClusterDumpReader().read(dir);
        long t0 = System.nanoTime();
        try (KubernetesClient client = KubernetesClients.fromKubeconfig(context, null)) {
            ClusterSeeder.Result r = new ClusterSeeder(client).seed(s, nodes, line -> out.println("seed: " + line));
            if (scenarios != null) {
                // after the workloads: a failure lasts while the pod template that failed is there (its hash)
                var hashes = io.opsagent.adapters.kubernetes.FailureScenarios.templateHashes(client, s,
                        java.time.Duration.ofSeconds(30));
                var pods = io.opsagent.adapters.kubernetes.FailureScenarios.podsByWorkload(client, s,
                        java.time.Duration.ofSeconds(15));
                for (var sc : io.opsagent.adapters.kubernetes.FailureScenarios.write(s, scenarios, hashes, pods)) {
                    if (sc.node()) {
                        out.printf("seed: simulated node %s: %s (%s)%n", sc.workload(), sc.reason(), sc.clearedBy());
                    } else {
                        out.printf("seed: simulated failure %s/%s container %s: %s, until %s%n", sc.namespace(),
                                sc.workload(), sc.container(), sc.reason(), sc.clearedBy());
                    }
                }
            }
            out.printf("seed: applied %d objects from %s to context %s in %d ms%s%n", r.total(), dir, context,
                    (System.nanoTime() - t0) / 1_000_000, r.refused().isEmpty() ? "" : "; " + r.refused().size() + " refused");
            out.flush();
            return r.refused().isEmpty() ? 0 : 1;
        }
    }
}
