package io.opsagent.core.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Requests and limits against observed usage: what a container asks for, what it used over a window, and what it
 * should ask for. The rules (headroom over the observed figures, the thresholds for "too much" and "too little") are
 * the usual ones of vertical rightsizing: CPU request at p95 + 15%, memory request at the peak + 15%, memory limit
 * at the peak + 30%, a CPU limit only where one was set (at the peak + 20%).
 */
public final class Rightsizing {
    /** Fewest samples of each of CPU and memory before advice is given. */
    public static final int MIN_SAMPLES = 10;
    private static final double MI = 1024d * 1024;

    /** What the container asks for now (cores, bytes); null where it sets nothing. */
    public record Current(Double cpuRequest, Double cpuLimit, Double memoryRequest, Double memoryLimit) {
    }

    /**
     * The advice for one container.
     *
     * @param verdict {@code under-provisioned}, {@code over-provisioned}, {@code right-sized} or {@code insufficient data}
     * @param reasons the figures behind the verdict, one sentence each
     * @param cpuRequest recommended CPU request (cores), memoryRequest and memoryLimit (bytes); cpuLimit null when the
     *                   container sets none now (adding one is not advised: it throttles)
     */
    public record Advice(String container, String verdict, List<String> reasons, Double cpuRequest, Double cpuLimit,
                         Double memoryRequest, Double memoryLimit) {
        /** The recommended values as Kubernetes quantities ({@code 250m}, {@code 512Mi}), null where none. */
        public String cpuRequestQuantity() {
            return cores(cpuRequest);
        }

        public String cpuLimitQuantity() {
            return cores(cpuLimit);
        }

        public String memoryRequestQuantity() {
            return mebibytes(memoryRequest);
        }

        public String memoryLimitQuantity() {
            return mebibytes(memoryLimit);
        }
    }

    private Rightsizing() {
    }

    /** The advice for {@code container}, from its CPU usage (cores) and memory working set (bytes) over a window. */
    public static Advice advise(String container, Current now, Series.Stats cpu, Series.Stats memory) {
        if (cpu.count() < MIN_SAMPLES || memory.count() < MIN_SAMPLES) {
            return new Advice(container, "insufficient data", List.of("only " + cpu.count() + " CPU and " + memory.count()
                    + " memory samples in the window; at least " + MIN_SAMPLES + " of each are needed"), null, null, null, null);
        }
        double cpuReq = Math.max(0.01, Math.ceil(cpu.p95() * 1.15 * 200) / 200);   // 5m steps
        double memReq = Math.max(16 * MI, Math.ceil(memory.max() * 1.15 / MI) * MI);
        double memLim = Math.max(memReq, Math.ceil(memory.max() * 1.30 / MI) * MI);
        Double cpuLim = now.cpuLimit() == null ? null : Math.max(cpuReq, Math.ceil(cpu.max() * 1.20 * 200) / 200);
        List<String> under = new ArrayList<>();
        List<String> over = new ArrayList<>();
        if (now.memoryLimit() != null && memory.max() >= 0.9 * now.memoryLimit()) {
            under.add("memory peaked at " + Metric.bytes(memory.max()) + ", " + pct(memory.max() / now.memoryLimit())
                    + " of its limit " + Metric.bytes(now.memoryLimit()) + ": OOM kills are likely");
        }
        if (now.memoryRequest() != null && memory.max() > now.memoryRequest()) {
            under.add("memory peaked at " + Metric.bytes(memory.max()) + ", above its request " + Metric.bytes(now.memoryRequest()));
        }
        if (now.memoryRequest() == null) under.add("no memory request: the scheduler reserves nothing for it");
        if (now.cpuRequest() != null && cpu.p95() > now.cpuRequest()) {
            under.add("CPU p95 " + Metric.CPU_USAGE.format(cpu.p95()) + " is above its request " + Metric.CPU_USAGE.format(now.cpuRequest()));
        }
        if (now.cpuLimit() != null && cpu.max() >= 0.9 * now.cpuLimit()) {
            under.add("CPU peaked at " + Metric.CPU_USAGE.format(cpu.max()) + ", " + pct(cpu.max() / now.cpuLimit())
                    + " of its limit " + Metric.CPU_USAGE.format(now.cpuLimit()) + ": it is throttled");
        }
        if (now.cpuRequest() == null) under.add("no CPU request: it gets CPU only when nobody else wants it");
        if (now.cpuRequest() != null && now.cpuRequest() > 2 * cpuReq && now.cpuRequest() - cpuReq >= 0.05) {
            over.add("CPU request " + Metric.CPU_USAGE.format(now.cpuRequest()) + " but p95 use only "
                    + Metric.CPU_USAGE.format(cpu.p95()));
        }
        if (now.memoryRequest() != null && now.memoryRequest() > 2 * memReq && now.memoryRequest() - memReq >= 64 * MI) {
            over.add("memory request " + Metric.bytes(now.memoryRequest()) + " but peak use only " + Metric.bytes(memory.max()));
        }
        String verdict = !under.isEmpty() ? "under-provisioned" : !over.isEmpty() ? "over-provisioned" : "right-sized";
        List<String> reasons = new ArrayList<>(under);
        reasons.addAll(over);
        if (reasons.isEmpty()) {
            reasons.add("CPU p95 " + Metric.CPU_USAGE.format(cpu.p95()) + " and memory peak " + Metric.bytes(memory.max())
                    + " fit its requests and limits");
        }
        return new Advice(container, verdict, List.copyOf(reasons), cpuReq, cpuLim, memReq, memLim);
    }

    private static String pct(double r) {
        return String.format(Locale.ROOT, "%.0f%%", r * 100);
    }

    static String cores(Double v) {
        return v == null ? null : Math.round(v * 1000) + "m";
    }

    static String mebibytes(Double v) {
        return v == null ? null : Math.round(v / MI) + "Mi";
    }
}
