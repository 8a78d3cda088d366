package io.opsagent.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.opsagent.adapters.dynamodb.LocalDynamo;
import io.opsagent.adapters.stepfunctions.LocalStack;
import io.opsagent.adapters.kubernetes.real.LocalCluster;
import io.opsagent.app.config.ClusterView;
import io.opsagent.app.config.Clusters;
import io.opsagent.app.config.LocalChangeChain;
import io.opsagent.app.config.Settings;
import io.opsagent.app.http.LocalServer;
import io.opsagent.core.actions.ApprovalPolicy;
import io.opsagent.core.agent.EngineConfig;
import io.opsagent.core.changes.ChangePolicy;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code opsagent change submit|show|list} against a running OpsAgent with the change chain on LocalStack and the
 * real cluster: bob submits replicas 3, carol approves the change's proposal from the terminal with its hash, the
 * change ends succeeded and {@code show} prints every state of its execution. Bad input exits 2 naming it.
 */
class ChangeCommandTest {
    private static final String NS = "chgcli-" + UUID.randomUUID().toString().substring(0, 8);
    private static KubernetesClient admin;

    @BeforeAll
    static void setUp() {
        admin = LocalCluster.get().client("admin");
        LocalCluster.actionsNamespace(admin, NS, 1);
    }

    @AfterAll
    static void tearDown() {
        if (admin == null) return;
        LocalCluster.removeActionsNamespace(admin, NS);
        admin.close();
        System.clearProperty("kubeconfig");
    }



    @Test
    void aChangeIsSubmittedApprovedAndFollowedFromTheTerminal() throws Exception {
        Settings s = io.opsagent.app.http.RealClusterHttpTest.asTheProduct(NS);
        try (ClusterView cluster = Clusters.open(s, null, null);
             LocalServer app = LocalServer.start(new LocalServer.Options(cluster.provider(), cluster.inputDir(), null, null,
                     "127.0.0.1", 0, null, null, null), LocalDynamo.startInMemory(), EngineConfig.defaults(), null,
                     new ApprovalPolicy(null, true, Set.of(), Duration.ofMinutes(15)), LocalChangeChain.start(LocalStack.checkoutRoot(), LocalStack.testPort()),
                     ChangePolicy.LOCAL.withTimes(Duration.ofSeconds(2), Duration.ofMinutes(5), Duration.ofSeconds(20)))) {
            String server = app.http().uri().toString();
            Cli.Run bad = Cli.run("change", "submit", "--server", server, "--user", "bob", "-n", NS, "web");
            assertThat(bad.exit()).isEqualTo(2);
            assertThat(bad.err()).contains("--image", "--replicas");
            Cli.Run submitted = Cli.run("change", "submit", "--server", server, "--user", "bob", "-n", NS, "web", "--replicas", "5");
            assertThat(submitted.exit()).as(submitted.err()).isZero();
            Matcher m = Pattern.compile("(chg-[0-9a-f]{12}) +validating +scale " + NS + "/Deployment/web").matcher(submitted.out());
            assertThat(m.find()).as(submitted.out()).isTrue();
            String id = m.group(1);
            String proposal = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (proposal == null && System.nanoTime() < deadline) {
                Cli.Run show = Cli.run("change", "show", id, "--server", server, "--user", "carol");
                Matcher p = Pattern.compile("approve: ./opsagent actions approve (act-[0-9a-f]{12})").matcher(show.out());
                if (p.find()) proposal = p.group(1);
                else Thread.sleep(200);
            }
            assertThat(proposal).as("the change waits for an approval").isNotNull();
            Cli.Run shown = Cli.run("actions", "show", proposal, "--server", server, "--user", "carol");
            Matcher h = Pattern.compile("hash: ([0-9a-f]{64})").matcher(shown.out());
            assertThat(h.find()).as(shown.out()).isTrue();
            Cli.Run badWindow = Cli.run("actions", "approve", proposal, "--hash", h.group(1), "--not-before", "tonight",
                    "--server", server, "--user", "carol");
            assertThat(badWindow.exit()).isNotZero();
            assertThat(badWindow.err()).contains("'conditions.notBefore' must be an ISO instant");
            // carol approves it narrowed: 3 replicas, not the 5 asked
            Cli.Run approved = Cli.run("actions", "approve", proposal, "--hash", h.group(1), "--replicas", "3",
                    "--server", server, "--user", "carol");
            assertThat(approved.exit()).as(approved.err()).isZero();
            String out = "";
            deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline) {
                out = Cli.run("change", "show", id, "--server", server, "--user", "bob").out();
                if (out.contains("execution: SUCCEEDED") || out.contains("execution: FAILED")) break;
                Thread.sleep(300);
            }
            assertThat(out).contains(id + "  succeeded", "approved by carol", "analysis: Successful", "execution: SUCCEEDED",
                    "narrowed by its approver from: scale {\"replicas\":5}")
                    .containsPattern("Record intended state +Task +\\d+ ms");
            assertThat(admin.apps().deployments().inNamespace(NS).withName("web").get().getSpec().getReplicas()).isEqualTo(3);
            Cli.Run list = Cli.run("change", "list", "--server", server);
            assertThat(list.out()).contains(id).contains("succeeded");
            Cli.Run missing = Cli.run("change", "show", "chg-nope", "--server", server);
            assertThat(missing.exit()).isEqualTo(2);
            assertThat(missing.err()).contains("no change chg-nope");
            // the live state declared intended from the terminal
            Cli.Run intend = Cli.run("change", "intend", "--server", server, "--user", "bob", "-n", NS, "web");
            assertThat(intend.exit()).as(intend.err()).isZero();
            assertThat(intend.out()).contains("intended: " + NS + "/Deployment/web", "replicas: 3", "escalated for approval");
            Cli.Run kind = Cli.run("change", "intend", "--server", server, "--user", "bob", "-n", NS, "--kind", "Service", "web");
            assertThat(kind.exit()).isNotZero();
            assertThat(kind.err()).contains("kind must be Deployment, StatefulSet, DaemonSet or ConfigMap, got 'Service'");
        }
    }
}
