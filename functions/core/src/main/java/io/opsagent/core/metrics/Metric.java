package io.opsagent.core.metrics;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The metrics OpsAgent reads: a fixed catalogue, so that a query is always one of these templates filled with
 * validated names ({@link MetricQuery}), never free text from an alert or a model.
 */
public enum Metric {
    /** CPU used per container, in cores (cAdvisor's usage counter as a rate; Container Insights' container CPU). */
    CPU_USAGE("cpu_usage", "cores"),
    /** Share of CPU periods in which a container was throttled (0..1). */
    CPU_THROTTLING("cpu_throttling", "ratio"),
    /** Memory working set per container, in bytes: what the OOM killer and limits compare against. */
    MEMORY_WORKING_SET("memory_working_set", "bytes"),
    /** Used share of a PersistentVolumeClaim (0..1), from the kubelet's volume statistics. */
    DISK_USAGE("disk_usage", "ratio");

    private final String id;
    private final String unit;

    Metric(String id, String unit) {
        this.id = id;
        this.unit = unit;
    }

    /** The name tools and templates use ({@code cpu_usage}). */
    public String id() {
        return id;
    }

    /** {@code cores}, {@code bytes} or {@code ratio}. */
    public String unit() {
        return unit;
    }

    /** Every id, for schemas and messages. */
    public static String[] ids() {
        return Arrays.stream(values()).map(Metric::id).toArray(String[]::new);
    }

    /** The metric named {@code id}; throws naming the known ones. */
    public static Metric of(String id) {
        String s = id == null ? "" : id.strip().toLowerCase(Locale.ROOT);
        for (Metric m : values()) if (m.id.equals(s)) return m;
        throw new MetricsException("unknown metric '" + id + "'; known: "
                + Arrays.stream(values()).map(Metric::id).collect(Collectors.joining(", ")));
    }

    /** {@code v} in this metric's unit, for people: {@code 0.25 cores}, {@code 512 MiB}, {@code 83%}. */
    public String format(double v) {
        return switch (unit) {
            case "cores" -> v >= 1 ? String.format(Locale.ROOT, "%.2f cores", v) : Math.round(v * 1000) + "m";
            case "bytes" -> bytes(v);
            default -> String.format(Locale.ROOT, "%.1f%%", v * 100);
        };
    }

    static String bytes(double v) {
        if (v >= 1024d * 1024 * 1024) return String.format(Locale.ROOT, "%.2f GiB", v / (1024d * 1024 * 1024));
        if (v >= 1024d * 1024) return String.format(Locale.ROOT, "%.0f MiB", v / (1024d * 1024));
        if (v >= 1024) return String.format(Locale.ROOT, "%.0f KiB", v / 1024);
        return String.format(Locale.ROOT, "%.0f B", v);
    }
}
