package io.opsagent.adapters.kubernetes;

import io.fabric8.kubernetes.client.OAuthTokenProvider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * A bearer token the fabric8 client asks for on each request: made by {@code generator} and made again once it is
 * {@code refreshAfter} old. EKS tokens are accepted for 15 minutes; refreshing after 10 leaves a margin.
 * Thread-safe.
 */
public final class RefreshingTokenProvider implements OAuthTokenProvider {

    /** Default age after which an EKS token is replaced. */
    public static final Duration EKS_REFRESH = Duration.ofMinutes(10);

    private final Supplier<String> generator;
    private final Duration refreshAfter;
    private final Clock clock;
    private String token;
    private Instant issuedAt;

    public RefreshingTokenProvider(Supplier<String> generator, Duration refreshAfter, Clock clock) {
        if (refreshAfter.isZero() || refreshAfter.isNegative()) {
            throw new IllegalArgumentException("token refresh interval must be positive, was " + refreshAfter);
        }
        this.generator = generator;
        this.refreshAfter = refreshAfter;
        this.clock = clock;
    }

    @Override
    public synchronized String getToken() {
        Instant now = clock.instant();
        if (token == null || !now.isBefore(issuedAt.plus(refreshAfter))) {
            token = generator.get();
            issuedAt = now;
        }
        return token;
    }
}
