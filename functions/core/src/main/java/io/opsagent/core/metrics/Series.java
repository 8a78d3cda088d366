package io.opsagent.core.metrics;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One time series a query answered: its labels ({@code pod}, {@code container}, {@code persistentvolumeclaim}) and
 * its samples, oldest first.
 */
public record Series(Map<String, String> labels, List<Sample> samples) {
    /** One value at one time. */
    public record Sample(Instant at, double value) {
    }

    public Series {
        labels = Map.copyOf(labels);
        samples = List.copyOf(samples);
    }

    /** The label's value, or "" when absent. */
    public String label(String name) {
        return labels.getOrDefault(name, "");
    }

    /** min, mean, p50, p95, max and last of the finite values; {@link Stats#EMPTY} without any. */
    public Stats stats() {
        double[] v = samples.stream().mapToDouble(Sample::value).filter(Double::isFinite).toArray();
        if (v.length == 0) return Stats.EMPTY;
        double last = v[v.length - 1];
        Arrays.sort(v);
        double sum = 0;
        for (double x : v) sum += x;
        return new Stats(v.length, v[0], sum / v.length, percentile(v, 0.50), percentile(v, 0.95), v[v.length - 1], last);
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** Summary figures of a series. */
    public record Stats(int count, double min, double mean, double p50, double p95, double max, double last) {
        public static final Stats EMPTY = new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
}
