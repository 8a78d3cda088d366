package io.opsagent.core.agent;

import java.util.Map;

/**
 * Model prices in US dollars per million tokens, by model id (exact match, else the longest id prefix). Unknown
 * models and the offline analyst cost 0.
 */
public record PriceTable(Map<String, Price> prices) {

    /** Price of one model. */
    public record Price(double inputPerMillion, double outputPerMillion) {
    }

    public PriceTable {
        prices = Map.copyOf(prices);
    }

    public static PriceTable none() {
        return new PriceTable(Map.of());
    }

    public double cost(String model, long inputTokens, long outputTokens) {
        Price p = prices.get(model);
        if (p == null) {
            String best = null;
            for (String k : prices.keySet()) {
                if (model.startsWith(k) && (best == null || k.length() > best.length())) best = k;
            }
            p = best == null ? null : prices.get(best);
        }
        return p == null ? 0 : (inputTokens * p.inputPerMillion() + outputTokens * p.outputPerMillion()) / 1_000_000.0;
    }
}
