package io.opsagent.core.agent;

import io.opsagent.core.evidence.EvidencePackBuilder;
import java.time.Duration;

/**
 * Limits of the tool-use loop.
 *
 * @param maxSteps      most model turns per user message; a run that still calls tools after the last one ends
 *                      with status max_steps
 * @param maxTokens     output token limit per model turn
 * @param temperature   sampling temperature
 * @param contextBudget token budget of the workload context put in the system prompt
 * @param prices        for the run's cost
 * @param modelTimeout  the longest one model turn may stream; then the run fails saying so
 */
public record EngineConfig(int maxSteps, int maxTokens, double temperature, int contextBudget, PriceTable prices,
                           Duration modelTimeout, String owner) {
    public static final int DEFAULT_MAX_STEPS = 10;
    public static final Duration DEFAULT_MODEL_TIMEOUT = Duration.ofMinutes(2);

    public EngineConfig {
        if (maxSteps < 1) throw new IllegalArgumentException("maxSteps must be at least 1, was " + maxSteps);
        if (maxTokens < 1) throw new IllegalArgumentException("maxTokens must be positive, was " + maxTokens);
        prices = prices == null ? PriceTable.none() : prices;
        modelTimeout = modelTimeout == null ? DEFAULT_MODEL_TIMEOUT : modelTimeout;
        owner = owner == null ? io.opsagent.core.runs.Instances.current() : owner;
    }

    /** With the owner of this process ({@link io.opsagent.core.runs.Instances#current()}). */
    public EngineConfig(int maxSteps, int maxTokens, double temperature, int contextBudget, PriceTable prices,
                        Duration modelTimeout) {
        this(maxSteps, maxTokens, temperature, contextBudget, prices, modelTimeout, null);
    }

    /** The instance recorded as the owner of every run (a {@link io.opsagent.core.runs.RunReaper} checks it). */
    public EngineConfig withOwner(String id) {
        return new EngineConfig(maxSteps, maxTokens, temperature, contextBudget, prices, modelTimeout, id);
    }

    public static EngineConfig defaults() {
        return new EngineConfig(DEFAULT_MAX_STEPS, 4096, 0.0, EvidencePackBuilder.DEFAULT_BUDGET, PriceTable.none(),
                DEFAULT_MODEL_TIMEOUT);
    }

    public EngineConfig withMaxSteps(int n) {
        return new EngineConfig(n, maxTokens, temperature, contextBudget, prices, modelTimeout, owner);
    }

    public EngineConfig withModelTimeout(Duration d) {
        return new EngineConfig(maxSteps, maxTokens, temperature, contextBudget, prices, d, owner);
    }

    /** The most output tokens per model turn (positive). */
    public EngineConfig withMaxTokens(int n) {
        return new EngineConfig(maxSteps, n, temperature, contextBudget, prices, modelTimeout, owner);
    }

    /** The sampling temperature, 0 to 1. */
    public EngineConfig withTemperature(double t) {
        if (t < 0 || t > 1 || Double.isNaN(t)) throw new IllegalArgumentException("temperature must be 0..1, was " + t);
        return new EngineConfig(maxSteps, maxTokens, t, contextBudget, prices, modelTimeout, owner);
    }

    public EngineConfig withPrices(PriceTable p) {
        return new EngineConfig(maxSteps, maxTokens, temperature, contextBudget, p, modelTimeout, owner);
    }
}
