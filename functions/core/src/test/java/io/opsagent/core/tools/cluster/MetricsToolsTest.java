package io.opsagent.core.tools.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsagent.core.agent.Demo;
import io.opsagent.core.agent.model.ToolCall;
import io.opsagent.core.metrics.Metric;
import io.opsagent.core.metrics.MetricQuery;
import io.opsagent.core.metrics.MetricsException;
import io.opsagent.core.metrics.MetricsSource;
import io.opsagent.core.metrics.Series;
import io.opsagent.core.redact.Redactor;
import io.opsagent.core.tools.SnapshotProvider;
import io.opsagent.core.tools.ToolContext;
import io.opsagent.core.tools.ToolRegistry;
import io.opsagent.core.tools.ToolResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The metrics tools' own logic over the demo cluster, with a source that answers fixed series and records what it was
 * asked (the Prometheus and Container Insights adapters are tested against a real Prometheus and LocalStack's
 * CloudWatch in adapters/metrics): which pods and claims are queried, the figures and verdicts, and every refusal.
 */
class MetricsToolsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    private final List<MetricQuery> asked = new CopyOnWriteArrayList<>();
    private volatile RuntimeException failWith;
    private volatile int samples = 60;
    private volatile boolean podLevel;

    private final MetricsSource source = new MetricsSource() {
        @Override
        public String name() {
            return "fixed";
        }

        @Override
        public List<Series> instant(MetricQuery q, Instant at) {
            return range(q, at.minusSeconds(60), at, Duration.ofSeconds(60));
        }

        @Override
        public List<Series> range(MetricQuery q, Instant from, Instant to, Duration step) {
            asked.add(q);
            if (failWith != null) throw failWith;
            if (q.metric() == Metric.DISK_USAGE) {
                return List.of(series(Map.of("persistentvolumeclaim", q.pvc()), 0.93));
            }
            List<Series> out = new ArrayList<>();
            for (String pod : q.pods()) {
                double v = q.metric() == Metric.CPU_USAGE ? 0.05 : 300 * 1024 * 1024d;
                out.add(series(Map.of("pod", pod, "container", podLevel ? "" : pod.split("-")[0]), v));
            }
            return out;
        }

        private Series series(Map<String, String> labels, double v) {
            List<Series.Sample> s = new ArrayList<>();
            for (int i = 0; i < samples; i++) s.add(new Series.Sample(NOW.minusSeconds(60L * (samples - i)), v));
            return new Series(labels, s);
        }
    };

    private ToolResult call(String tool, String ns, String name, String json) throws Exception {
        ToolRegistry tools = new ToolRegistry(ClusterTools.metrics(source, Clock.fixed(NOW, ZoneOffset.UTC)));
        ObjectNode args = (ObjectNode) JSON.readTree(json);
        return tools.execute(new ToolCall("c", tool, args), new ToolContext("r", "dev", ns, name, SnapshotProvider.of(Demo.snapshot())),
                Redactor.standard());
    }

    @Test
    void queryMetricsAsksForTheWorkloadsPodsAndItsEarlierOnes() throws Exception {
        ToolResult r = call("query_metrics", "shop", "cart", "{\"metric\":\"cpu_usage\",\"since\":\"2h\"}");
        assertThat(r.error()).as(r.text()).isFalse();
        MetricQuery q = asked.get(0);
        assertThat(q.namespace()).isEqualTo("shop");
        assertThat(q.pods()).containsExactlyInAnyOrder("cart-qlv86ccrzc-2dtmb", "cart-qlv86ccrzc-2s9qw");
        assertThat(q.owner()).isEqualTo(new MetricQuery.Owner("Deployment", "cart"));
        assertThat(r.text()).contains("cpu_usage of Deployment shop/cart from fixed").contains("p95 50m").contains("(60 samples)");
        assertThat(r.citations()).extracting(c -> c.ref()).contains("metrics:fixed:cpu_usage:shop/cart-qlv86ccrzc-2dtmb/cart");
    }

    @Test
    void diskUsageReadsTheClaimsThePodsMount() throws Exception {
        ToolResult r = call("query_metrics", "data", "redis", "{\"metric\":\"disk_usage\"}");
        assertThat(r.error()).as(r.text()).isFalse();
        assertThat(asked).extracting(MetricQuery::pvc).containsExactly("data-redis-0", "data-redis-1", "data-redis-2");
        assertThat(r.text()).contains("data-redis-0: min 93.0%");
        ToolResult none = call("query_metrics", "shop", "cart", "{\"metric\":\"disk_usage\"}");
        assertThat(none.error()).isTrue();
        assertThat(none.text()).contains("mount no PersistentVolumeClaim");
    }

    @Test
    void rightsizeGivesAVerdictAndRecommendedValues() throws Exception {
        ToolResult r = call("rightsize", "shop", "cart", "{}");
        assertThat(r.error()).as(r.text()).isFalse();
        var c = r.data().path("containers").get(0);
        assertThat(c.path("container").asText()).isEqualTo("cart");
        assertThat(c.path("recommended").path("requests").path("memory").asText()).isEqualTo("345Mi");
        assertThat(c.path("recommended").path("requests").path("cpu").asText()).isEqualTo("60m");
        assertThat(c.path("verdict").asText()).isIn("under-provisioned", "over-provisioned", "right-sized");
        assertThat(r.citations()).extracting(x -> x.ref()).anyMatch(x -> x.startsWith("shop/pods.json:items["));
    }

    @Test
    void podLevelFiguresCountForTheOnlyContainer() throws Exception {
        podLevel = true;
        ToolResult r = call("rightsize", "shop", "cart", "{}");
        assertThat(r.data().path("containers").get(0).path("used").path("cpuSamples").asInt()).isEqualTo(120);
    }

    @Test
    void tooFewSamplesIsSaidNotGuessed() throws Exception {
        samples = 3;
        ToolResult r = call("rightsize", "shop", "cart", "{}");
        assertThat(r.data().path("containers").get(0).path("verdict").asText()).isEqualTo("insufficient data");
        assertThat(r.text()).doesNotContain("recommended:");
    }

    @Test
    void refusalsAreToolErrorsTheModelCanRead() throws Exception {
        assertThat(call("rightsize", "shop", "*", "{}").text()).contains("rightsize needs one workload");
        assertThat(call("query_metrics", "shop", "cart", "{\"metric\":\"cpu_usage\",\"since\":\"10:00\",\"until\":\"09:00\"}").text())
                .contains("must be before until");
        assertThat(call("query_metrics", "shop", "cart", "{\"metric\":\"cpu_usage\",\"since\":\"40d\"}").text())
                .contains("at most 31 days");
        assertThat(call("query_metrics", "shop", "cart", "{\"metric\":\"load\"}").text()).contains("metric");
        failWith = new MetricsException("Prometheus at http://x is unreachable (ConnectException)");
        ToolResult down = call("query_metrics", "shop", "cart", "{\"metric\":\"memory_working_set\"}");
        assertThat(down.error()).isTrue();
        assertThat(down.text()).contains("metrics from fixed could not be read: Prometheus at http://x is unreachable");
        assertThat(call("rightsize", "shop", "cart", "{}").text()).contains("could not be read");
        failWith = null;
        samples = 0;
        assertThat(call("query_metrics", "shop", "cart", "{\"metric\":\"cpu_throttling\"}").text()).contains("No samples");
        assertThat(ClusterTools.metrics(null, Clock.systemUTC())).isEmpty();
    }
}
