package io.opsagent.local;

import io.opsagent.adapters.bedrock.BedrockChatModel;
import io.opsagent.adapters.bedrock.BedrockConfig;
import io.opsagent.adapters.bedrock.BedrockPrices;
import io.opsagent.adapters.openai.OpenAiChatModel;
import io.opsagent.adapters.openai.OpenAiConfig;
import io.opsagent.core.agent.PriceTable;
import io.opsagent.core.agent.model.ChatModel;
import io.opsagent.core.agent.offline.OfflineAnalyst;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
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
    Map<String, String> settings(Map<String, String> env) {
        Map<String, String> s = new HashMap<>(env);
        if (provider != null) s.put("OPSAGENT_MODEL_PROVIDER", provider);
        if (model != null) s.put("OPSAGENT_MODEL", model);
        if (openAiBaseUrl != null) s.put("OPSAGENT_OPENAI_BASE_URL", openAiBaseUrl);
        return s;
    }

    /** The provider chosen for these settings. */
    static String providerFor(Map<String, String> s) {
        String p = blank(s.get("OPSAGENT_MODEL_PROVIDER")) ? null : s.get("OPSAGENT_MODEL_PROVIDER").strip().toLowerCase(Locale.ROOT);
        if (p != null) {
            if (!p.equals("bedrock") && !p.equals("openai") && !p.equals("offline")) {
                throw new IllegalArgumentException("unknown model provider '" + p + "' (expected bedrock, openai or offline)");
            }
            return p;
        }
        if (!blank(s.get("OPSAGENT_OPENAI_BASE_URL"))) return "openai";
        if (!blank(s.get("OPSAGENT_MODEL")) && awsCredentials(s)) return "bedrock";
        return "offline";
    }

    /** Builds the chat model; bad settings are an IllegalArgumentException naming the setting (exit 2). */
    ChatModel create(Map<String, String> env) {
        Map<String, String> s = settings(env);
        return switch (providerFor(s)) {
            case "bedrock" -> new BedrockChatModel(BedrockConfig.fromEnv(s));
            case "openai" -> new OpenAiChatModel(OpenAiConfig.fromEnv(s));
            default -> new OfflineAnalyst();
        };
    }

    /** The price table for the chosen model's cost (list prices for Bedrock; none for the others). */
    static PriceTable prices(ChatModel m) {
        return m instanceof BedrockChatModel ? BedrockPrices.defaults() : PriceTable.none();
    }

    /** One line for humans: which model answers. */
    static String describe(ChatModel m) {
        return m instanceof OfflineAnalyst ? "offline analyst (" + m.id() + ", deterministic, no LLM)" : m.id();
    }

    private static boolean awsCredentials(Map<String, String> s) {
        if (!blank(s.get("AWS_ACCESS_KEY_ID")) || !blank(s.get("AWS_PROFILE"))
                || !blank(s.get("AWS_CONTAINER_CREDENTIALS_FULL_URI")) || !blank(s.get("AWS_WEB_IDENTITY_TOKEN_FILE"))) {
            return true;
        }
        String home = System.getProperty("user.home");
        return home != null && (Files.isRegularFile(Path.of(home, ".aws", "credentials"))
                || Files.isRegularFile(Path.of(home, ".aws", "config")));
    }

    private static boolean blank(String v) {
        return v == null || v.isBlank();
    }
}
