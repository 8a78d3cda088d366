package io.opsagent.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.opsagent.adapters.dynamodb.LocalDynamo;
import io.opsagent.adapters.dynamodb.TableNames;
import io.opsagent.adapters.kubernetes.real.LocalCluster;
import io.opsagent.app.config.ClusterView;
import io.opsagent.app.config.Clusters;
import io.opsagent.app.config.Settings;
import io.opsagent.app.http.LocalServer;
import io.opsagent.core.actions.ApprovalPolicy;
import io.opsagent.core.agent.EngineConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code opsagent actions …} and {@code opsagent audit …} against a running OpsAgent on the real local cluster, and
 * {@code audit verify --data} on its data directory once it stopped: intact, then after a record was rewritten.
 */
class ActionsCommandTest {
    private static final String NS = "actcli-" + UUID.randomUUID().toString().substring(0, 8);
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
    void proposalsAreDecidedFromTheTerminalAndTheAuditChainIsVerifiedInTheDataDirectory(@TempDir Path data) throws Exception {
        Settings s = io.opsagent.app.http.RealClusterHttpTest.asTheProduct(NS);
        String id;
        String hash;
        try (ClusterView cluster = Clusters.open(s, null, null);
             LocalServer app = LocalServer.start(new LocalServer.Options(cluster.provider(), cluster.inputDir(), null, data,
                     "127.0.0.1", 0, null, null, null), LocalDynamo.start(data), EngineConfig.defaults(), null,
                     new ApprovalPolicy(null, true, Set.of(), Duration.ofMinutes(15)))) {
            String server = app.http().uri().toString();
            // proposals come from the agent or the API: here, the API as bob
            var http = java.net.http.HttpClient.newHttpClient();
            var res = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server + "api/actions"))
                    .header("X-OpsAgent-User", "bob").header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"kind\":\"scale\",\"namespace\":\"" + NS
                            + "\",\"targetKind\":\"Deployment\",\"name\":\"web\",\"params\":{\"replicas\":2}}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(res.statusCode()).as(res.body()).isEqualTo(201);

            Cli.Run list = Cli.run("actions", "list", "--server", server, "--user", "carol", "--status", "pending");
            assertThat(list.exit()).as(list.err()).isZero();
            Matcher m = Pattern.compile("(act-[0-9a-f]{12}) +pending +low +scale " + NS + "/Deployment/web").matcher(list.out());
            assertThat(m.find()).as(list.out()).isTrue();
            id = m.group(1);
            Cli.Run show = Cli.run("actions", "show", id, "--server", server, "--user", "carol");
            assertThat(show.out()).contains("change: spec.replicas: 1 → 2").contains("risk: low");
            Matcher h = Pattern.compile("hash: ([0-9a-f]{64})").matcher(show.out());
            assertThat(h.find()).isTrue();
            hash = h.group(1);

            // not a terminal and no --hash: it shows the proposal and says how to approve it
            Cli.Run blind = Cli.run("actions", "approve", id, "--server", server, "--user", "carol");
            assertThat(blind.exit()).isEqualTo(2);
            assertThat(blind.err()).contains("approve with --hash " + hash);
            Cli.Run wrong = Cli.run("actions", "approve", id, "--hash", "b".repeat(64), "--server", server, "--user", "carol");
            assertThat(wrong.exit()).isEqualTo(1);
            assertThat(wrong.err()).contains("is not this proposal's").contains("HTTP 409");
            Cli.Run own = Cli.run("actions", "approve", id, "--hash", hash, "--server", server, "--user", "bob");
            assertThat(own.err()).contains("separation of duties");
            Cli.Run ok = Cli.run("actions", "approve", id, "--hash", hash, "--server", server, "--user", "carol");
            assertThat(ok.exit()).as(ok.err()).isZero();
            assertThat(ok.out()).contains("executed as carol: PATCH /apis/apps/v1/namespaces/" + NS + "/deployments/web");
            Cli.Run reject = Cli.run("actions", "reject", id, "--reason", "too late", "--server", server, "--user", "carol");
            assertThat(reject.exit()).isEqualTo(1);
            assertThat(reject.err()).contains("can be decided once");
            Cli.Run missing = Cli.run("actions", "show", "act-000000000000", "--server", server);
            assertThat(missing.exit()).isEqualTo(2);
            assertThat(missing.err()).contains("no action proposal act-000000000000");

            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && !Cli.run("actions", "show", id, "--server", server).out().contains("succeeded")) {
                Thread.sleep(200);
            }
            Cli.Run audit = Cli.run("audit", "--proposal", id, "--server", server);
            assertThat(audit.out()).contains("verified").contains("executed").contains("approved").contains("proposed");
            Cli.Run byBob = Cli.run("audit", "--by", "bob", "--server", server);
            assertThat(byBob.out().lines()).allSatisfy(l -> assertThat(l).contains(" bob "));
            Cli.Run live = Cli.run("audit", "verify", "--server", server);
            assertThat(live.exit()).isZero();
            assertThat(live.out()).startsWith("audit log intact: ");
        }
        // stopped: the data directory is free, and its log verifies
        Cli.Run intact = Cli.run("audit", "verify", "--data", data.toString());
        assertThat(intact.exit()).as(intact.err()).isZero();
        assertThat(intact.out()).matches("(?s)audit log intact: \\d+ records.*");
        // someone rewrites record 2 in the table
        try (LocalDynamo db = LocalDynamo.start(data)) {
            var key = Map.of("pk", AttributeValue.fromS("AUDIT"), "sk", AttributeValue.fromS(String.format("%019d", 2)));
            var item = new java.util.HashMap<>(db.client().getItem(b -> b.tableName(TableNames.DEFAULT.actions()).key(key)).item());
            item.put("doc", AttributeValue.fromS(item.get("doc").s().replace("\"actor\":\"carol\"", "\"actor\":\"mallory\"")
                    .replace("\"actor\":\"bob\"", "\"actor\":\"mallory\"")));
            db.client().putItem(b -> b.tableName(TableNames.DEFAULT.actions()).item(item));
        }
        Cli.Run broken = Cli.run("audit", "verify", "--data", data.toString());
        assertThat(broken.exit()).isEqualTo(1);
        assertThat(broken.out()).contains("audit log BROKEN at record 2: record 2 was changed after it was written");
        Cli.Run notDir = Cli.run("audit", "verify", "--data", data.resolve("nope").toString());
        assertThat(notDir.exit()).isEqualTo(2);
        assertThat(Files.exists(data)).isTrue();
    }
}
