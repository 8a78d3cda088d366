package io.opsagent.local;

import io.opsagent.core.agent.PriceTable;
import io.opsagent.core.agent.model.ChatModel;
import io.opsagent.app.config.Models;
import io.opsagent.app.config.Setting;
import io.opsagent.app.config.Settings;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Which chat model answers, shared by {@code up} and {@code ask}. Flags override environment variables:
 * <ul>
 *   <li>{@code --model-provider} / {@code OPSAGENT_MODEL_PROVIDER}: bedrock | openai | offline; when unset, an
 *       OpenAI-compatible endpoint is used if {@code OPSAGENT_OPENAI_BASE_URL} is set, Bedrock if a model and AWS
 *       credentials are configured, else the offline analyst;</li>
 *   <li>{@code --model} / {@code OPSAGENT_MODEL}: the model id (Bedrock model or inference profile; OpenAI model);</li>
 *   <li>{@code --openai-base-url} / {@code OPSAGENT_OPENAI_BASE_URL}, key in {@code OPSAGENT_OPENAI_API_KEY}.</li>
 * </ul>
 */
final class ModelOptions {

    @Option(names = "--model-provider", paramLabel = "PROVIDER",
            description = "bedrock, openai or offline (default: from OPSAGENT_MODEL_PROVIDER, else chosen from what is configured)")
    String provider;

    @Option(names = "--model", paramLabel = "ID", description = "model id (default: OPSAGENT_MODEL)")
    String model;

    @Option(names = "--openai-base-url", paramLabel = "URL",
            description = "an OpenAI-compatible endpoint, e.g. http://localhost:11434/v1 for Ollama (default: OPSAGENT_OPENAI_BASE_URL)")
    String openAiBaseUrl;

    /** The settings in force: the environment with the flags on top. */
    Settings settings(Map<String, String> env) {
        return addTo(Settings.builder().environment(env)).build();
    }

    /** Adds these flags to {@code b}. */
    Settings.Builder addTo(Settings.Builder b) {
        return b.flag(Setting.MODEL_PROVIDER, provider, "--model-provider")
                .flag(Setting.MODEL, model, "--model")
                .flag(Setting.OPENAI_BASE_URL, openAiBaseUrl, "--openai-base-url");
    }

    /** The provider chosen for these settings (environment-style map). */
    static String providerFor(Map<String, String> env) {
        return Models.provider(Settings.fromEnvironment(env));
    }

    /** Builds the chat model; bad settings are an IllegalArgumentException naming the setting (exit 2). */
    ChatModel create(Map<String, String> env) {
        return Models.create(settings(env));
    }

    /** The price table for the chosen model's cost (list prices for Bedrock; none for the others). */
    static PriceTable prices(ChatModel m) {
        return Models.prices(m);
    }

    /** One line for humans: which model answers. */
    static String describe(ChatModel m) {
        return Models.describe(m);
    }
}
