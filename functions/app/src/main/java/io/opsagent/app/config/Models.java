package io.opsagent.app.config;

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
import java.util.Map;

/**
 * Which chat model answers, from the settings: {@link Setting#MODEL_PROVIDER} when set; otherwise an
 * OpenAI-compatible endpoint when {@link Setting#OPENAI_BASE_URL} is set, Bedrock when a model and AWS credentials
 * are configured, and the offline analyst otherwise. The same choice locally and in Lambda.
 */
public final class Models {
    public static final String BEDROCK = "bedrock";
    public static final String OPENAI = "openai";
    public static final String OFFLINE = "offline";

    private Models() {
    }

    /** The provider chosen for these settings. */
    public static String provider(Settings s) {
        if (s.isSet(Setting.MODEL_PROVIDER)) return s.choice(Setting.MODEL_PROVIDER, OFFLINE, BEDROCK, OPENAI, OFFLINE);
        if (s.isSet(Setting.OPENAI_BASE_URL)) return OPENAI;
        if (s.isSet(Setting.MODEL) && awsCredentials(s.asEnv())) return BEDROCK;
        return OFFLINE;
    }

    /** Builds the chat model; bad settings are an IllegalArgumentException naming the setting. */
    public static ChatModel create(Settings s) {
        Map<String, String> env = s.asEnv();
        return switch (provider(s)) {
            case BEDROCK -> new BedrockChatModel(BedrockConfig.fromEnv(env));
            case OPENAI -> new OpenAiChatModel(OpenAiConfig.fromEnv(env));
            default -> new OfflineAnalyst();
        };
    }

    /** The price table for the model's cost (list prices for Bedrock; none for the others). */
    public static PriceTable prices(ChatModel m) {
        return m instanceof BedrockChatModel ? BedrockPrices.defaults() : PriceTable.none();
    }

    /** One line for humans: which model answers. */
    public static String describe(ChatModel m) {
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
