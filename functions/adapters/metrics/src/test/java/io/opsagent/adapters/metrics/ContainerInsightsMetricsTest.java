package io.opsagent.adapters.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.opsagent.adapters.stepfunctions.LocalStack;
import io.opsagent.core.metrics.Metric;
import io.opsagent.core.metrics.MetricQuery;
import io.opsagent.core.metrics.MetricsException;
import io.opsagent.core.metrics.Series;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;

/**
 * {@link ContainerInsightsMetrics} with the real SDK against LocalStack's CloudWatch: the figures Container Insights
 * would publish (ClusterName, Namespace, PodName; millicores and bytes) are put, and read back as the tools read them.
 */
class ContainerInsightsMetricsTest {
    static CloudWatchClient cloudwatch;
    static String cluster;
    static Instant end;

    @BeforeAll
    static void put() {
        LocalStack ls = LocalStack.ensure(LocalStack.checkoutRoot(), LocalStack.testPort());
        cloudwatch = CloudWatchClient.builder().endpointOverride(URI.create(ls.endpoint().toString())).region(LocalStack.REGION)
                .credentialsProvider(LocalStack.CREDS)
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).build();
        cluster = "eks-" + UUID.randomUUID().toString().substring(0, 8);
        end = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        List<MetricDatum> data = new ArrayList<>();
        for (int m = 1; m <= 30; m++) {
            Instant t = end.minus(Duration.ofMinutes(m));
            data.add(datum("pod_cpu_usage_total", "api", t, m % 10 == 0 ? 300 : 100));
            data.add(datum("pod_memory_working_set", "api", t, (200 + 8 * (30 - m)) * 1024 * 1024d));
            // (not "api-gateway": LocalStack's CloudWatch matches a dimension value as a prefix, CloudWatch exactly)
            data.add(datum("pod_cpu_usage_total", "gateway", t, 2500));
        }
        for (int i = 0; i < data.size(); i += 20) {
            List<MetricDatum> batch = data.subList(i, Math.min(data.size(), i + 20));
            cloudwatch.putMetricData(r -> r.namespace("ContainerInsights").metricData(batch));
        }
    }

    private static MetricDatum datum(String metric, String pod, Instant t, double value) {
        return MetricDatum.builder().metricName(metric).timestamp(t).value(value).dimensions(
                Dimension.builder().name("ClusterName").value(cluster).build(),
                Dimension.builder().name("Namespace").value("shop").build(),
                Dimension.builder().name("PodName").value(pod).build()).build();
    }

    @Test
    void cpuAndMemoryOfAWorkloadInItsUnits() {
        ContainerInsightsMetrics ci = new ContainerInsightsMetrics(cloudwatch, cluster);
        MetricQuery.Owner api = new MetricQuery.Owner("Deployment", "api");
        List<Series> cpu = ci.range(MetricQuery.pods(Metric.CPU_USAGE, "shop", List.of("api-7d9cf8b4c-x2x4z"), api),
                end.minus(Duration.ofMinutes(31)), end, Duration.ofMinutes(1));
        assertThat(cpu).singleElement().satisfies(s -> {
            assertThat(s.label("pod")).isEqualTo("api");
            assertThat(s.label("container")).isEmpty();
            Series.Stats st = s.stats();
            assertThat(st.count()).isEqualTo(30);
            assertThat(st.p50()).isCloseTo(0.1, within(1e-9));  // 100 millicores
            assertThat(st.max()).isCloseTo(0.3, within(1e-9));
            assertThat(s.samples().get(0).at()).isBefore(s.samples().get(29).at());
        });
        List<Series> mem = ci.range(MetricQuery.pods(Metric.MEMORY_WORKING_SET, "shop", List.of(), api),
                end.minus(Duration.ofMinutes(31)), end, Duration.ofMinutes(1));
        assertThat(mem.get(0).stats().max()).isCloseTo(432 * 1024 * 1024d, within(1.0));
        List<Series> last = ci.instant(MetricQuery.pods(Metric.MEMORY_WORKING_SET, "shop", List.of(), api), end);
        assertThat(last.get(0).samples()).singleElement().satisfies(x -> assertThat(x.value()).isCloseTo(432 * 1024 * 1024d, within(1.0)));
        // another cluster's, another namespace's: nothing
        assertThat(new ContainerInsightsMetrics(cloudwatch, cluster + "-other").range(MetricQuery.pods(Metric.CPU_USAGE, "shop",
                List.of(), api), end.minus(Duration.ofMinutes(31)), end, Duration.ofMinutes(1))).isEmpty();
    }

    @Test
    void whatContainerInsightsDoesNotPublishIsSaid() {
        ContainerInsightsMetrics ci = new ContainerInsightsMetrics(cloudwatch, cluster);
        assertThatThrownBy(() -> ci.range(MetricQuery.volume("shop", "data-db-0"), end.minusSeconds(600), end, Duration.ofMinutes(1)))
                .isInstanceOf(MetricsException.class).hasMessageContaining("publishes no disk_usage per pod")
                .hasMessageContaining("OPSAGENT_PROMETHEUS_URL");
        assertThatThrownBy(() -> new ContainerInsightsMetrics(cloudwatch, "bad name!")).hasMessageContaining("not an EKS cluster name");
        CloudWatchClient nowhere = CloudWatchClient.builder().endpointOverride(URI.create("http://127.0.0.1:9")).region(LocalStack.REGION)
                .credentialsProvider(LocalStack.CREDS)
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(software.amazon.awssdk.core.retry.RetryMode.STANDARD)
                        .apiCallTimeout(Duration.ofSeconds(5))).build();
        assertThatThrownBy(() -> new ContainerInsightsMetrics(nowhere, cluster).range(MetricQuery.pods(Metric.CPU_USAGE, "shop",
                List.of("api-0"), null), end.minusSeconds(600), end, Duration.ofMinutes(1)))
                .isInstanceOf(MetricsException.class).hasMessageContaining("CloudWatch GetMetricData failed");
    }
}
