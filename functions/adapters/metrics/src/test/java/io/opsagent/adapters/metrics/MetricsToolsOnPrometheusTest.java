package io.opsagent.adapters.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.opsagent.core.agent.model.ToolCall;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.cluster.JsonOrigin;
import io.opsagent.core.redact.Redactor;
import io.opsagent.core.tools.SnapshotProvider;
import io.opsagent.core.tools.ToolContext;
import io.opsagent.core.tools.ToolRegistry;
import io.opsagent.core.tools.ToolResult;
import io.opsagent.core.tools.cluster.ClusterTools;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code query_metrics} and {@code rightsize} tools as the agent calls them (through the registry: schema,
 * timeout, redaction), over a snapshot of namespace {@code shop} and a real Prometheus holding its generated metrics.
 */
class MetricsToolsOnPrometheusTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path work;
    static LocalPrometheus prometheus;
    static ToolRegistry tools;
    static ToolContext context;

    @BeforeAll
    static void start() throws Exception {
        Instant end = Instant.now().minusSeconds(60);
        prometheus = LocalPrometheus.start(work, WorkloadMetrics.openMetrics(end, 3));
        List<io.opsagent.core.tools.Tool> all = new ArrayList<>(ClusterTools.all());
        all.addAll(ClusterTools.metrics(new PrometheusMetrics(prometheus.uri()), Clock.fixed(end, ZoneOffset.UTC)));
        tools = new ToolRegistry(all);
        context = new ToolContext("run-1", "alice", "shop", "api", SnapshotProvider.of(shop()));
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) prometheus.close();
    }

    @Test
    void queryMetricsGivesFiguresPerContainerWithCitations() {
        ToolResult r = call("query_metrics", JSON.createObjectNode().put("metric", "memory_working_set").put("since", "2h"));
        assertThat(r.error()).as(r.text()).isFalse();
        assertThat(r.text()).contains("memory_working_set of Deployment shop/api from prometheus")
                .contains("api-7d9cf8b4c-x2x4z/api: min ").contains("max 470 MiB")
                .doesNotContain(WorkloadMetrics.GATEWAY_POD);
        assertThat(r.data().path("series")).hasSize(2);
        assertThat(r.citations()).extracting(c -> c.ref())
                .contains("metrics:prometheus:memory_working_set:shop/api-7d9cf8b4c-x2x4z/api");
    }

    @Test
    void diskUsageOfTheClaimsThePodsMount() {
        ToolResult r = call("query_metrics", JSON.createObjectNode().put("metric", "disk_usage").put("name", "db-0"));
        assertThat(r.error()).as(r.text()).isFalse();
        assertThat(r.text()).contains("data-db-0: min 90.0%");
    }

    @Test
    void rightsizeComparesRequestsAndLimitsWithUse() {
        ToolResult r = call("rightsize", JSON.createObjectNode().put("since", "3h"));
        assertThat(r.error()).as(r.text()).isFalse();
        JsonNode api = r.data().path("containers").get(0);
        assertThat(api.path("container").asText()).isEqualTo("api");
        // memory climbs to 470 MiB under a 512 MiB limit; CPU asks for a whole core and uses about a tenth
        assertThat(api.path("verdict").asText()).isEqualTo("under-provisioned");
        assertThat(api.path("reasons").toString()).contains("of its limit 512 MiB: OOM kills are likely")
                .contains("CPU request 1.00 cores but p95 use only");
        assertThat(api.path("recommended").path("limits").path("memory").asText()).isEqualTo("611Mi");   // 470 × 1.3
        assertThat(api.path("recommended").path("requests").path("memory").asText()).isEqualTo("541Mi"); // 470 × 1.15
        double cpuP95 = api.path("used").path("cpuP95").asDouble();
        assertThat(cpuP95).isBetween(0.1, 0.3);
        assertThat(api.path("recommended").path("requests").path("cpu").asText())
                .isEqualTo(Math.round(Math.ceil(cpuP95 * 1.15 * 200) / 200 * 1000) + "m");
        assertThat(r.text()).contains("propose_change with action set-resources");
        assertThat(r.citations()).extracting(c -> c.ref()).contains("metrics:prometheus:cpu_usage:shop/api/api",
                "shop/pods.json:items[1].spec.containers[0].resources"); // api-7d9cf8b4c-k8m2p, the first by name
    }

    @Test
    void aDownPrometheusIsAToolErrorTheModelCanRead() throws Exception {
        int closed;
        try (var s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        ToolRegistry down = new ToolRegistry(ClusterTools.metrics(new PrometheusMetrics(java.net.URI.create("http://127.0.0.1:" + closed)),
                Clock.systemUTC()));
        ToolResult r = down.execute(new ToolCall("c1", "query_metrics", JSON.createObjectNode().put("metric", "cpu_usage")),
                context, Redactor.standard());
        assertThat(r.error()).isTrue();
        assertThat(r.text()).contains("metrics from prometheus could not be read").contains("unreachable");
        ToolResult bad = tools.execute(new ToolCall("c2", "query_metrics", JSON.createObjectNode().put("metric", "load_average")),
                context, Redactor.standard());
        assertThat(bad.error()).isTrue();
        assertThat(bad.text()).contains("metric").contains("cpu_usage");
    }

    @Test
    void theOfflineAnalystAnswersACpuAlertWithTheFigures() {
        var engine = new io.opsagent.core.agent.ConversationEngine(new io.opsagent.core.agent.offline.OfflineAnalyst(), tools,
                SnapshotProvider.of(shop()), new io.opsagent.core.agent.InMemoryRunStore(), new io.opsagent.core.agent.InMemorySessionStore(),
                Redactor.standard(), io.opsagent.core.agent.EngineConfig.defaults(), Clock.systemUTC());
        var run = engine.askOnce("dev", "shop/api", "Alert KubeContainerMemoryNearLimit fired. Why is shop/api near its memory limit,"
                + " and are its memory requests and limits right? Start with query_metrics, rightsize, resource_usage, diagnose.",
                "alert", e -> { });
        assertThat(run.status().json()).isEqualTo("completed");
        assertThat(run.finalAnswer()).contains("Requests and limits against use (prometheus")
                .contains("**api**: under-provisioned").contains("OOM kills are likely")
                .contains("recommended: requests cpu").contains("limits memory 611Mi")
                .contains("[metrics:prometheus:memory_working_set:shop/api/api]");
    }

    private static ToolResult call(String tool, ObjectNode args) {
        return tools.execute(new ToolCall("c", tool, args), context, Redactor.standard());
    }

    /** Namespace shop: Deployment api (two current pods, 1 CPU and 512Mi limit), Deployment api-gateway, pod db-0 with a claim. */
    static ClusterSnapshot shop() {
        ClusterSnapshot.Builder b = ClusterSnapshot.builder("test");
        b.add(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build(),
                new JsonOrigin("namespaces.json", "items[0]"));
        Deployment api = new DeploymentBuilder().withNewMetadata().withName("api").withNamespace("shop").withUid("d-api").endMetadata()
                .withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("app", "api").endSelector().endSpec().build();
        b.add(api, new JsonOrigin("shop/deployments.json", "items[0]"));
        ReplicaSet rs = new ReplicaSetBuilder().withNewMetadata().withName("api-7d9cf8b4c").withNamespace("shop").withUid("rs-api")
                .addNewOwnerReference().withKind("Deployment").withName("api").withUid("d-api").withController(true).endOwnerReference()
                .addToLabels("app", "api").endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", "api").endSelector().endSpec().build();
        b.add(rs, new JsonOrigin("shop/replicasets.json", "items[0]"));
        int i = 0;
        for (String name : WorkloadMetrics.API_PODS) {
            b.add(pod(name, "rs-api", "api-7d9cf8b4c", "api", Map.of("cpu", "1", "memory", "256Mi"), Map.of("memory", "512Mi"), null),
                    new JsonOrigin("shop/pods.json", "items[" + i++ + "]"));
        }
        b.add(pod("db-0", null, null, "db", Map.of("cpu", "100m"), Map.of(), "data-db-0"), new JsonOrigin("shop/pods.json", "items[" + i + "]"));
        return b.build();
    }

    private static HasMetadata pod(String name, String ownerUid, String owner, String container, Map<String, String> requests,
                                   Map<String, String> limits, String claim) {
        PodBuilder p = new PodBuilder().withNewMetadata().withName(name).withNamespace("shop").addToLabels("app", container).endMetadata();
        if (ownerUid != null) {
            p.editMetadata().addNewOwnerReference().withKind("ReplicaSet").withName(owner).withUid(ownerUid).withController(true)
                    .endOwnerReference().endMetadata();
        }
        Map<String, Quantity> req = new java.util.HashMap<>();
        requests.forEach((k, v) -> req.put(k, new Quantity(v)));
        Map<String, Quantity> lim = new java.util.HashMap<>();
        limits.forEach((k, v) -> lim.put(k, new Quantity(v)));
        p.withNewSpec().addNewContainer().withName(container).withImage(container + ":1").withNewResources().withRequests(req)
                .withLimits(lim).endResources().endContainer().endSpec().withNewStatus().withPhase("Running").endStatus();
        if (claim != null) {
            p.editSpec().addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName(claim).endPersistentVolumeClaim()
                    .endVolume().endSpec();
        }
        Pod built = p.build();
        return built;
    }
}
