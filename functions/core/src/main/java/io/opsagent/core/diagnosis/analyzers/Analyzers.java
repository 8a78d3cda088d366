package io.opsagent.core.diagnosis.analyzers;

import io.opsagent.core.diagnosis.Analyzer;
import java.util.List;

/** The registry: every analyzer the engine runs, one per failure mode. */
public final class Analyzers {
    private Analyzers() {
    }

    public static List<Analyzer> all() {
        return List.of(
                new OOMKilledAnalyzer(),
                new CrashLoopAnalyzer(),
                new ImagePullAnalyzer(),
                new ContainerConfigAnalyzer(),
                new UnschedulableAnalyzer(),
                new VolumeAnalyzer(),
                new ProbeFailureAnalyzer(),
                new InitContainerAnalyzer(),
                new RolloutAnalyzer(),
                new ServiceEndpointsAnalyzer(),
                new JobFailedAnalyzer(),
                new NodeProblemAnalyzer(),
                new EvictedAnalyzer(),
                new QuotaExceededAnalyzer(),
                new HpaLimitedAnalyzer(),
                new AppErrorAnalyzer());
    }
}
