package io.opsagent.core.agent;

import io.opsagent.core.evidence.EvidencePackBuilder;

/**
 * Limits of the tool-use loop.
 *
 * @param maxSteps      most model turns per user message; a run that still calls tools after the last one ends
 *                      with status max_steps
 * @param maxTokens     output token limit per model turn
 * @param temperature   sampling temperature
 * @param contextBudget token budget of the workload context put in the system prompt
 * @param prices        for the run's cost
 */
public record EngineConfig(int maxSteps, int maxTokens, double temperature, int contextBudget, PriceTable prices) {
    public static final int DEFAULT_MAX_STEPS = 10;

    public EngineConfig {
        if (maxSteps < 1) throw new IllegalArgumentException("maxSteps must be at least 1, was " + maxSteps);
        if (maxTokens < 1) throw new IllegalArgumentException("maxTokens must be positive, was " + maxTokens);
        prices = prices == null ? PriceTable.none() : prices;
    }

    public static EngineConfig defaults() {
        return new EngineConfig(DEFAULT_MAX_STEPS, 4096, 0.0, EvidencePackBuilder.DEFAULT_BUDGET, PriceTable.none());
    }

    public EngineConfig withMaxSteps(int n) {
        return new EngineConfig(n, maxTokens, temperature, contextBudget, prices);
    }
}
