package io.opsagent.adapters.bedrock;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the Bedrock chat model.
 *
 * @param modelId          a Bedrock model id ({@code anthropic.claude-3-5-haiku-20241022-v1:0}) or an inference
 *                         profile id/ARN ({@code us.anthropic...}, {@code arn:aws:bedrock:...:inference-profile/...})
 * @param region           the AWS region of the Bedrock endpoint
 * @param maxTokens        a cap on output tokens per turn for this provider (programmatic; null: the engine's
 *                         request value, which the app sets from OPSAGENT_MAX_TOKENS in one place)
 * @param temperature      a fixed temperature for this provider (programmatic; null: the engine's request value)
 * @param retryDeadline    total time spent retrying throttling and transient errors before the first event
 * @param endpointOverride a different endpoint (tests, VPC endpoints), or null for the regional default
 */
public record BedrockConfig(String modelId, String region, Integer maxTokens, Double temperature,
                            Duration retryDeadline, URI endpointOverride) {

    /** Default total retry time. */
    public static final Duration DEFAULT_RETRY_DEADLINE = Duration.ofSeconds(30);

    public BedrockConfig {
        if (modelId == null || modelId.isBlank()) throw new IllegalArgumentException("Bedrock model id is empty");
        if (region == null || region.isBlank()) throw new IllegalArgumentException("AWS region is empty");
        if (maxTokens != null && maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be positive, was " + maxTokens);
        }
        if (temperature != null && (temperature < 0 || temperature > 1 || temperature.isNaN())) {
            throw new IllegalArgumentException("temperature must be between 0 and 1, was " + temperature);
        }
        retryDeadline = retryDeadline == null ? DEFAULT_RETRY_DEADLINE : retryDeadline;
        if (retryDeadline.isNegative()) throw new IllegalArgumentException("retryDeadline is negative: " + retryDeadline);
    }

    /** A config with the given model and region and defaults for the rest. */
    public static BedrockConfig of(String modelId, String region) {
        return new BedrockConfig(modelId, region, null, null, DEFAULT_RETRY_DEADLINE, null);
    }

    public BedrockConfig withEndpointOverride(URI endpoint) {
        return new BedrockConfig(modelId, region, maxTokens, temperature, retryDeadline, endpoint);
    }

    public BedrockConfig withRetryDeadline(Duration deadline) {
        return new BedrockConfig(modelId, region, maxTokens, temperature, deadline, endpointOverride);
    }

    /**
     * Reads {@code OPSAGENT_MODEL} (required), {@code AWS_REGION} (or {@code AWS_DEFAULT_REGION}, required),
     * {@code OPSAGENT_BEDROCK_ENDPOINT} and {@code OPSAGENT_BEDROCK_RETRY_SECONDS}. The output limit and temperature
     * are the engine's ({@code OPSAGENT_MAX_TOKENS}, {@code OPSAGENT_TEMPERATURE}, read once by the app's
     * {@code Assembly}) and arrive with each request.
     *
     * @throws IllegalArgumentException naming the variable and the bad value
     */
    public static BedrockConfig fromEnv(Map<String, String> env) {
        Objects.requireNonNull(env, "env");
        String model = trimmed(env.get("OPSAGENT_MODEL"));
        if (model == null) throw new IllegalArgumentException("OPSAGENT_MODEL is not set: give a Bedrock model id or inference profile ARN");
        String region = trimmed(env.get("AWS_REGION"));
        if (region == null) region = trimmed(env.get("AWS_DEFAULT_REGION"));
        if (region == null) throw new IllegalArgumentException("AWS_REGION is not set: Bedrock needs a region, e.g. us-east-1");
        if (!region.matches("[a-z]{2}(-[a-z]+)+-\\d+")) {
            throw new IllegalArgumentException("AWS_REGION '" + region + "' is not a region name like us-east-1");
        }
        Duration deadline = DEFAULT_RETRY_DEADLINE;
        String rs = trimmed(env.get("OPSAGENT_BEDROCK_RETRY_SECONDS"));
        if (rs != null) {
            try {
                deadline = Duration.ofMillis(Math.round(Double.parseDouble(rs) * 1000));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("OPSAGENT_BEDROCK_RETRY_SECONDS '" + rs + "' is not a number");
            }
            if (deadline.isNegative()) throw new IllegalArgumentException("OPSAGENT_BEDROCK_RETRY_SECONDS is negative: " + rs);
        }
        URI endpoint = null;
        String ep = trimmed(env.get("OPSAGENT_BEDROCK_ENDPOINT"));
        if (ep != null) {
            try {
                endpoint = new URI(ep);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("OPSAGENT_BEDROCK_ENDPOINT '" + ep + "' is not a URL: " + e.getMessage());
            }
            if (endpoint.getScheme() == null || endpoint.getHost() == null
                    || !(endpoint.getScheme().equals("http") || endpoint.getScheme().equals("https"))) {
                throw new IllegalArgumentException("OPSAGENT_BEDROCK_ENDPOINT '" + ep + "' must be an http(s) URL with a host");
            }
        }
        return new BedrockConfig(model, region, null, null, deadline, endpoint);
    }

    private static String trimmed(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
