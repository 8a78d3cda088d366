package io.opsagent.adapters.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opsagent.core.metrics.MetricQuery;
import io.opsagent.core.metrics.MetricsException;
import io.opsagent.core.metrics.MetricsSource;
import io.opsagent.core.metrics.Series;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link MetricsSource} over Prometheus' HTTP API: {@code /api/v1/query} and {@code /api/v1/query_range}, POSTed as a
 * form (a workload's pod list can be long), with the PromQL of {@link PromQl}. An optional bearer token for
 * Prometheus behind an authenticating proxy. Errors name the status and Prometheus' own {@code errorType: error}.
 */
public final class PrometheusMetrics implements MetricsSource {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI base;
    private final String token;
    private final HttpClient http;
    private final PromQl promql;
    private final Duration timeout;

    /**
     * @param base  the server, e.g. {@code http://prometheus.monitoring:9090} (a path prefix is kept)
     * @param token a bearer token, or null
     */
    public PrometheusMetrics(URI base, String token, Duration timeout) {
        String s = base.toString();
        if (!s.startsWith("http://") && !s.startsWith("https://")) {
            throw new IllegalArgumentException("the Prometheus URL must be http(s)://, was " + s);
        }
        this.base = URI.create(s.endsWith("/") ? s : s + "/");
        this.token = token == null || token.isBlank() ? null : token.strip();
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.promql = PromQl.standard();
    }

    public PrometheusMetrics(URI base) {
        this(base, null, Duration.ofSeconds(15));
    }

    @Override
    public String name() {
        return "prometheus";
    }

    @Override
    public List<Series> instant(MetricQuery query, Instant at) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("query", promql.render(query));
        form.put("time", seconds(at));
        form.put("timeout", timeout.toSeconds() + "s");
        return series(post("api/v1/query", form), "vector");
    }

    @Override
    public List<Series> range(MetricQuery query, Instant from, Instant to, Duration step) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("query", promql.render(query));
        form.put("start", seconds(from));
        form.put("end", seconds(to));
        form.put("step", Math.max(1, step.toSeconds()) + "s");
        form.put("timeout", timeout.toSeconds() + "s");
        return series(post("api/v1/query_range", form), "matrix");
    }

    private JsonNode post(String path, Map<String, String> form) {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout.plusSeconds(5))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (token != null) r.header("Authorization", "Bearer " + token);
        HttpResponse<String> res;
        try {
            res = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new MetricsException("Prometheus at " + base + " is unreachable (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MetricsException("interrupted while asking Prometheus", e);
        }
        JsonNode json;
        try {
            json = JSON.readTree(res.body());
        } catch (IOException e) {
            throw new MetricsException("Prometheus answered HTTP " + res.statusCode() + " with a body that is not JSON"
                    + (res.statusCode() == 401 || res.statusCode() == 403 ? " (check OPSAGENT_PROMETHEUS_TOKEN)" : ""));
        }
        if (res.statusCode() != 200 || !"success".equals(json.path("status").asText())) {
            throw new MetricsException("Prometheus answered HTTP " + res.statusCode() + ": "
                    + json.path("errorType").asText("?") + ": " + json.path("error").asText("no error message"));
        }
        return json.path("data");
    }

    private static List<Series> series(JsonNode data, String expected) {
        if (!expected.equals(data.path("resultType").asText())) {
            throw new MetricsException("Prometheus answered a " + data.path("resultType").asText() + ", expected a " + expected);
        }
        List<Series> out = new ArrayList<>();
        for (JsonNode r : data.path("result")) {
            Map<String, String> labels = new LinkedHashMap<>();
            r.path("metric").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            List<Series.Sample> samples = new ArrayList<>();
            if (r.has("value")) samples.add(sample(r.path("value")));
            for (JsonNode v : r.path("values")) samples.add(sample(v));
            out.add(new Series(labels, samples));
        }
        return out;
    }

    private static Series.Sample sample(JsonNode pair) {
        double t = pair.path(0).asDouble();
        String v = pair.path(1).asText();
        double value = switch (v) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(v);
        };
        return new Series.Sample(Instant.ofEpochMilli(Math.round(t * 1000)), value);
    }

    private static String seconds(Instant t) {
        return String.format(java.util.Locale.ROOT, "%.3f", t.toEpochMilli() / 1000d);
    }
}
