package io.opsagent.adapters.metrics;

import io.opsagent.core.metrics.Metric;
import io.opsagent.core.metrics.MetricQuery;
import io.opsagent.core.metrics.MetricsException;
import io.opsagent.core.metrics.MetricsSource;
import io.opsagent.core.metrics.Series;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;

/**
 * {@link MetricsSource} over CloudWatch Container Insights on EKS: {@code GetMetricData} on the
 * {@code ContainerInsights} namespace, dimensions {@code ClusterName}, {@code Namespace}, {@code PodName}. Container
 * Insights publishes pod-level figures, its {@code PodName} being the pod's name without the controller's suffix (a
 * Deployment's pods all count as the Deployment), so a query about a workload's pods is one series per workload,
 * labelled with that name and no container. CPU ({@code pod_cpu_usage_total}, millicores, averaged) and memory
 * ({@code pod_memory_working_set}, bytes, the maximum); throttling and volume use are not published per pod, and
 * asking for them says so.
 */
public final class ContainerInsightsMetrics implements MetricsSource {
    static final String NAMESPACE = "ContainerInsights";
    private final CloudWatchClient cloudwatch;
    private final String cluster;

    public ContainerInsightsMetrics(CloudWatchClient cloudwatch, String cluster) {
        if (cluster == null || !cluster.matches("[0-9A-Za-z][A-Za-z0-9_-]{0,99}")) {
            throw new IllegalArgumentException("'" + cluster + "' is not an EKS cluster name");
        }
        this.cloudwatch = cloudwatch;
        this.cluster = cluster;
    }

    @Override
    public String name() {
        return "container-insights";
    }

    @Override
    public List<Series> instant(MetricQuery query, Instant at) {
        List<Series> out = new ArrayList<>();
        for (Series s : range(query, at.minus(Duration.ofMinutes(5)), at, Duration.ofMinutes(1))) {
            if (!s.samples().isEmpty()) out.add(new Series(s.labels(), List.of(s.samples().get(s.samples().size() - 1))));
        }
        return out;
    }

    @Override
    public List<Series> range(MetricQuery query, Instant from, Instant to, Duration step) {
        String metric;
        String stat;
        double scale;
        switch (query.metric()) {
            case CPU_USAGE -> {
                metric = "pod_cpu_usage_total";
                stat = "Average";
                scale = 1 / 1000d; // millicores → cores
            }
            case MEMORY_WORKING_SET -> {
                metric = "pod_memory_working_set";
                stat = "Maximum";
                scale = 1;
            }
            default -> throw new MetricsException("Container Insights publishes no " + query.metric().id()
                    + " per pod; point OPSAGENT_PROMETHEUS_URL at a Prometheus that scrapes cAdvisor and the kubelet for it");
        }
        // one series per PodName: the workload (its pods' shared name) or each named pod
        Set<String> podNames = new LinkedHashSet<>();
        if (query.owner() != null) podNames.add(query.owner().name());
        else podNames.addAll(query.pods());
        int period = (int) Math.max(60, (step.getSeconds() + 59) / 60 * 60);
        List<MetricDataQuery> queries = new ArrayList<>();
        Map<String, String> ids = new LinkedHashMap<>();
        int i = 0;
        for (String pod : podNames) {
            if (queries.size() == 500) throw new MetricsException("at most 500 pods per Container Insights query");
            String id = "m" + i++;
            ids.put(id, pod);
            queries.add(MetricDataQuery.builder().id(id).returnData(true).metricStat(ms -> ms.period(period).stat(stat)
                    .metric(m -> m.namespace(NAMESPACE).metricName(metric).dimensions(
                            Dimension.builder().name("ClusterName").value(cluster).build(),
                            Dimension.builder().name("Namespace").value(query.namespace()).build(),
                            Dimension.builder().name("PodName").value(pod).build()))).build());
        }
        Map<String, List<Series.Sample>> samples = new LinkedHashMap<>();
        String token = null;
        try {
            do {
                String next = token;
                GetMetricDataResponse r = cloudwatch.getMetricData(b -> b.metricDataQueries(queries).startTime(from).endTime(to)
                        .scanBy(ScanBy.TIMESTAMP_ASCENDING).nextToken(next));
                for (MetricDataResult res : r.metricDataResults()) {
                    List<Series.Sample> into = samples.computeIfAbsent(res.id(), k -> new ArrayList<>());
                    for (int k = 0; k < res.timestamps().size(); k++) {
                        into.add(new Series.Sample(res.timestamps().get(k), res.values().get(k) * scale));
                    }
                }
                token = r.nextToken();
            } while (token != null);
        } catch (SdkException e) {
            throw new MetricsException("CloudWatch GetMetricData failed (" + e.getClass().getSimpleName() + ": "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")", e);
        }
        List<Series> out = new ArrayList<>();
        for (Map.Entry<String, String> e : ids.entrySet()) {
            List<Series.Sample> s = samples.getOrDefault(e.getKey(), List.of());
            if (s.isEmpty()) continue;
            s.sort(java.util.Comparator.comparing(Series.Sample::at));
            out.add(new Series(Map.of("namespace", query.namespace(), "pod", e.getValue(), "container", ""), s));
        }
        return out;
    }
}
