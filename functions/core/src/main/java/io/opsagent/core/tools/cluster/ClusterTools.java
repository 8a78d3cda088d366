package io.opsagent.core.tools.cluster;

import io.opsagent.core.diagnosis.DiagnosisEngine;
import io.opsagent.core.tools.Tool;
import io.opsagent.core.tools.ToolRegistry;
import java.util.List;

/** The read tools over cluster state. No tool here changes anything. */
public final class ClusterTools {
    private ClusterTools() {
    }

    /** Every read tool, in the order models are told about them. */
    public static List<Tool> all(DiagnosisEngine engine) {
        return all(new CachingDiagnosis(engine));
    }

    /** Every read tool, diagnosing through {@code diagnosis}. */
    public static List<Tool> all(CachingDiagnosis diagnosis) {
        return List.of(new WorkloadSummaryTool(), new ListPodsTool(), new DescribeTool(), new EventsTool(),
                new SearchLogsTool(), new LogPatternsTool(), new DiagnoseTool(diagnosis), new DeploymentHistoryTool(),
                new ResourceUsageTool(), new ServiceEndpointsTool(), new HealthChecksTool());
    }

    /** A registry holding every read tool, sharing {@link CachingDiagnosis#shared()}. */
    public static ToolRegistry registry() {
        return new ToolRegistry(all(CachingDiagnosis.shared()));
    }
}
