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
 * @param maxTokens        the most output tokens per turn; when null the engine's request value is used
 * @param temperature      sampling temperature; when null the engine's request value is used
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
     * {@code OPSAGENT_BEDROCK_ENDPOINT}, {@code OPSAGENT_MAX_TOKENS}, {@code OPSAGENT_TEMPERATURE} and
     * {@code OPSAGENT_BEDROCK_RETRY_SECONDS}.
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
        Integer maxTokens = null;
        String mt = trimmed(env.get("OPSAGENT_MAX_TOKENS"));
        if (mt != null) {
            try {
                maxTokens = Integer.parseInt(mt);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("OPSAGENT_MAX_TOKENS '" + mt + "' is not a whole number");
            }
            if (maxTokens < 1) throw new IllegalArgumentException("OPSAGENT_MAX_TOKENS must be positive, was " + mt);
        }
        Double temperature = null;
        String t = trimmed(env.get("OPSAGENT_TEMPERATURE"));
        if (t != null) {
            try {
                temperature = Double.parseDouble(t);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("OPSAGENT_TEMPERATURE '" + t + "' is not a number");
            }
            if (temperature < 0 || temperature > 1 || temperature.isNaN()) {
                throw new IllegalArgumentException("OPSAGENT_TEMPERATURE must be between 0 and 1, was " + t);
            }
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
        return new BedrockConfig(model, region, maxTokens, temperature, deadline, endpoint);
    }

    private static String trimmed(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
