package io.opsagent.adapters.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opsagent.core.agent.model.ChatModel;
import io.opsagent.core.agent.model.ChatRequest;
import io.opsagent.core.agent.model.ModelEvent;
import io.opsagent.core.agent.model.StopReason;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A {@link ChatModel} over an OpenAI-compatible Chat Completions endpoint (Ollama, vLLM, llama.cpp server,
 * OpenAI), streaming with tools. One HTTP call per turn on the JDK's {@link HttpClient}, JSON with Jackson.
 *
 * <p>Failures never escape as exceptions and never hang: HTTP 408/429/5xx and connection failures before any
 * text was streamed are retried with full-jitter backoff within {@link OpenAiConfig.Timeouts#retryDeadline()};
 * everything else ends the turn with {@link StopReason#ERROR} and a message naming the endpoint and what to check.
 * Every wait is bounded (connect timeout, read timeout on headers and on each silence of the stream). The API key
 * is never logged, and is masked in any message built from server answers.
 */
public final class OpenAiChatModel implements ChatModel {
    private static final int ERROR_BODY_CHARS = 600;

    private final OpenAiConfig config;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final ChatCompletionsBody bodies = new ChatCompletionsBody(json);

    public OpenAiChatModel(OpenAiConfig config) {
        this(config, HttpClient.newBuilder().connectTimeout(config.timeouts().connect())
                .followRedirects(HttpClient.Redirect.NORMAL).build());
    }

    /** With a caller-supplied client (its connect timeout and proxy settings are used as they are). */
    public OpenAiChatModel(OpenAiConfig config, HttpClient http) {
        this.config = config;
        this.http = http;
    }

    /** The model name, as configured (recorded on runs and looked up in the price table). */
    @Override
    public String id() {
        return config.model();
    }

    public OpenAiConfig config() {
        return config;
    }

    @Override
    public void stream(ChatRequest request, Consumer<ModelEvent> listener) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(bodies.build(request, config));
        } catch (IOException e) {
            listener.accept(new ModelEvent.Stop(StopReason.ERROR, "could not write the request: " + e.getMessage()));
            return;
        }
        long deadline = System.nanoTime() + config.timeouts().retryDeadline().toNanos();
        OpenAiConfig.Timeouts t = config.timeouts();
        for (int attempt = 1; ; attempt++) {
            Outcome o = attempt(body, listener);
            if (o.retry == null) return;
            Duration wait = backoff(attempt, o.retryAfter);
            long remaining = deadline - System.nanoTime();
            if (attempt >= t.maxAttempts() || wait.toNanos() >= remaining) {
                listener.accept(new ModelEvent.Stop(StopReason.ERROR, o.retry + " (gave up after " + attempt
                        + (attempt == 1 ? " attempt" : " attempts") + " within " + t.retryDeadline().toSeconds() + " s)"));
                return;
            }
            try {
                Thread.sleep(Math.max(1, wait.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                listener.accept(new ModelEvent.Stop(StopReason.ERROR, "interrupted while waiting to retry: " + o.retry));
                return;
            }
        }
    }

    /** What one HTTP attempt left to do: nothing (the stop was delivered) or a retry for a reason. */
    private record Outcome(String retry, Duration retryAfter) {
        static final Outcome DONE = new Outcome(null, null);
    }

    private Outcome attempt(byte[] body, Consumer<ModelEvent> listener) {
        HttpRequest.Builder rb = HttpRequest.newBuilder(config.chatCompletionsUri())
                .timeout(config.timeouts().read())
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        // plain http: HTTP/1.1 without the h2c upgrade header some local servers mishandle; https negotiates
        if ("http".equalsIgnoreCase(config.baseUrl().getScheme())) rb.version(HttpClient.Version.HTTP_1_1);
        if (config.apiKey() != null) rb.header("Authorization", "Bearer " + config.apiKey());
        HttpResponse<Flow.Publisher<List<ByteBuffer>>> response;
        try {
            response = http.send(rb.build(), HttpResponse.BodyHandlers.ofPublisher());
        } catch (HttpTimeoutException e) {
            return new Outcome("no response from " + where() + " within " + config.timeouts().read().toSeconds()
                    + " s (read timeout)", null);
        } catch (IOException e) {
            return new Outcome("could not reach " + where() + ": " + redact(describe(e)), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            listener.accept(new ModelEvent.Stop(StopReason.ERROR, "interrupted while calling " + where()));
            return Outcome.DONE;
        }
        try (SseLines lines = new SseLines()) {
            response.body().subscribe(lines);
            int status = response.statusCode();
            if (status / 100 != 2) return httpError(status, response, lines, listener);
            String type = response.headers().firstValue("Content-Type").orElse("");
            StreamAssembler assembler = new StreamAssembler(json, listener);
            if (type.startsWith("application/json")) return wholeAnswer(lines, assembler);
            return readStream(lines, assembler);
        }
    }

    private Outcome readStream(SseLines lines, StreamAssembler assembler) {
        Duration silence = config.timeouts().read();
        try {
            for (String line = lines.next(silence); line != null; line = lines.next(silence)) {
                if (!line.startsWith("data:")) continue; // blank separators, comments (": ping"), event: lines
                String data = line.substring(5).strip();
                if (data.isEmpty()) continue;
                if (data.equals("[DONE]")) {
                    assembler.complete();
                    return Outcome.DONE;
                }
                JsonNode chunk;
                try {
                    chunk = json.readTree(data);
                } catch (IOException e) {
                    assembler.fail("the stream from " + where() + " sent a chunk that is not JSON: "
                            + redact(excerpt(data)));
                    return Outcome.DONE;
                }
                String error = assembler.accept(chunk);
                if (error != null) {
                    assembler.fail("the endpoint " + where() + " reported an error mid-stream: " + redact(error));
                    return Outcome.DONE;
                }
            }
            if (assembler.finished()) { // the answer is complete; this server just does not send [DONE]
                assembler.complete();
                return Outcome.DONE;
            }
            if (!assembler.emittedAny() && lines.bytes() == 0) {
                return new Outcome(where() + " closed the stream without sending anything", null);
            }
            assembler.fail("the stream from " + where() + " ended before the answer was complete "
                    + "(connection closed without finish_reason or [DONE])");
        } catch (TimeoutException e) {
            assembler.fail("the stream from " + where() + " went silent for " + silence.toSeconds()
                    + " s (read timeout; raise " + OpenAiConfig.ENV_READ_TIMEOUT + " for slow local models)");
        } catch (IOException e) {
            if (!assembler.emittedAny()) return new Outcome("the connection to " + where() + " failed: "
                    + redact(describe(e)), null);
            assembler.fail("the connection to " + where() + " failed mid-stream: " + redact(describe(e)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            assembler.fail("interrupted while reading the stream from " + where());
        }
        return Outcome.DONE;
    }

    /** A server that ignored {@code stream: true} and answered one JSON completion. */
    private Outcome wholeAnswer(SseLines lines, StreamAssembler assembler) {
        try {
            String text = lines.rest(config.timeouts().read(), Integer.MAX_VALUE);
            String error = assembler.accept(json.readTree(text));
            if (error != null) assembler.fail("the endpoint " + where() + " reported an error: " + redact(error));
            else assembler.complete();
        } catch (TimeoutException e) {
            assembler.fail("no complete answer from " + where() + " within " + config.timeouts().read().toSeconds() + " s");
        } catch (IOException e) {
            assembler.fail("could not read the answer from " + where() + ": " + redact(describe(e)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            assembler.fail("interrupted while reading the answer from " + where());
        }
        return Outcome.DONE;
    }

    private Outcome httpError(int status, HttpResponse<?> response, SseLines lines, Consumer<ModelEvent> listener) {
        String detail = serverMessage(lines);
        String suffix = detail.isEmpty() ? "" : ": " + detail;
        if (status == 408 || status == 429 || status >= 500) {
            return new Outcome(where() + " answered HTTP " + status + suffix, retryAfter(response));
        }
        String message;
        if (status == 401 || status == 403) {
            message = config.apiKey() == null
                    ? "the endpoint " + where() + " requires an API key (" + status + ")" + suffix + ". Set "
                    + OpenAiConfig.ENV_API_KEY + "."
                    : "the endpoint rejected the API key (" + status + ") at " + where() + suffix + ". Check "
                    + OpenAiConfig.ENV_API_KEY + " (or " + OpenAiConfig.ENV_OPENAI_API_KEY + ").";
        } else if (status == 404) {
            message = "model '" + config.model() + "' not found at " + config.baseUrlForDisplay() + " (HTTP 404" + suffix
                    + "). Check " + OpenAiConfig.ENV_MODEL + " (the server lists its models at "
                    + config.baseUrlForDisplay().replaceAll("/+$", "") + "/models; for Ollama run `ollama pull "
                    + config.model() + "`) and that " + OpenAiConfig.ENV_BASE_URL
                    + " is the API root (usually ending in /v1).";
        } else {
            message = "the endpoint " + where() + " refused the request (HTTP " + status + ")" + suffix;
        }
        listener.accept(new ModelEvent.Stop(StopReason.ERROR, message));
        return Outcome.DONE;
    }

    /** The error text of an error response: {@code error.message} of OpenAI-style JSON, else the body's start. */
    private String serverMessage(SseLines lines) {
        String raw;
        try {
            raw = lines.rest(Duration.ofMillis(Math.min(5_000, config.timeouts().read().toMillis())), ERROR_BODY_CHARS * 4);
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            return "";
        }
        String message = raw;
        try {
            JsonNode n = json.readTree(raw);
            JsonNode err = n == null ? null : n.get("error");
            if (err != null && err.isTextual()) message = err.asText();
            else if (err != null && err.hasNonNull("message")) message = err.get("message").asText();
            else if (n != null && n.hasNonNull("message")) message = n.get("message").asText();
        } catch (IOException notJson) {
            // keep the raw text
        }
        return redact(excerpt(message.strip()));
    }

    private Duration backoff(int attempt, Duration retryAfter) {
        OpenAiConfig.Timeouts t = config.timeouts();
        long ceiling = Math.min(t.backoffCap().toMillis(), t.backoffBase().toMillis() << Math.min(20, attempt - 1));
        long jitter = ThreadLocalRandom.current().nextLong(ceiling + 1);
        return retryAfter != null && retryAfter.toMillis() > jitter ? retryAfter : Duration.ofMillis(jitter);
    }

    private static Duration retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(v -> {
            try {
                long s = Long.parseLong(v.strip());
                return s >= 0 ? java.util.Optional.of(Duration.ofSeconds(s)) : java.util.Optional.empty();
            } catch (NumberFormatException e) {
                return java.util.Optional.empty(); // an HTTP date: fall back to our own backoff
            }
        }).orElse(null);
    }

    /** The endpoint, safe to show (no user info). */
    private String where() {
        return config.baseUrlForDisplay().replaceAll("/+$", "") + "/chat/completions";
    }

    /** Masks the API key anywhere in {@code s}. */
    String redact(String s) {
        if (s == null) return "";
        return config.apiKey() == null ? s : s.replace(config.apiKey(), "***");
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + m;
    }

    private static String excerpt(String s) {
        return s.length() <= ERROR_BODY_CHARS ? s : s.substring(0, ERROR_BODY_CHARS) + "…";
    }
}
