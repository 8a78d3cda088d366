package io.opsagent.core.diagnosis;

import java.util.List;

/**
 * One small rule set for one failure mode (or one resource kind), in the spirit of K8sGPT's analyzers.
 * Analyzers are pure functions of the context: no I/O, no clocks, no randomness.
 */
public interface Analyzer {
    List<Finding> analyze(AnalysisContext context);
}
