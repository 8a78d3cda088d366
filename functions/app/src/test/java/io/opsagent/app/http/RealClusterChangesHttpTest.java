package io.opsagent.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.opsagent.adapters.dynamodb.LocalDynamo;
import io.opsagent.adapters.stepfunctions.LocalStack;
import io.opsagent.adapters.kubernetes.real.LocalCluster;
import io.opsagent.app.config.ClusterView;
import io.opsagent.app.config.Clusters;
import io.opsagent.app.config.LocalChangeChain;
import io.opsagent.app.config.Settings;
import io.opsagent.app.http.TestClient.Res;
import io.opsagent.core.actions.ApprovalPolicy;
import io.opsagent.core.agent.EngineConfig;
import io.opsagent.core.changes.ChangePolicy;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /api/changes} as {@code ./opsagent up --context opsagent-local} serves it: the change chain on LocalStack's
 * Step Functions, the real API server. bob submits a new image, carol approves the change's proposal with its hash,
 * the change executes, passes its analysis and reads like the console (every state, its output, its duration). A
 * cross-site request cannot submit a change; bad input names the field.
 */
class RealClusterChangesHttpTest {
    @RegisterExtension
    static final RealNamespace WEB = new RealNamespace("chghttp", 2);
    private static final String NS = WEB.name();
    private static KubernetesClient admin;

    @BeforeAll
    static void setUp() {
        admin = WEB.admin();
    }



    @Test
    void submitApproveAndFollowAChangeOverHttp() throws Exception {
        Settings s = RealClusterHttpTest.asTheProduct(NS);
        String image = admin.apps().deployments().inNamespace(NS).withName("web").get().getSpec().getTemplate().getSpec()
                .getContainers().get(0).getImage();
        String container = admin.apps().deployments().inNamespace(NS).withName("web").get().getSpec().getTemplate().getSpec()
                .getContainers().get(0).getName();
        try (ClusterView cluster = Clusters.open(s, null, null);
             LocalChangeChain lc = LocalChangeChain.start(LocalStack.checkoutRoot(), LocalStack.testPort()).driftEvery(Duration.ZERO);
             LocalServer app = LocalServer.start(new LocalServer.Options(cluster.provider(), cluster.inputDir(), null, null,
                     "127.0.0.1", 0, null, null, null), LocalDynamo.startInMemory(), EngineConfig.defaults(), null,
                     new ApprovalPolicy(null, true, Set.of(), Duration.ofMinutes(15)), lc,
                     ChangePolicy.LOCAL.withTimes(Duration.ofSeconds(3), Duration.ofMinutes(5), Duration.ofSeconds(20)))) {
            TestClient bob = new TestClient(app.http().uri(), "bob");
            TestClient carol = bob.as("carol");
            String body = "{\"kind\":\"set-image\",\"namespace\":\"" + NS + "\",\"targetKind\":\"Deployment\",\"name\":\"web\","
                    + "\"params\":{\"container\":\"" + container + "\",\"image\":\"" + image + "-next\"}}";
            Res bad = bob.post("/api/changes", "{\"kind\":\"set-image\",\"namespace\":\"" + NS + "\"}");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.body()).contains("'targetKind' must be a string");
            Res csrf = bob.send(bob.request("/api/changes").header("Content-Type", "application/json")
                    .header("Origin", "https://evil.example").POST(HttpRequest.BodyPublishers.ofString(body)).build());
            assertThat(csrf.status()).isEqualTo(403);
            assertThat(bob.get("/api/changes").json().get("items")).isEmpty();

            Res submitted = bob.post("/api/changes", body);
            assertThat(submitted.status()).as(submitted.body()).isEqualTo(201);
            String id = submitted.json().get("id").asText();
            JsonNode c = await(bob, id, x -> x.get("status").asText().equals("awaiting-approval") && !x.path("proposalId").isNull());
            assertThat(c.toString()).doesNotContain("approvalToken").doesNotContain("token");
            assertThat(c.path("execution").path("currentState").asText()).isEqualTo("Wait for approval");
            // the evidence: bob's recent runs of the workload (none yet) and incidents
            assertThat(c.path("evidence").path("recentRuns").isArray()).as(c.toString()).isTrue();
            assertThat(c.path("evidence").path("incidents").asInt(-1)).isZero();
            String proposal = c.get("proposalId").asText();
            String hash = carol.get("/api/actions/" + proposal).json().get("hash").asText();
            Res own = bob.post("/api/actions/" + proposal + "/approve", "{\"hash\":\"" + hash + "\"}");
            assertThat(own.status()).isEqualTo(403); // separation of duties
            Res ok = carol.post("/api/actions/" + proposal + "/approve", "{\"hash\":\"" + hash + "\"}");
            assertThat(ok.status()).as(ok.body()).isEqualTo(200);
            JsonNode done = await(carol, id, x -> x.get("ended").asBoolean() && !x.path("execution").path("status").asText().equals("RUNNING"));
            assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("succeeded");
            assertThat(done.get("approver").asText()).isEqualTo("carol");
            JsonNode ex = done.get("execution");
            assertThat(ex.get("status").asText()).isEqualTo("SUCCEEDED");
            List<String> states = new ArrayList<>();
            ex.get("states").forEach(st -> states.add(st.get("name").asText()));
            assertThat(states).containsExactly("Validate", "Gather evidence", "Wait for approval", "Wait for the approved window",
                    "Execute", "Monitor",
                    "Analysis result", "Record intended state", "Change succeeded");
            assertThat(ex.get("states").get(5).get("output").asText()).contains("Successful");
            assertThat(ex.get("states").get(2).get("durationMs").asLong()).isPositive();
            assertThat(admin.apps().deployments().inNamespace(NS).withName("web").get().getSpec().getTemplate().getSpec()
                    .getContainers().get(0).getImage()).isEqualTo(image + "-next");
            assertThat(bob.get("/api/changes").json().get("items").get(0).get("id").asText()).isEqualTo(id);
            assertThat(bob.get("/api/changes/chg-nope").status()).isEqualTo(404);

            // drift: the image changed with kubectl; a check (statemachines/remediation.asl.json) restores it as carol
            admin.apps().deployments().inNamespace(NS).withName("web").edit(d -> {
                d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("hand-edited:1");
                return d;
            });
            String check = lc.checkDrift();
            long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            var ex2 = lc.remediation().describe(check);
            while (System.nanoTime() < until && (ex2 == null || ex2.status().equals("RUNNING"))) {
                Thread.sleep(200);
                ex2 = lc.remediation().describe(check);
            }
            assertThat(ex2.status()).isEqualTo("SUCCEEDED");
            assertThat(ex2.states()).extracting(io.opsagent.core.changes.ChangeOrchestrator.StateRun::name)
                    .contains("Check for drift", "Each drift", "Record the check", "Checked");
            assertThat(admin.apps().deployments().inNamespace(NS).withName("web").get().getSpec().getTemplate().getSpec()
                    .getContainers().get(0).getImage()).isEqualTo(image + "-next");
            JsonNode remediated = carol.get("/api/audit?action=drift-remediated").json();
            assertThat(remediated.get("items")).hasSize(1);
            assertThat(remediated.get("items").get(0).path("detail").path("intendedBy").asText()).isEqualTo(id);
            // the check is a run of carol's (the remediation ran as her), with a step per drift; bob does not see it
            JsonNode mine = carol.get("/api/runs?source=remediation").json().get("items");
            assertThat(mine).hasSize(1);
            String runId = mine.get(0).get("id").asText();
            assertThat(runId).isEqualTo(check + "-carol");
            assertThat(mine.get(0).get("status").asText()).isEqualTo("completed");
            assertThat(mine.get(0).get("workload").asText()).isEqualTo(NS + "/web");
            JsonNode run = carol.get("/api/runs/" + runId).json();
            assertThat(run.toString()).contains("remediate_drift", "remediated: restored as carol", "hand-edited:1");
            assertThat(run.path("finalAnswer").asText()).contains("**remediated** image drift of `" + NS + "/Deployment/web`");
            assertThat(bob.get("/api/runs/" + runId).status()).isEqualTo(404);
            assertThat(bob.get("/api/runs?source=remediation").json().get("items")).isEmpty();

            // a user declares the live state intended (no change recorded it): drift from it is found, and escalated
            // for approval (no approval comes with it); who may not change the object may not declare it
            String web = "{\"namespace\":\"" + NS + "\",\"kind\":\"Deployment\",\"name\":\"web\"}";
            Res kind = bob.post("/api/drift/intended", "{\"namespace\":\"" + NS + "\",\"kind\":\"Service\",\"name\":\"web\"}");
            assertThat(kind.status()).isEqualTo(400);
            assertThat(kind.body()).contains("kind must be Deployment, StatefulSet, DaemonSet or ConfigMap, got 'Service'");
            Res nope = bob.post("/api/drift/intended", web.replace("\"web\"", "\"nope\""));
            assertThat(nope.status()).isEqualTo(404);
            assertThat(nope.body()).contains(NS + "/Deployment/nope does not exist");
            Res dave = bob.as("dave").post("/api/drift/intended", web);
            assertThat(dave.status()).isEqualTo(403);
            assertThat(dave.body()).contains("dave may not", "only someone who may change it");
            Res forged = bob.send(bob.request("/api/drift/intended").header("Content-Type", "application/json")
                    .header("Origin", "https://evil.example").POST(HttpRequest.BodyPublishers.ofString(web)).build());
            assertThat(forged.status()).isEqualTo(403);
            Res reg = bob.post("/api/drift/intended", web);
            assertThat(reg.status()).as(reg.body()).isEqualTo(201);
            assertThat(reg.json().get("changeId").asText()).isEqualTo("registered-by-bob");
            assertThat(reg.json().get("replicas").asInt()).isEqualTo(2);
            assertThat(reg.json().get("approver").isNull()).isTrue();
            admin.apps().deployments().inNamespace(NS).withName("web").scale(3);
            String check2 = lc.checkDrift();
            long until2 = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            var ex3 = lc.remediation().describe(check2);
            while (System.nanoTime() < until2 && (ex3 == null || ex3.status().equals("RUNNING"))) {
                Thread.sleep(200);
                ex3 = lc.remediation().describe(check2);
            }
            assertThat(ex3.status()).isEqualTo("SUCCEEDED");
            JsonNode esc = carol.get("/api/audit?action=drift-escalated").json().get("items");
            assertThat(esc.toString()).contains("no approval comes with the intended state (the state bob registered)",
                    "submitted as change", "on behalf of bob, for another approver");
            // the escalation goes through the change chain: a change on behalf of bob (who registered the state: his
            // RBAC dry-runs it), waiting for another approver
            JsonNode escalated = null;
            for (JsonNode x : bob.get("/api/changes").json().get("items")) {
                if (x.get("correlationId").asText().startsWith("drift-")) escalated = x;
            }
            assertThat(escalated).as("the escalated change").isNotNull();
            assertThat(escalated.get("requester").asText()).isEqualTo("bob");
            assertThat(escalated.get("summary").asText()).contains("scale " + NS + "/Deployment/web", "\"replicas\":2");
            String escalatedId = escalated.get("id").asText();
            await(bob, escalatedId, x -> x.get("status").asText().equals("awaiting-approval") && !x.path("proposalId").isNull());
            assertThat(admin.apps().deployments().inNamespace(NS).withName("web").get().getSpec().getReplicas()).isEqualTo(3);
            assertThat(carol.get("/api/audit?action=drift-intent-registered").json().get("items").get(0).get("actor").asText())
                    .isEqualTo("bob");
            // every check is a run: the scheduled ones OpsAgent's, a "check now" its user's
            Res now = bob.post("/api/drift/check", "{}");
            assertThat(now.status()).isEqualTo(202);
            String mineCheck = now.json().get("check").asText();
            assertThat(mineCheck).endsWith("-by-bob");
            long until3 = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            var ex4 = lc.remediation().describe(mineCheck);
            while (System.nanoTime() < until3 && (ex4 == null || ex4.status().equals("RUNNING"))) {
                Thread.sleep(200);
                ex4 = lc.remediation().describe(mineCheck);
            }
            assertThat(ex4.status()).isEqualTo("SUCCEEDED");
            JsonNode checkRun = bob.get("/api/runs/" + mineCheck).json();
            assertThat(checkRun.get("source").asText()).isEqualTo("remediation");
            assertThat(checkRun.get("status").asText()).isEqualTo("completed");
            assertThat(checkRun.toString()).contains("escalate_drift", "replicas");
            assertThat(checkRun.toString()).contains("change " + escalatedId + " waits already");
            JsonNode stillWaiting = bob.get("/api/changes/" + escalatedId).json();
            String escProposal = stillWaiting.get("proposalId").asText();
            String escHash = carol.get("/api/actions/" + escProposal).json().get("hash").asText();
            assertThat(carol.post("/api/actions/" + escProposal + "/reject", "{\"reason\":\"keep 3\"}").status()).isEqualTo(200);
            assertThat(await(carol, escalatedId, x -> x.get("ended").asBoolean()).get("status").asText()).isEqualTo("rejected");
            assertThat(escHash).hasSize(64);
            assertThat(carol.get("/api/runs/" + mineCheck).status()).isEqualTo(404);
        }
    }

    @Test
    void driftIsDeclaredSeenAndCheckedWithinProjectsOnly() throws Exception {
        Settings s = RealClusterHttpTest.asTheProduct(NS);
        try (ClusterView cluster = Clusters.open(s, null, null);
             LocalChangeChain lc = LocalChangeChain.start(LocalStack.checkoutRoot(), LocalStack.testPort()).driftEvery(Duration.ZERO);
             LocalServer app = LocalServer.start(new LocalServer.Options(cluster.provider(), cluster.inputDir(), null, null,
                     "127.0.0.1", 0, null, null, null), LocalDynamo.startInMemory(), EngineConfig.defaults(), null,
                     new ApprovalPolicy(null, true, Set.of(), Duration.ofMinutes(15)), lc, ChangePolicy.LOCAL)) {
            app.projects(io.opsagent.core.access.Projects.read(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                    "{\"projects\":[{\"name\":\"web\",\"namespaces\":[\"" + NS + "\"],\"users\":{\"bob\":\"operator\","
                            + "\"vera\":\"viewer\",\"carol\":\"admin\"}},"
                            + "{\"name\":\"elsewhere\",\"namespaces\":[\"elsewhere\"],\"users\":{\"dave\":\"admin\"}}]}")));
            TestClient bob = new TestClient(app.http().uri(), "bob");
            String web = "{\"namespace\":\"" + NS + "\",\"kind\":\"Deployment\",\"name\":\"web\"}";
            Res viewer = bob.as("vera").post("/api/drift/intended", web);
            assertThat(viewer.status()).isEqualTo(403);
            assertThat(viewer.body()).contains("vera is viewer", "to register an intended state needs operator");
            Res outsider = bob.as("dave").post("/api/drift/intended", web);
            assertThat(outsider.status()).isEqualTo(404);
            Res reg = bob.post("/api/drift/intended", web);
            assertThat(reg.status()).as(reg.body()).isEqualTo(201);
            assertThat(bob.get("/api/drift").json().get("intended").toString()).contains(NS);
            assertThat(bob.as("dave").get("/api/drift").json().get("intended").toString()).doesNotContain(NS);
            // a check reads every namespace's intended state: a project admin starts it, an operator may not
            Res operatorCheck = bob.post("/api/drift/check", "{}");
            assertThat(operatorCheck.status()).isEqualTo(403);
            assertThat(operatorCheck.body()).contains("needs a project admin");
            assertThat(bob.as("carol").post("/api/drift/check", "{}").status()).isEqualTo(202);
        }
    }

    @Test
    void anApproverNarrowsAChangeAndSetsItsWindow() throws Exception {
        admin.apps().deployments().inNamespace(NS).resource(LocalCluster.deployment("api", 2, "api:1")).create();
        admin.apps().deployments().inNamespace(NS).withName("api").waitUntilCondition(d -> d.getStatus() != null
                && Integer.valueOf(2).equals(d.getStatus().getAvailableReplicas()), 60, java.util.concurrent.TimeUnit.SECONDS);
        Settings s = RealClusterHttpTest.asTheProduct(NS);
        try (ClusterView cluster = Clusters.open(s, null, null);
             LocalChangeChain lc = LocalChangeChain.start(LocalStack.checkoutRoot(), LocalStack.testPort()).driftEvery(Duration.ZERO);
             LocalServer app = LocalServer.start(new LocalServer.Options(cluster.provider(), cluster.inputDir(), null, null,
                     "127.0.0.1", 0, null, null, null), LocalDynamo.startInMemory(), EngineConfig.defaults(), null,
                     new ApprovalPolicy(null, true, Set.of(), Duration.ofMinutes(15)), lc,
                     ChangePolicy.LOCAL.withTimes(Duration.ofSeconds(2), Duration.ofMinutes(5), Duration.ofSeconds(20)))) {
            TestClient bob = new TestClient(app.http().uri(), "bob");
            TestClient carol = bob.as("carol");
            // bob asked about the workload before: the change's evidence lists that run (not its question)
            var asked0 = app.engine().askOnce("bob", NS + "/api", "is api healthy? my token is hunter2hunter2", "chat",
                    io.opsagent.core.agent.AgentListener.NONE);
            Res submitted = bob.post("/api/changes", "{\"kind\":\"scale\",\"namespace\":\"" + NS
                    + "\",\"targetKind\":\"Deployment\",\"name\":\"api\",\"params\":{\"replicas\":6}}");
            assertThat(submitted.status()).as(submitted.body()).isEqualTo(201);
            String id = submitted.json().get("id").asText();
            JsonNode c = await(bob, id, x -> x.get("status").asText().equals("awaiting-approval") && !x.path("proposalId").isNull());
            String asked = c.get("proposalId").asText();
            assertThat(c.path("evidence").path("recentRuns")).singleElement()
                    .satisfies(r -> assertThat(r.path("id").asText()).isEqualTo(asked0.id()));
            assertThat(c.path("evidence").toString()).doesNotContain("is api healthy", "hunter2hunter2");
            String hash = carol.get("/api/actions/" + asked).json().get("hash").asText();
            String approve = "/api/actions/" + asked + "/approve";
            // widening is refused, naming why; so is a malformed condition
            Res wider = carol.post(approve, "{\"hash\":\"" + hash + "\",\"conditions\":{\"params\":{\"replicas\":9}}}");
            assertThat(wider.status()).isEqualTo(400);
            assertThat(wider.body()).contains("replicas 9 does not narrow the change from 2 to 6");
            Res bad = carol.post(approve, "{\"hash\":\"" + hash + "\",\"conditions\":{\"notBefore\":\"tonight\"}}");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.body()).contains("'conditions.notBefore' must be an ISO instant");
            // narrowed to 4, to execute from a few seconds on: its own proposal, its own hash, approved by carol
            java.time.Instant from = java.time.Instant.now().plusSeconds(4);
            Res ok = carol.post(approve, "{\"hash\":\"" + hash + "\",\"conditions\":{\"params\":{\"replicas\":4},"
                    + "\"notBefore\":\"" + from + "\",\"notAfter\":\"" + from.plusSeconds(600) + "\"}}");
            assertThat(ok.status()).as(ok.body()).isEqualTo(200);
            String narrowed = ok.json().get("id").asText();
            assertThat(narrowed).isNotEqualTo(asked);
            assertThat(ok.json().get("hash").asText()).isNotEqualTo(hash);
            JsonNode original = carol.get("/api/actions/" + asked).json();
            assertThat(original.get("status").asText()).isEqualTo("rejected");
            assertThat(original.toString()).contains("narrowed to " + narrowed);
            JsonNode done = await(carol, id, x -> x.get("ended").asBoolean() && !x.path("execution").path("status").asText().equals("RUNNING"));
            assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("succeeded");
            assertThat(done.get("proposalId").asText()).isEqualTo(narrowed);
            assertThat(done.get("summary").asText()).contains("\"replicas\":4");
            assertThat(done.get("asked").get("params").get("replicas").asInt()).isEqualTo(6);
            assertThat(done.get("window").get("notBefore").asText()).isEqualTo(from.toString());
            assertThat(admin.apps().deployments().inNamespace(NS).withName("api").get().getSpec().getReplicas()).isEqualTo(4);
            JsonNode states = done.get("execution").get("states");
            JsonNode execute = null;
            for (JsonNode st : states) if (st.get("name").asText().equals("Execute")) execute = st;
            assertThat(execute).isNotNull();
            // executed no earlier than the window's start (LocalStack's Wait wakes a second or two early: Execute holds it)
            JsonNode executed = carol.get("/api/audit?action=executed&proposal=" + narrowed).json().get("items");
            assertThat(executed).hasSize(1);
            assertThat(java.time.Instant.parse(executed.get(0).get("at").asText())).isAfterOrEqualTo(from);
            assertThat(carol.get("/api/audit?action=narrowed").json().get("items")).hasSize(1);
            // a pending proposal runs through the chain instead, by its requester only
            Res proposed = bob.post("/api/actions", "{\"kind\":\"scale\",\"namespace\":\"" + NS
                    + "\",\"targetKind\":\"Deployment\",\"name\":\"api\",\"params\":{\"replicas\":5}}");
            assertThat(proposed.status()).as(proposed.body()).isEqualTo(201);
            String pid = proposed.json().get("id").asText();
            Res notHers = carol.post("/api/changes", "{\"proposalId\":\"" + pid + "\"}");
            assertThat(notHers.status()).isEqualTo(403);
            Res asChange = bob.post("/api/changes", "{\"proposalId\":\"" + pid + "\"}");
            assertThat(asChange.status()).as(asChange.body()).isEqualTo(201);
            String cid = asChange.json().get("id").asText();
            assertThat(asChange.json().get("summary").asText()).contains("\"replicas\":5");
            assertThat(carol.get("/api/actions/" + pid).json().toString()).contains("submitted as change " + cid);
            JsonNode waiting = await(bob, cid, x -> x.get("status").asText().equals("awaiting-approval") && !x.path("proposalId").isNull());
            assertThat(waiting.get("proposalId").asText()).isNotEqualTo(pid); // fresh evidence: a proposal of its own
            assertThat(bob.post("/api/changes/" + cid + "/cancel", "{}").status()).isEqualTo(200);
        } finally {
            admin.apps().deployments().inNamespace(NS).withName("api").delete();
        }
    }

    @Test
    void theChatListsApprovalsAndRunningChangesAndCancelsOne() throws Exception {
        Settings s = RealClusterHttpTest.asTheProduct(NS);
        String container = admin.apps().deployments().inNamespace(NS).withName("web").get().getSpec().getTemplate().getSpec()
                .getContainers().get(0).getName();
        try (ClusterView cluster = Clusters.open(s, null, null);
             LocalServer app = LocalServer.start(new LocalServer.Options(cluster.provider(), cluster.inputDir(), null, null,
                     "127.0.0.1", 0, null, null, null), LocalDynamo.startInMemory(), EngineConfig.defaults(), null,
                     new ApprovalPolicy(null, true, Set.of(), Duration.ofMinutes(15)), LocalChangeChain.start(LocalStack.checkoutRoot(), LocalStack.testPort()),
                     ChangePolicy.LOCAL.withTimes(Duration.ofSeconds(3), Duration.ofMinutes(5), Duration.ofSeconds(20)))) {
            TestClient bob = new TestClient(app.http().uri(), "bob");
            Res submitted = bob.post("/api/changes", "{\"kind\":\"set-image\",\"namespace\":\"" + NS
                    + "\",\"targetKind\":\"Deployment\",\"name\":\"web\",\"params\":{\"container\":\"" + container
                    + "\",\"image\":\"web:never\"}}");
            assertThat(submitted.status()).as(submitted.body()).isEqualTo(201);
            String id = submitted.json().get("id").asText();
            JsonNode waiting = await(bob, id, x -> x.get("status").asText().equals("awaiting-approval") && !x.path("proposalId").isNull());
            String proposal = waiting.get("proposalId").asText();
            String sid = bob.session(NS + "/deployment/web");
            assertThat(chat(bob, sid, "show pending approvals")).contains(proposal, "waits for an approval");
            assertThat(chat(bob, sid, "what changes are running?")).contains(id, "awaiting-approval");
            // another user cannot cancel bob's change (API), bob can (chat)
            Res other = bob.as("dave").post("/api/changes/" + id + "/cancel", "{}");
            assertThat(other.status()).isEqualTo(403);
            assertThat(other.body()).contains("only its requester (bob)");
            assertThat(chat(bob, sid, "cancel the change")).contains(id, "cancelled by bob");
            // AWS aborts the execution at once; LocalStack 4.14 leaves a callback task waiting until its heartbeat
            // times out: either way it ends, and the change stays cancelled (no later step records over it)
            JsonNode done = await(bob, id, x -> x.get("ended").asBoolean() && !x.path("execution").path("status").asText().equals("RUNNING"));
            assertThat(done.get("status").asText()).isEqualTo("cancelled");
            assertThat(done.get("detail").asText()).isEqualTo("cancelled by bob");
            assertThat(bob.get("/api/actions/" + proposal).json().get("status").asText()).isEqualTo("rejected"); // withdrawn
            assertThat(bob.post("/api/changes/" + id + "/cancel", "{}").status()).isEqualTo(409);
        }
    }

    private static String chat(TestClient c, String sid, String text) throws Exception {
        StringBuilder all = new StringBuilder();
        try (TestClient.Stream st = c.chat(sid, text)) {
            for (TestClient.Sse e : st.rest()) all.append(e.event()).append(' ').append(e.data()).append('\n');
        }
        return all.toString();
    }

    private static JsonNode await(TestClient c, String id, java.util.function.Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = c.get("/api/changes/" + id).json();
            if (done.test(last)) return last;
            Thread.sleep(150);
        }
        throw new AssertionError("change " + id + " did not get there in 90 s: " + last);
    }
}
