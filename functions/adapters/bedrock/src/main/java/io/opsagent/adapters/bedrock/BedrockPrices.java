package io.opsagent.adapters.bedrock;

import io.opsagent.core.agent.PriceTable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bedrock on-demand prices for the core's {@link PriceTable}. The defaults are LIST PRICES in USD (us-east-1,
 * on-demand, as published by AWS late 2025) — check your region and your agreement; override them with
 * {@link #perThousand(Map)}. Keys are model ids; the table also matches by prefix, and {@link #defaults()} lists
 * each model with and without the {@code us.}/{@code eu.}/{@code apac.} inference-profile prefixes.
 */
public final class BedrockPrices {
    private BedrockPrices() {
    }

    /** USD per 1,000 tokens, input and output. */
    public record Per1k(double input, double output) {
    }

    /** List prices (USD per 1k tokens) of a few Anthropic Claude and Amazon Nova models; check your region. */
    public static Map<String, Per1k> listPricesPer1k() {
        Map<String, Per1k> m = new LinkedHashMap<>();
        m.put("anthropic.claude-3-haiku-20240307-v1:0", new Per1k(0.00025, 0.00125));
        m.put("anthropic.claude-3-5-haiku-20241022-v1:0", new Per1k(0.0008, 0.004));
        m.put("anthropic.claude-3-5-sonnet-20241022-v2:0", new Per1k(0.003, 0.015));
        m.put("anthropic.claude-3-7-sonnet-20250219-v1:0", new Per1k(0.003, 0.015));
        m.put("anthropic.claude-sonnet-4-20250514-v1:0", new Per1k(0.003, 0.015));
        m.put("anthropic.claude-haiku-4-5-20251001-v1:0", new Per1k(0.001, 0.005));
        m.put("anthropic.claude-sonnet-4-5-20250929-v1:0", new Per1k(0.003, 0.015));
        m.put("amazon.nova-micro-v1:0", new Per1k(0.000035, 0.00014));
        m.put("amazon.nova-lite-v1:0", new Per1k(0.00006, 0.00024));
        m.put("amazon.nova-pro-v1:0", new Per1k(0.0008, 0.0032));
        return m;
    }

    /** The list prices as a core price table (with inference-profile prefixes). */
    public static PriceTable defaults() {
        return perThousand(listPricesPer1k());
    }

    /** A core price table from USD-per-1k-token prices; adds {@code us.}, {@code eu.}, {@code apac.} and {@code global.} variants. */
    public static PriceTable perThousand(Map<String, Per1k> prices) {
        Map<String, PriceTable.Price> out = new LinkedHashMap<>();
        prices.forEach((model, p) -> {
            PriceTable.Price price = new PriceTable.Price(p.input() * 1000, p.output() * 1000);
            out.put(model, price);
            for (String prefix : new String[] {"us.", "eu.", "apac.", "global."}) out.putIfAbsent(prefix + model, price);
        });
        return new PriceTable(out);
    }
}
