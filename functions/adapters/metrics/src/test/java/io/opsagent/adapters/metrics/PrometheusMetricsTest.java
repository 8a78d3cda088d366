package io.opsagent.adapters.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.opsagent.core.metrics.Metric;
import io.opsagent.core.metrics.MetricQuery;
import io.opsagent.core.metrics.MetricsException;
import io.opsagent.core.metrics.Series;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PrometheusMetrics} against a real Prometheus over {@link WorkloadMetrics}' generated data. */
class PrometheusMetricsTest {
    @TempDir
    static Path work;
    static LocalPrometheus prometheus;
    static Instant end;
    static PrometheusMetrics metrics;
    static final MetricQuery.Owner API = new MetricQuery.Owner("Deployment", "api");

    @BeforeAll
    static void start() throws Exception {
        end = Instant.now().minusSeconds(60);
        prometheus = LocalPrometheus.start(work, WorkloadMetrics.openMetrics(end, 3));
        metrics = new PrometheusMetrics(prometheus.uri());
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) prometheus.close();
    }

    @Test
    void cpuOfAWorkloadCountsItsEarlierPodsAndNotAWorkloadWhoseNameStartsTheSame() {
        List<Series> s = metrics.range(MetricQuery.pods(Metric.CPU_USAGE, "shop", WorkloadMetrics.API_PODS, API),
                end.minus(Duration.ofHours(3)), end, Duration.ofMinutes(1));
        Set<String> pods = s.stream().map(x -> x.label("pod")).collect(Collectors.toSet());
        assertThat(pods).containsExactlyInAnyOrder("api-7d9cf8b4c-x2x4z", "api-7d9cf8b4c-k8m2p", WorkloadMetrics.OLD_API_POD);
        assertThat(s).allSatisfy(x -> assertThat(x.label("container")).isEqualTo("api"));
        Series current = s.stream().filter(x -> x.label("pod").equals("api-7d9cf8b4c-x2x4z")).findFirst().orElseThrow();
        Series.Stats st = current.stats();
        assertThat(st.count()).isGreaterThan(150);
        // rate()[5m] over a counter that grows at 0.10/s, with a 0.30/s minute in every ten: 0.12 on average
        assertThat(st.mean()).isCloseTo(WorkloadMetrics.API_CPU + (WorkloadMetrics.API_CPU_SPIKE - WorkloadMetrics.API_CPU) / 10, within(0.02));
        assertThat(st.max()).isLessThan(WorkloadMetrics.API_CPU_SPIKE).isGreaterThan(WorkloadMetrics.API_CPU);
        assertThat(st.max()).isLessThan(WorkloadMetrics.GATEWAY_CPU / 2);
    }

    @Test
    void onlyTheNamedPodsWithoutAnOwner() {
        List<Series> s = metrics.range(MetricQuery.pods(Metric.CPU_USAGE, "shop", List.of(WorkloadMetrics.GATEWAY_POD), null),
                end.minus(Duration.ofMinutes(30)), end, Duration.ofMinutes(1));
        assertThat(s).singleElement().satisfies(x -> {
            assertThat(x.label("pod")).isEqualTo(WorkloadMetrics.GATEWAY_POD);
            assertThat(x.stats().p50()).isCloseTo(WorkloadMetrics.GATEWAY_CPU, within(0.01));
        });
    }

    @Test
    void memoryAtAnInstantIsTheGaugeAsWritten() {
        List<Series> s = metrics.instant(MetricQuery.pods(Metric.MEMORY_WORKING_SET, "shop", WorkloadMetrics.API_PODS, null), end);
        assertThat(s).hasSize(2).allSatisfy(x -> {
            assertThat(x.samples()).hasSize(1);
            assertThat(x.samples().get(0).value()).isCloseTo(WorkloadMetrics.API_MEM_PEAK, within(1e6));
        });
    }

    @Test
    void throttlingIsTheShareOfThrottledPeriods() {
        List<Series> s = metrics.range(MetricQuery.pods(Metric.CPU_THROTTLING, "shop", WorkloadMetrics.API_PODS, API),
                end.minus(Duration.ofHours(1)), end, Duration.ofMinutes(5));
        assertThat(s).hasSize(2).allSatisfy(x -> assertThat(x.stats().mean()).isCloseTo(WorkloadMetrics.API_THROTTLED, within(0.001)));
    }

    @Test
    void diskUsageIsUsedOverCapacity() {
        List<Series> s = metrics.instant(MetricQuery.volume("shop", "data-db-0"), end);
        assertThat(s).singleElement().satisfies(x -> {
            assertThat(x.label("persistentvolumeclaim")).isEqualTo("data-db-0");
            assertThat(x.samples().get(0).value()).isCloseTo(WorkloadMetrics.DISK_USED / WorkloadMetrics.DISK_CAPACITY, within(1e-9));
        });
        assertThat(metrics.instant(MetricQuery.volume("shop", "no-such-claim"), end)).isEmpty();
    }

    @Test
    void aNamespaceWithoutDataAnswersNoSeries() {
        assertThat(metrics.range(MetricQuery.pods(Metric.CPU_USAGE, "other", List.of("api-7d9cf8b4c-x2x4z"), null),
                end.minus(Duration.ofHours(1)), end, Duration.ofMinutes(1))).isEmpty();
    }

    @Test
    void prometheusRefusalsAndOutagesAreClearErrors() throws Exception {
        // a range Prometheus refuses: more than 11,000 points per series
        assertThatThrownBy(() -> metrics.range(MetricQuery.pods(Metric.CPU_USAGE, "shop", WorkloadMetrics.API_PODS, null),
                end.minus(Duration.ofDays(30)), end, Duration.ofSeconds(15)))
                .isInstanceOf(MetricsException.class).hasMessageContaining("HTTP 400").hasMessageContaining("bad_data")
                .hasMessageContaining("11,000 points");
        // not Prometheus' API at all
        PrometheusMetrics wrong = new PrometheusMetrics(prometheus.uri().resolve("/nothing-here/"));
        assertThatThrownBy(() -> wrong.instant(MetricQuery.volume("shop", "data-db-0"), end))
                .isInstanceOf(MetricsException.class).hasMessageContaining("HTTP 404");
        int closed;
        try (var s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        PrometheusMetrics down = new PrometheusMetrics(URI.create("http://127.0.0.1:" + closed));
        assertThatThrownBy(() -> down.instant(MetricQuery.volume("shop", "data-db-0"), end))
                .isInstanceOf(MetricsException.class).hasMessageContaining("unreachable").hasMessageContaining("127.0.0.1:" + closed);
    }

    @Test
    void theQueriesAreTheTemplatesFilledWithCheckedNamesOnly() {
        PromQl q = PromQl.standard();
        assertThat(q.render(MetricQuery.pods(Metric.MEMORY_WORKING_SET, "shop", List.of("web.v2-0"), API)))
                .isEqualTo("max by (pod, container) (container_memory_working_set_bytes{namespace=\"shop\", "
                        + "pod=~\"web\\\\.v2-0|api-[a-z0-9]{1,10}-[a-z0-9]{5}\", container!=\"\", container!=\"POD\"})");
        assertThatThrownBy(() -> MetricQuery.pods(Metric.CPU_USAGE, "shop\"} or vector(1) #", List.of("a"), null))
                .isInstanceOf(MetricsException.class).hasMessageContaining("not a Kubernetes namespace name");
        assertThatThrownBy(() -> MetricQuery.pods(Metric.CPU_USAGE, "shop", List.of("a.*"), null))
                .isInstanceOf(MetricsException.class).hasMessageContaining("'a.*' is not a pod name");
        assertThatThrownBy(() -> MetricQuery.volume("shop", "x\"}"))
                .isInstanceOf(MetricsException.class).hasMessageContaining("PersistentVolumeClaim");
    }
}
