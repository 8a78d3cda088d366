package io.opsagent.adapters.bedrock;

import io.opsagent.core.agent.model.ChatModel;
import io.opsagent.core.agent.model.ChatRequest;
import io.opsagent.core.agent.model.ModelEvent;
import io.opsagent.core.agent.model.StopReason;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClientBuilder;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;

/**
 * {@link ChatModel} over Amazon Bedrock's ConverseStream API (async client; streaming exists only there).
 *
 * <p>All listener calls happen on the calling thread: the SDK's events are queued and handed over, and every
 * wait is bounded by {@code idleTimeout}. Throttling and transient errors that happen before any event was passed
 * on are retried with full-jitter exponential backoff until {@link BedrockConfig#retryDeadline()}; a failure after
 * events were passed on is not retried and ends the turn with {@link StopReason#ERROR} and a clear message.
 * The SDK's own retries are switched off so this policy is the only one.
 */
public final class BedrockChatModel implements ChatModel, AutoCloseable {
    /** Default longest silence on an open stream before the turn fails. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

    private final BedrockConfig config;
    private final BedrockRuntimeAsyncClient client;
    private final boolean ownsClient;
    private final Backoff backoff;
    private final Duration idleTimeout;

    /** A model with its own client: default AWS credentials chain, the configured region and endpoint. */
    public BedrockChatModel(BedrockConfig config) {
        this(config, client(config, DefaultCredentialsProvider.builder().build()), true, Backoff.DEFAULT,
                DEFAULT_IDLE_TIMEOUT);
    }

    /**
     * A model on a given client (not closed by {@link #close()}).
     *
     * @param idleTimeout longest wait for the next stream event
     */
    public BedrockChatModel(BedrockConfig config, BedrockRuntimeAsyncClient client, Backoff backoff,
                            Duration idleTimeout) {
        this(config, client, false, backoff, idleTimeout);
    }

    private BedrockChatModel(BedrockConfig config, BedrockRuntimeAsyncClient client, boolean ownsClient,
                             Backoff backoff, Duration idleTimeout) {
        this.config = Objects.requireNonNull(config, "config");
        this.client = Objects.requireNonNull(client, "client");
        this.ownsClient = ownsClient;
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) throw new IllegalArgumentException("idleTimeout must be positive");
        this.idleTimeout = idleTimeout;
    }

    /**
     * The async client for {@code config}: Netty HTTP client (HTTP/1.1 for a plain {@code http://} endpoint
     * override such as a local test server), SDK retries off (this class retries).
     */
    public static BedrockRuntimeAsyncClient client(BedrockConfig config, AwsCredentialsProvider credentials) {
        NettyNioAsyncHttpClient.Builder http = NettyNioAsyncHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(10));
        if (config.endpointOverride() != null && "http".equals(config.endpointOverride().getScheme())) {
            http.protocol(Protocol.HTTP1_1);
        }
        BedrockRuntimeAsyncClientBuilder b = BedrockRuntimeAsyncClient.builder()
                .region(Region.of(config.region()))
                .credentialsProvider(credentials)
                .httpClientBuilder(http)
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.doNotRetry()).build());
        if (config.endpointOverride() != null) b.endpointOverride(config.endpointOverride());
        return b.build();
    }

    @Override
    public String id() {
        return config.modelId();
    }

    public BedrockConfig config() {
        return config;
    }

    @Override
    public void stream(ChatRequest request, Consumer<ModelEvent> listener) {
        ConverseStreamRequest bedrockRequest = RequestMapper.map(request, config);
        long started = System.nanoTime();
        long deadline = started + config.retryDeadline().toNanos();
        int failures = 0;
        int throttles = 0;
        while (true) {
            Throwable error = attempt(bedrockRequest, listener);
            if (error == null) return;
            failures++;
            if (!Transient.isRetryable(error)) {
                listener.accept(new ModelEvent.Stop(StopReason.ERROR, "Bedrock request failed: "
                        + Transient.describe(error) + hint(error)));
                return;
            }
            if (Transient.isThrottling(error)) throttles++;
            long delay = backoff.delayMillis(failures);
            if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay) > deadline) {
                listener.accept(new ModelEvent.Stop(StopReason.ERROR,
                        gaveUp(failures, throttles, System.nanoTime() - started, error)));
                return;
            }
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                listener.accept(new ModelEvent.Stop(StopReason.ERROR, "interrupted while waiting to retry Bedrock"));
                return;
            }
        }
    }

    /** Queue items handed from the SDK's threads to the caller's. */
    private sealed interface Signal {
        record Event(ConverseStreamOutput event) implements Signal {
        }

        record Done() implements Signal {
        }

        record Failed(Throwable error) implements Signal {
        }
    }

    /**
     * One call. Returns null when the turn ended (a stop was delivered), or the error when it failed before any
     * event was passed on (the caller may retry).
     */
    private Throwable attempt(ConverseStreamRequest request, Consumer<ModelEvent> listener) {
        BlockingQueue<Signal> queue = new LinkedBlockingQueue<>();
        ConverseStreamResponseHandler handler = ConverseStreamResponseHandler.builder()
                .subscriber(e -> queue.add(new Signal.Event(e)))
                .onError(t -> queue.add(new Signal.Failed(t)))
                .onComplete(() -> queue.add(new Signal.Done()))
                .build();
        StreamAssembler assembler = new StreamAssembler(listener);
        CompletableFuture<Void> call;
        try {
            call = client.converseStream(request, handler);
        } catch (RuntimeException e) {
            return e;
        }
        call.whenComplete((ok, t) -> {
            if (t != null) queue.add(new Signal.Failed(t));
        });
        boolean finished = false;
        try {
            while (true) {
                Signal s;
                try {
                    s = queue.poll(idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    listener.accept(new ModelEvent.Stop(StopReason.ERROR, "interrupted while reading the Bedrock stream"));
                    return null;
                }
                if (s == null) {
                    listener.accept(new ModelEvent.Stop(StopReason.ERROR, "Bedrock sent nothing for "
                            + idleTimeout.toSeconds() + " s" + (assembler.emitted() > 0 ? " in the middle of the answer" : "")
                            + "; the request was abandoned"));
                    return null;
                }
                if (s instanceof Signal.Event e) {
                    assembler.accept(e.event());
                } else if (s instanceof Signal.Done) {
                    finished = true;
                    listener.accept(assembler.stop());
                    return null;
                } else if (s instanceof Signal.Failed f) {
                    finished = true;
                    if (assembler.emitted() == 0 && !assembler.sawMessageStop()) return f.error();
                    listener.accept(new ModelEvent.Stop(StopReason.ERROR, "Bedrock stream failed after the answer had started ("
                            + Transient.describe(f.error()) + "); the answer is incomplete and was not retried"));
                    return null;
                }
            }
        } finally {
            if (!finished) call.cancel(true);
        }
    }

    private static String gaveUp(int failures, int throttles, long elapsedNanos, Throwable last) {
        String seconds = String.format(Locale.ROOT, "%.1f", elapsedNanos / 1e9);
        if (throttles == failures) {
            return "Bedrock throttled the request " + throttles + " times over " + seconds
                    + " s; giving up. Try again later, request a higher quota, or use a cross-region inference profile"
                    + " (last error: " + Transient.describe(last) + ")";
        }
        return "Bedrock failed " + failures + " times over " + seconds + " s with transient errors (" + throttles
                + " throttled); giving up. Last error: " + Transient.describe(last);
    }

    private static String hint(Throwable t) {
        String d = Transient.describe(t);
        if (d.contains("AccessDenied")) {
            return " (the caller needs bedrock:InvokeModelWithResponseStream on the model or inference profile ARN)";
        }
        if (d.contains("ResourceNotFound") || d.contains("model identifier is invalid")) {
            return " (check OPSAGENT_MODEL and that the model is enabled in this region)";
        }
        return "";
    }

    @Override
    public void close() {
        if (ownsClient) client.close();
    }
}
