package io.opsagent.core.tools.cluster;

import io.opsagent.core.tools.Tool;
import io.opsagent.core.tools.ToolRegistry;
import java.util.List;

/** The read tools over cluster state. No tool here changes anything. */
public final class ClusterTools {
    private ClusterTools() {
    }

    /**
     * Every read tool, in the order models are told about them. The {@code diagnose} tool asks the diagnosis of its
     * call's {@link io.opsagent.core.tools.ToolContext} (the conversation engine's one cache).
     */
    public static List<Tool> all() {
        return List.of(new WorkloadSummaryTool(), new ListPodsTool(), new DescribeTool(), new EventsTool(),
                new SearchLogsTool(), new LogPatternsTool(), new DiagnoseTool(), new DeploymentHistoryTool(),
                new ResourceUsageTool(), new ServiceEndpointsTool(), new HealthChecksTool());
    }

    /**
     * The metrics tools ({@code query_metrics}, {@code rightsize}) over {@code source}; none without one (a cluster
     * dump, a cluster whose metrics OpsAgent was not told where to read).
     */
    public static List<Tool> metrics(io.opsagent.core.metrics.MetricsSource source, java.time.Clock clock) {
        if (source == null) return List.of();
        return List.of(new QueryMetricsTool(source, clock), new RightsizeTool(source, clock));
    }

    /** A registry holding every read tool. */
    public static ToolRegistry registry() {
        return new ToolRegistry(all());
    }
}
