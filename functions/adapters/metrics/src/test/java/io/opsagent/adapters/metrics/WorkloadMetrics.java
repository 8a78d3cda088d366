package io.opsagent.adapters.metrics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

/**
 * Generated metrics of a small namespace {@code shop}, as OpenMetrics text, with the series names cAdvisor and the
 * kubelet export. Known shapes, so tests can check the figures Prometheus computes from them:
 * <ul>
 *   <li>Deployment {@code api}: pods {@code api-7d9cf8b4c-x2x4z} and {@code api-7d9cf8b4c-k8m2p} (the whole window)
 *       and {@code api-5f6d7c8b9-abcde} (an earlier rollout: the first hour only). Container {@code api} uses
 *       {@link #API_CPU} cores, but {@link #API_CPU_SPIKE} every 10th minute; its working set climbs from
 *       {@link #API_MEM_START} to {@link #API_MEM_PEAK} bytes. Throttled in {@link #API_THROTTLED} of its periods.</li>
 *   <li>Deployment {@code api-gateway}: one pod using {@link #GATEWAY_CPU} cores, which must never count as {@code api}'s.</li>
 *   <li>PersistentVolumeClaim {@code data-db-0}: {@link #DISK_USED} of {@link #DISK_CAPACITY} bytes.</li>
 * </ul>
 */
final class WorkloadMetrics {
    static final double API_CPU = 0.10;
    static final double API_CPU_SPIKE = 0.30;
    static final double GATEWAY_CPU = 2.5;
    static final double API_MEM_START = 200 * 1024 * 1024d;
    static final double API_MEM_PEAK = 470 * 1024 * 1024d;
    static final double API_THROTTLED = 0.25;
    static final double DISK_USED = 9.0e9;
    static final double DISK_CAPACITY = 10.0e9;
    static final List<String> API_PODS = List.of("api-7d9cf8b4c-x2x4z", "api-7d9cf8b4c-k8m2p");
    static final String OLD_API_POD = "api-5f6d7c8b9-abcde";
    static final String GATEWAY_POD = "api-gateway-6b7c8d9f4-qwert";
    /** Seconds between samples. */
    static final int STEP = 30;

    private WorkloadMetrics() {
    }

    /** The last {@code hours} hours up to {@code end}, one sample every {@link #STEP} seconds. */
    static String openMetrics(Instant end, int hours) {
        long to = end.getEpochSecond();
        long from = to - hours * 3600L;
        StringBuilder sb = new StringBuilder();
        family(sb, "container_cpu_usage_seconds_total", "counter");
        List<String> all = new ArrayList<>(API_PODS);
        all.add(OLD_API_POD);
        for (String pod : all) {
            long until = pod.equals(OLD_API_POD) ? from + 3600 : to;
            counter(sb, "container_cpu_usage_seconds_total", labels(pod, "api"), from, until,
                    t -> ((t - from) / 60) % 10 == 0 ? API_CPU_SPIKE : API_CPU);
        }
        counter(sb, "container_cpu_usage_seconds_total", labels(GATEWAY_POD, "gateway"), from, to, t -> GATEWAY_CPU);
        family(sb, "container_cpu_cfs_periods_total", "counter");
        for (String pod : API_PODS) counter(sb, "container_cpu_cfs_periods_total", labels(pod, "api"), from, to, t -> 10);
        family(sb, "container_cpu_cfs_throttled_periods_total", "counter");
        for (String pod : API_PODS) {
            counter(sb, "container_cpu_cfs_throttled_periods_total", labels(pod, "api"), from, to, t -> 10 * API_THROTTLED);
        }
        family(sb, "container_memory_working_set_bytes", "gauge");
        for (String pod : API_PODS) {
            gauge(sb, "container_memory_working_set_bytes", labels(pod, "api"), from, to,
                    t -> API_MEM_START + (API_MEM_PEAK - API_MEM_START) * (t - from) / (double) (to - from));
        }
        gauge(sb, "container_memory_working_set_bytes", labels(GATEWAY_POD, "gateway"), from, to, t -> 3e9);
        String pvc = "namespace=\"shop\",persistentvolumeclaim=\"data-db-0\"";
        family(sb, "kubelet_volume_stats_used_bytes", "gauge");
        gauge(sb, "kubelet_volume_stats_used_bytes", pvc, from, to, t -> DISK_USED);
        family(sb, "kubelet_volume_stats_capacity_bytes", "gauge");
        gauge(sb, "kubelet_volume_stats_capacity_bytes", pvc, from, to, t -> DISK_CAPACITY);
        sb.append("# EOF\n");
        return sb.toString();
    }

    private static String labels(String pod, String container) {
        return "namespace=\"shop\",pod=\"" + pod + "\",container=\"" + container + "\"";
    }

    private static void family(StringBuilder sb, String name, String type) {
        sb.append("# TYPE ").append(name.replace("_total", "")).append(' ').append(type).append('\n');
    }

    /** A counter growing at {@code rate(t)} per second. */
    private static void counter(StringBuilder sb, String name, String labels, long from, long to, DoubleUnaryOperator rate) {
        double v = 0;
        for (long t = from; t <= to; t += STEP) {
            sb.append(name).append('{').append(labels).append("} ").append(String.format(Locale.ROOT, "%.3f", v))
                    .append(' ').append(t).append('\n');
            v += rate.applyAsDouble(t) * STEP;
        }
    }

    private static void gauge(StringBuilder sb, String name, String labels, long from, long to, DoubleUnaryOperator value) {
        for (long t = from; t <= to; t += STEP) {
            sb.append(name).append('{').append(labels).append("} ").append(String.format(Locale.ROOT, "%.1f", value.applyAsDouble(t)))
                    .append(' ').append(t).append('\n');
        }
    }
}
