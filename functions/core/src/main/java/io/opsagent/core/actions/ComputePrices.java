package io.opsagent.core.actions;

/**
 * What a change of requested CPU and memory costs a month, by a documented price table: AWS Fargate's on-demand
 * Linux/x86 prices in us-east-1 ($0.04048 per vCPU-hour, $0.004445 per GB-hour), 730 hours a month. Requests, not
 * usage, are what a cluster reserves; on EC2 nodes the real figure depends on packing, so this is a guide
 * ("about +$15/month"), not a bill.
 */
public record ComputePrices(double perVcpuHour, double perGibHour, String name) {
    public static final ComputePrices FARGATE_US_EAST_1 = new ComputePrices(0.04048, 0.004445,
            "Fargate on-demand, us-east-1 ($0.04048/vCPU-h, $0.004445/GB-h, 730 h/month)");
    public static final double HOURS_PER_MONTH = 730;

    /** The monthly cost of {@code cpu} cores and {@code memoryGib} GiB held for a month. */
    public double perMonth(double cpu, double memoryGib) {
        return (cpu * perVcpuHour + memoryGib * perGibHour) * HOURS_PER_MONTH;
    }
}
