package io.opsagent.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RightsizingTest {
    private static final double MI = 1024 * 1024d;

    private static Series.Stats stats(double... values) {
        List<Series.Sample> s = new ArrayList<>();
        for (int i = 0; i < values.length; i++) s.add(new Series.Sample(Instant.ofEpochSecond(i * 60L), values[i]));
        return new Series(Map.of(), s).stats();
    }

    private static double[] repeat(double v, int n) {
        double[] out = new double[n];
        java.util.Arrays.fill(out, v);
        return out;
    }

    @Test
    void statsUseNearestRankPercentilesAndSkipNaN() {
        double[] v = new double[101];
        for (int i = 0; i <= 100; i++) v[i] = i;
        Series.Stats s = stats(v);
        assertThat(s.count()).isEqualTo(101);
        assertThat(s.p50()).isEqualTo(50);
        assertThat(s.p95()).isEqualTo(95);
        assertThat(s.max()).isEqualTo(100);
        assertThat(s.last()).isEqualTo(100);
        assertThat(stats(1, Double.NaN, 3).count()).isEqualTo(2);
        assertThat(stats().count()).isZero();
    }

    @Test
    void overProvisionedCpuAndMemory() {
        var a = Rightsizing.advise("api", new Rightsizing.Current(2.0, null, 2048 * MI, 4096 * MI),
                stats(repeat(0.2, 30)), stats(repeat(300 * MI, 30)));
        assertThat(a.verdict()).isEqualTo("over-provisioned");
        assertThat(a.reasons()).anySatisfy(r -> assertThat(r).contains("CPU request 2.00 cores but p95 use only 200m"))
                .anySatisfy(r -> assertThat(r).contains("memory request 2.00 GiB but peak use only 300 MiB"));
        assertThat(a.cpuRequestQuantity()).isEqualTo("230m");
        assertThat(a.cpuLimitQuantity()).isNull();          // none now: adding one is not advised
        assertThat(a.memoryRequestQuantity()).isEqualTo("345Mi");
        assertThat(a.memoryLimitQuantity()).isEqualTo("390Mi");
    }

    @Test
    void underProvisionedWhenUseReachesTheLimitOrPassesTheRequest() {
        var a = Rightsizing.advise("api", new Rightsizing.Current(0.1, 0.5, 128 * MI, 256 * MI),
                stats(repeat(0.48, 30)), stats(repeat(250 * MI, 30)));
        assertThat(a.verdict()).isEqualTo("under-provisioned");
        assertThat(a.reasons()).anySatisfy(r -> assertThat(r).contains("OOM kills are likely"))
                .anySatisfy(r -> assertThat(r).contains("above its request 128 MiB"))
                .anySatisfy(r -> assertThat(r).contains("CPU p95 480m is above its request 100m"))
                .anySatisfy(r -> assertThat(r).contains("of its limit 500m: it is throttled"));
        assertThat(a.cpuLimitQuantity()).isEqualTo("580m");
    }

    @Test
    void rightSizedAndTooLittleData() {
        var ok = Rightsizing.advise("api", new Rightsizing.Current(0.25, null, 256 * MI, 384 * MI),
                stats(repeat(0.2, 30)), stats(repeat(220 * MI, 30)));
        assertThat(ok.verdict()).isEqualTo("right-sized");
        assertThat(ok.reasons()).singleElement().asString().contains("fit its requests and limits");
        var few = Rightsizing.advise("api", new Rightsizing.Current(0.25, null, 256 * MI, null), stats(0.2, 0.3), stats(repeat(MI, 30)));
        assertThat(few.verdict()).isEqualTo("insufficient data");
        assertThat(few.cpuRequest()).isNull();
    }

    @Test
    void metricNamesAndQueriesAreChecked() {
        assertThat(Metric.of("CPU_usage")).isEqualTo(Metric.CPU_USAGE);
        assertThatThrownBy(() -> Metric.of("rate(x[5m])")).hasMessageContaining("unknown metric").hasMessageContaining("disk_usage");
        assertThatThrownBy(() -> MetricQuery.pods(Metric.CPU_USAGE, "shop", List.of(), null)).hasMessageContaining("needs pods or a workload");
        assertThatThrownBy(() -> new MetricQuery.Owner("CronJob", "x")).hasMessageContaining("give the pods");
        assertThat(MetricQuery.pods(Metric.CPU_USAGE, "shop", List.of("db-0"), new MetricQuery.Owner("StatefulSet", "db")).podRegex())
                .isEqualTo("db-0|db-[0-9]{1,5}");
        assertThat(Metric.DISK_USAGE.format(0.834)).isEqualTo("83.4%");
        assertThat(Metric.MEMORY_WORKING_SET.format(3 * 1024 * MI)).isEqualTo("3.00 GiB");
    }
}
