package io.opsagent.core.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Port: where metrics are read. Prometheus' HTTP API on a cluster that runs it, CloudWatch Container Insights
 * (GetMetricData) on EKS. Both answer the same {@link MetricQuery}; neither takes free text.
 */
public interface MetricsSource {
    /** Says where metrics come from, for answers and citations ({@code prometheus}, {@code container-insights}). */
    String name();

    /** The series' values at {@code at} (each series with one sample). */
    List<Series> instant(MetricQuery query, Instant at);

    /**
     * The series between {@code from} and {@code to}, one sample per {@code step}.
     *
     * @throws MetricsException when the source cannot be reached or refuses the query
     */
    List<Series> range(MetricQuery query, Instant from, Instant to, Duration step);
}
