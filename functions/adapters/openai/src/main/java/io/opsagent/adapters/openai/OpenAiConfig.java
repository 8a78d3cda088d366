package io.opsagent.adapters.openai;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where and how to call an OpenAI-compatible Chat Completions endpoint.
 *
 * @param baseUrl     the API root, e.g. {@code http://localhost:11434/v1} (Ollama) or {@code https://api.openai.com/v1};
 *                    requests go to {@code {baseUrl}/chat/completions}
 * @param model       the model name the server knows, e.g. {@code qwen2.5:7b} or {@code gpt-4o-mini}
 * @param apiKey      sent as {@code Authorization: Bearer ...} when not null/blank; never logged
 * @param maxTokens   if not null, caps each request's {@code max_tokens}
 * @param temperature if not null, replaces each request's temperature
 * @param timeouts    connect, read (silence) and retry bounds
 */
public record OpenAiConfig(URI baseUrl, String model, String apiKey, Integer maxTokens, Double temperature,
                           Timeouts timeouts) {

    public static final String ENV_BASE_URL = "OPSAGENT_OPENAI_BASE_URL";
    public static final String ENV_MODEL = "OPSAGENT_MODEL";
    public static final String ENV_API_KEY = "OPSAGENT_OPENAI_API_KEY";
    public static final String ENV_OPENAI_API_KEY = "OPENAI_API_KEY";
    public static final String ENV_MAX_TOKENS = "OPSAGENT_MAX_TOKENS";
    public static final String ENV_TEMPERATURE = "OPSAGENT_TEMPERATURE";
    public static final String ENV_READ_TIMEOUT = "OPSAGENT_OPENAI_READ_TIMEOUT_SECONDS";

    /**
     * Time bounds of one turn. Every wait of the adapter is bounded by one of them.
     *
     * @param connect        TCP/TLS connect
     * @param read           the longest silence accepted: waiting for the response headers, or between two
     *                       pieces of the stream (a local model loading its weights may need a minute)
     * @param retryDeadline  how long retries of 429/5xx/connection failures may go on, from the turn's start
     * @param maxAttempts    the most HTTP attempts per turn (1 = no retry)
     * @param backoffBase    first backoff ceiling; doubles each attempt (full jitter: a random wait below it)
     * @param backoffCap     the largest backoff ceiling
     */
    public record Timeouts(Duration connect, Duration read, Duration retryDeadline, int maxAttempts,
                           Duration backoffBase, Duration backoffCap) {
        public Timeouts {
            positive(connect, "connect timeout");
            positive(read, "read timeout");
            positive(retryDeadline, "retry deadline");
            positive(backoffBase, "backoff base");
            positive(backoffCap, "backoff cap");
            if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }

        /** 10 s connect, 120 s read, 60 s of retries, 5 attempts, backoff 0.5 s doubling up to 8 s. */
        public static Timeouts defaults() {
            return new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(120), Duration.ofSeconds(60), 5,
                    Duration.ofMillis(500), Duration.ofSeconds(8));
        }

        public Timeouts withRead(Duration read) {
            return new Timeouts(connect, read, retryDeadline, maxAttempts, backoffBase, backoffCap);
        }

        private static void positive(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(what + " must be positive, was " + d);
        }
    }

    public OpenAiConfig {
        Objects.requireNonNull(baseUrl, "baseUrl");
        String scheme = baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || baseUrl.getHost() == null) {
            throw new IllegalArgumentException(ENV_BASE_URL + " must be an http(s) URL with a host, e.g. "
                    + "http://localhost:11434/v1, was '" + baseUrl + "'");
        }
        if (baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
            throw new IllegalArgumentException(ENV_BASE_URL + " must not have a query or fragment, was '" + baseUrl + "'");
        }
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("no model configured: set " + ENV_MODEL
                    + " to a model the endpoint serves (e.g. qwen2.5:7b for Ollama, gpt-4o-mini for OpenAI)");
        }
        model = model.strip();
        apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
        if (maxTokens != null && maxTokens < 1) {
            throw new IllegalArgumentException(ENV_MAX_TOKENS + " must be a positive integer, was " + maxTokens);
        }
        if (temperature != null && (temperature.isNaN() || temperature < 0 || temperature > 2)) {
            throw new IllegalArgumentException(ENV_TEMPERATURE + " must be between 0 and 2, was " + temperature);
        }
        timeouts = timeouts == null ? Timeouts.defaults() : timeouts;
    }

    /** A configuration with default timeouts and no caps. */
    public static OpenAiConfig of(String baseUrl, String model, String apiKey) {
        return new OpenAiConfig(parseUrl(baseUrl), model, apiKey, null, null, Timeouts.defaults());
    }

    /**
     * Reads {@value #ENV_BASE_URL}, {@value #ENV_MODEL}, {@value #ENV_API_KEY} (or {@value #ENV_OPENAI_API_KEY})
     * and {@value #ENV_READ_TIMEOUT}. The output limit and temperature are the engine's ({@value #ENV_MAX_TOKENS},
     * {@value #ENV_TEMPERATURE}, read once by the app's {@code Assembly}) and arrive with each request.
     *
     * @throws IllegalArgumentException naming the variable that is missing or wrong
     */
    public static OpenAiConfig fromEnv(Map<String, String> env) {
        String url = env.get(ENV_BASE_URL);
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException(ENV_BASE_URL + " is not set: give the API root, e.g. "
                    + "http://localhost:11434/v1 (Ollama) or https://api.openai.com/v1");
        }
        String key = env.get(ENV_API_KEY);
        if (key == null || key.isBlank()) key = env.get(ENV_OPENAI_API_KEY);
        Timeouts t = Timeouts.defaults();
        String read = env.get(ENV_READ_TIMEOUT);
        if (read != null && !read.isBlank()) {
            int s = parseInt(ENV_READ_TIMEOUT, read);
            if (s < 1) throw new IllegalArgumentException(ENV_READ_TIMEOUT + " must be at least 1, was " + s);
            t = t.withRead(Duration.ofSeconds(s));
        }
        return new OpenAiConfig(parseUrl(url), env.get(ENV_MODEL), key, null, null, t);
    }

    /** {@code {baseUrl}/chat/completions}. */
    public URI chatCompletionsUri() {
        String s = baseUrl.toString();
        while (s.endsWith("/")) s = s.substring(0, s.length() - 1);
        return URI.create(s + "/chat/completions");
    }

    /** The base URL without user info (safe to show). */
    public String baseUrlForDisplay() {
        return baseUrl.getRawUserInfo() == null ? baseUrl.toString()
                : baseUrl.toString().replace(baseUrl.getRawUserInfo() + "@", "");
    }

    @Override
    public String toString() {
        return "OpenAiConfig[baseUrl=" + baseUrlForDisplay() + ", model=" + model + ", apiKey="
                + (apiKey == null ? "none" : "***") + ", maxTokens=" + maxTokens + ", temperature=" + temperature
                + ", timeouts=" + timeouts + "]";
    }

    private static URI parseUrl(String s) {
        Objects.requireNonNull(s, "baseUrl");
        try {
            return new URI(s.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(ENV_BASE_URL + " is not a valid URL ('" + s + "'): " + e.getReason());
        }
    }

    private static int parseInt(String name, String v) {
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, was '" + v + "'");
        }
    }

}
