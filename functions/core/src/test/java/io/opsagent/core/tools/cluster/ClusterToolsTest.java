package io.opsagent.core.tools.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsagent.core.agent.Demo;
import io.opsagent.core.agent.model.ScriptedChatModel;
import io.opsagent.core.agent.model.ToolCall;
import io.opsagent.core.redact.Redactor;
import io.opsagent.core.tools.Citation;
import io.opsagent.core.tools.SnapshotProvider;
import io.opsagent.core.tools.ToolContext;
import io.opsagent.core.tools.ToolRegistry;
import io.opsagent.core.tools.ToolResult;
import io.opsagent.core.tools.ToolSpec;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Every read tool on the demo cluster dump. */
class ClusterToolsTest {
    static final ToolRegistry TOOLS = ClusterTools.registry();

    static ToolResult run(String ns, String workload, String tool, String args) {
        ToolContext ctx = new ToolContext("run-1", "alice", ns, workload, SnapshotProvider.of(Demo.snapshot()));
        return TOOLS.execute(new ToolCall("c", tool, ScriptedChatModel.parse(args)), ctx, Redactor.standard());
    }

    @Test
    void registryDeclaresElevenReadToolsWithObjectSchemas() {
        assertThat(TOOLS.specs()).extracting(ToolSpec::name).containsExactly("workload_summary", "list_pods", "describe",
                "events", "search_logs", "log_patterns", "diagnose", "deployment_history", "resource_usage",
                "service_endpoints", "health_checks");
        TOOLS.specs().forEach(s -> {
            assertThat(s.parameters().path("type").asText()).isEqualTo("object");
            assertThat(s.parameters().path("properties").has("namespace")).isTrue();
            assertThat(s.description()).isNotBlank();
        });
    }

    @Test
    void workloadSummaryShowsReplicasPodsAndServices() {
        ToolResult r = run("shop", "cart", "workload_summary", "{}");
        assertThat(r.error()).isFalse();
        assertThat(r.text()).contains("Deployment shop/cart").contains("pods: 2 (0 ready)")
                .contains("ProgressDeadlineExceeded").contains("image 123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/cart:1.9.0")
                .contains("services: cart");
        assertThat(r.data().path("healthy").asBoolean()).isFalse();
        assertThat(r.citations()).extracting(Citation::ref).anyMatch(x -> x.startsWith("shop/deployments.json:items["));
        ToolResult web = run("shop", "web", "workload_summary", "{}");
        assertThat(web.data().path("healthy").asBoolean()).isTrue();
        assertThat(web.summary()).isEqualTo("3 pods, 3 ready");
    }

    @Test
    void listPodsForAWorkloadAndANamespace() {
        ToolResult r = run("shop", "cart", "list_pods", "{}");
        assertThat(r.data()).hasSize(2);
        assertThat(r.data().get(0).path("status").asText()).isEqualTo("CrashLoopBackOff");
        assertThat(r.citations()).allMatch(c -> c.ref().startsWith("shop/pods.json:items["));
        ToolResult all = run("shop", "cart", "list_pods", "{\"name\":\"*\"}");
        assertThat(all.data().size()).isGreaterThan(10);
        ToolResult other = run("shop", "cart", "list_pods", "{\"namespace\":\"payments\"}");
        assertThat(other.data()).allMatch(p -> p.path("namespace").asText().equals("payments"));
    }

    @Test
    void describePodLikeKubectlAndNeverShowsSecretValues() {
        String pod = run("shop", "cart", "list_pods", "{}").data().get(0).path("name").asText();
        ToolResult r = run("shop", "cart", "describe", "{\"kind\":\"pod\",\"name\":\"" + pod + "\"}");
        assertThat(r.text()).contains("Pod shop/" + pod).contains("Image: 123456789012.dkr.ecr")
                .contains("Last state: Terminated (Error, exit code 1").contains("Events:").contains("BackOff");
        ToolResult d = run("shop", "cart", "describe", "{}");
        assertThat(d.text()).startsWith("Deployment shop/cart").contains("replicas:").doesNotContain("managedFields");
        ToolResult s = run("shop", null, "describe", "{\"kind\":\"secret\",\"name\":\"orders-db\"}");
        assertThat(s.error()).isFalse();
        assertThat(s.text()).contains("keys (values hidden): [username, password, url]")
                .doesNotContain("TjN3LVIwdGF0ZWQtUHchMjAyNg==").doesNotContain("N3w-R0tated");
    }

    @Test
    void eventsFilterByTypeAndCiteTheEventsFile() {
        ToolResult r = run("shop", "cart", "events", "{\"type\":\"Warning\"}");
        assertThat(r.data().size()).isPositive();
        assertThat(r.data()).allMatch(e -> e.path("type").asText().equals("Warning"));
        assertThat(r.text()).contains("BackOff");
        assertThat(r.citations()).allMatch(c -> c.ref().startsWith("shop/events.json:items["));
    }

    @Test
    void searchLogsByKeywordLevelAndTime() {
        ToolResult r = run("shop", "cart", "search_logs", "{\"keywords\":[\"REDIS_URL\"]}");
        assertThat(r.data().path("totalMatches").asLong()).isPositive();
        assertThat(r.citations()).extracting(Citation::ref).anyMatch(x -> x.matches("shop/cart-[a-z0-9-]+/logs.txt:\\d+"));
        assertThat(r.summary()).endsWith("in 2 logs").contains("match");

        ToolResult errs = run("shop", "orders", "search_logs", "{\"level\":\"error\",\"since\":\"09:50\"}");
        assertThat(errs.data().path("totalMatches").asLong()).isPositive();
        for (JsonNode m : errs.data().path("matches")) {
            assertThat(Instant.parse(m.path("time").asText())).isAfterOrEqualTo(Instant.parse("2026-11-21T09:50:00Z"));
            assertThat(m.path("level").asText()).isIn("ERROR", "FATAL");
        }
        ToolResult ago = run("shop", "orders", "search_logs", "{\"level\":\"error\",\"since\":\"5m\"}");
        assertThat(ago.data().path("totalMatches").asLong()).isLessThan(errs.data().path("totalMatches").asLong());

        assertThat(run("shop", "cart", "search_logs", "{\"regex\":\"(unclosed\"}").text()).contains("invalid regex");
        ToolResult badTime = run("shop", "cart", "search_logs", "{\"since\":\"yesterday-ish\"}");
        assertThat(badTime.error()).isTrue();
        assertThat(badTime.text()).contains("cannot read time 'yesterday-ish'").contains("10:00");
        assertThat(run("shop", "cart", "search_logs", "{\"level\":\"loud\"}").text()).contains("must be one of fatal, error");
    }

    @Test
    void logPatternsSummariseAWorkloadsLogs() {
        ToolResult r = run("shop", "cart", "log_patterns", "{}");
        assertThat(r.data().size()).isGreaterThan(1);
        assertThat(r.data().get(0).path("count").asLong()).isPositive();
        assertThat(r.text()).contains("Log patterns of Deployment shop/cart");
    }

    @Test
    void diagnoseGivesRootCauseFirstWithEvidenceRefs() {
        ToolResult r = run("shop", "cart", "diagnose", "{}");
        JsonNode first = r.data().path("findings").get(0);
        assertThat(first.path("category").asText()).isEqualTo("CrashLoopBackOff");
        assertThat(first.path("rootCause").asBoolean()).isTrue();
        assertThat(r.text()).contains("REDIS_URL").contains("fix: ");
        assertThat(r.citations()).extracting(Citation::ref).anyMatch(x -> x.startsWith("shop/pods.json:items["));
        assertThat(run("payments", "payment-gateway", "diagnose", "{}").summary()).contains("OOMKilled");
        assertThat(run("shop", "web", "diagnose", "{}").summary()).isEqualTo("no findings");
    }

    @Test
    void deploymentHistoryListsRevisionsNewestFirstWithImageChanges() {
        ToolResult r = run("shop", "recommendations", "deployment_history", "{}");
        assertThat(r.data()).hasSize(2);
        assertThat(r.data().get(0).path("revision").asInt()).isEqualTo(9);
        assertThat(r.data().get(1).path("revision").asInt()).isEqualTo(8);
        assertThat(r.text()).contains("revision 9 (current)")
                .contains("containers[recommendations].image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/recommendations:2.4.0 -> "
                        + "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/recommendations:2.4.1-rc");
        assertThat(r.citations()).allMatch(c -> c.ref().startsWith("shop/replicasets.json:items["));
        assertThat(run("shop", "cart", "deployment_history", "{}").text())
                .contains("metadata.labels.app.kubernetes.io/version: 1.8.4 -> 1.9.0").doesNotContain("pod-template-hash");
        ToolResult sts = run("data", "redis", "deployment_history", "{}");
        assertThat(sts.error()).isFalse();
        assertThat(sts.text()).contains("only kept for Deployments");
    }

    @Test
    void resourceUsageSaysMetricsAreNotAvailableAndNeverInventsNumbers() {
        ToolResult r = run("payments", "payment-gateway", "resource_usage", "{}");
        assertThat(r.text()).contains("not available from a cluster dump");
        assertThat(r.data().path("metricsAvailable").asBoolean()).isFalse();
        assertThat(r.text()).contains("OOMKilled").contains("limits {");
        assertThat(r.text()).doesNotContainIgnoringCase("usage:");
    }

    @Test
    void serviceEndpointsShowReadyEndpointsAndEmptySelectors() {
        ToolResult cart = run("shop", "cart", "service_endpoints", "{}");
        assertThat(cart.data()).hasSize(1);
        assertThat(cart.data().get(0).path("readyEndpoints").asInt()).isZero();
        assertThat(cart.data().get(0).path("matchingPods").asInt()).isEqualTo(2);
        ToolResult db = run("shop", "catalog-db", "service_endpoints", "{}");
        assertThat(db.text()).contains("the selector matches no pod");
        ToolResult web = run("shop", "web", "service_endpoints", "{}");
        assertThat(web.data().get(0).path("readyEndpoints").asInt()).isEqualTo(3);
    }

    @Test
    void healthChecksListProbesAndTheirFailures() {
        ToolResult r = run("shop", "catalog", "health_checks", "{}");
        assertThat(r.data().path("probes").size()).isPositive();
        assertThat(r.data().path("failures").size()).isPositive();
        assertThat(r.text()).contains("Unhealthy").contains("readiness: http-get");
        assertThat(r.citations()).extracting(Citation::ref).anyMatch(x -> x.contains("readinessProbe"))
                .anyMatch(x -> x.startsWith("shop/events.json"));
    }

    @Test
    void unknownNamesGiveToolErrorsWithCloseMatches() {
        ToolResult r = run("shop", "cart", "list_pods", "{\"name\":\"carts\"}");
        assertThat(r.error()).isTrue();
        assertThat(r.text()).contains("no workload named 'carts'").contains("cart");
        assertThat(run("shop", "cart", "events", "{\"namespace\":\"nope\"}").text()).contains("namespace 'nope' is not in the cluster");
    }
}
