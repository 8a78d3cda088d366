package io.opsagent.app.config;

import io.opsagent.adapters.bedrock.BedrockChatModel;
import io.opsagent.adapters.bedrock.BedrockConfig;
import io.opsagent.adapters.bedrock.BedrockPrices;
import io.opsagent.adapters.openai.OpenAiChatModel;
import io.opsagent.adapters.openai.OpenAiConfig;
import io.opsagent.core.agent.PriceTable;
import io.opsagent.core.agent.model.ChatModel;
import io.opsagent.core.agent.model.ChatRequest;
import io.opsagent.core.agent.model.ModelEvent;
import io.opsagent.core.agent.offline.OfflineAnalyst;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

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

    /**
     * As {@link #create}, but the model's client (Bedrock's Netty client, the OpenAI HTTP client) is built on the
     * first {@link ChatModel#stream} call: the settings are still checked now, and a function that never streams
     * (the Lambda API function) never loads or starts a model client — a shorter cold start.
     */
    public static ChatModel createLazily(Settings s) {
        Map<String, String> env = s.asEnv();
        return switch (provider(s)) {
            case BEDROCK -> {
                BedrockConfig c = BedrockConfig.fromEnv(env);
                yield new Lazy(BEDROCK, c.modelId(), () -> new BedrockChatModel(c));
            }
            case OPENAI -> {
                OpenAiConfig c = OpenAiConfig.fromEnv(env);
                yield new Lazy(OPENAI, c.model(), () -> new OpenAiChatModel(c));
            }
            default -> new OfflineAnalyst();
        };
    }

    /** The price table for the model's cost (list prices for Bedrock; none for the others). */
    public static PriceTable prices(ChatModel m) {
        boolean bedrock = m instanceof BedrockChatModel || (m instanceof Lazy l && l.provider.equals(BEDROCK));
        return bedrock ? BedrockPrices.defaults() : PriceTable.none();
    }

    /** A model whose client is built on first use (thread-safe, once). */
    private static final class Lazy implements ChatModel {
        private final String provider;
        private final String id;
        private final Supplier<ChatModel> factory;
        private volatile ChatModel model;

        Lazy(String provider, String id, Supplier<ChatModel> factory) {
            this.provider = provider;
            this.id = id;
            this.factory = factory;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public void stream(ChatRequest request, Consumer<ModelEvent> listener) {
            ChatModel m = model;
            if (m == null) {
                synchronized (this) {
                    if (model == null) model = factory.get();
                    m = model;
                }
            }
            m.stream(request, listener);
        }
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
