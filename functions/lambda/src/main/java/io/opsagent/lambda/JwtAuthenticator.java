package io.opsagent.lambda;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.sun.net.httpserver.Headers;
import io.opsagent.app.config.Settings;
import io.opsagent.app.http.ApiError;
import io.opsagent.app.http.Authenticator;
import io.opsagent.app.http.Users;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The caller is the subject of a Cognito token: {@code Authorization: Bearer <JWT>} (an ID or an access token),
 * RS256-signed by a key of the issuer's JWKS, with the configured issuer, the app client as audience ({@code aud}
 * for ID tokens, {@code client_id} for access tokens), {@code token_use} {@code id} or {@code access}, and within
 * {@code nbf}..{@code exp} (with a small clock skew). The user id is {@code sub}.
 *
 * <p>The JWKS is fetched on first use and cached ({@link JwtConfig#cacheTtl()}); a token with an unknown key id
 * refetches it at most once per {@link JwtConfig#refreshMinInterval()} (key rotation). Every rejection is an
 * {@link ApiError} 401 naming the reason (field {@code Authorization}); keys that cannot be fetched are a 503.
 * The token itself is never logged or echoed.
 */
public final class JwtAuthenticator implements Authenticator {
    /** The {@code WWW-Authenticate} challenge of a 401 (RFC 6750). */
    public static final String CHALLENGE = "Bearer realm=\"opsagent\"";
    private static final Logger LOG = Logger.getLogger("io.opsagent.lambda.jwt");
    private static final String FIELD = "Authorization";
    private static final int MAX_TOKEN = 16 * 1024;

    /** A verified caller. */
    public record Identity(String user, String tokenUse, Instant expires) {
    }

    private final JwtConfig config;
    private final Clock clock;
    private volatile DefaultJWTProcessor<SecurityContext> processor;
    /** The last token verified on this thread: the chat server's gate and the route check the same request. */
    private final ThreadLocal<Verified> last = new ThreadLocal<>();

    private record Verified(String token, Identity identity) {
    }

    public JwtAuthenticator(JwtConfig config) {
        this(config, Clock.systemUTC());
    }

    public JwtAuthenticator(JwtConfig config, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.processor = processor(remoteKeys(config));
    }

    /** From the settings ({@link JwtConfig#fromSettings}); nothing is fetched until the first token. */
    public static JwtAuthenticator fromSettings(Settings settings) {
        return new JwtAuthenticator(JwtConfig.fromSettings(settings));
    }

    public JwtConfig config() {
        return config;
    }

    @Override
    public String user(Headers headers) {
        return verify(headers.getFirst(FIELD)).user();
    }

    /**
     * Verifies an {@code Authorization} header value.
     *
     * @throws ApiError 401 naming what is wrong, 503 if the signing keys cannot be fetched
     */
    public Identity verify(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw unauthorized("missing Authorization header; send 'Authorization: Bearer <Cognito ID or access token>'");
        }
        String v = authorization.strip();
        if (v.length() < 7 || !v.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw unauthorized("the Authorization header must be 'Bearer <token>'");
        }
        String token = v.substring(7).strip();
        if (token.isEmpty()) throw unauthorized("the Authorization header has no token after 'Bearer'");
        if (token.length() > MAX_TOKEN) throw unauthorized("the token is longer than " + MAX_TOKEN + " characters");
        Verified cached = last.get();
        if (cached != null && cached.token.equals(token) && !expired(cached.identity.expires())) {
            return cached.identity;
        }
        Identity id = check(token);
        last.set(new Verified(token, id));
        return id;
    }

    private Identity check(String token) {
        SignedJWT jwt = parse(token);
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (!JWSAlgorithm.RS256.equals(alg)) {
            throw unauthorized("token signed with " + alg + "; only RS256 is accepted");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(jwt, null);
        } catch (BadJOSEException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("Invalid signature")) throw unauthorized("bad signature: the token was not signed by the issuer's key");
            if (m.contains("no matching key")) {
                throw unauthorized("bad signature: no signing key " + quote(jwt.getHeader().getKeyID())
                        + " in the issuer's key set " + config.jwksUrl());
            }
            throw unauthorized("token rejected: " + m);
        } catch (JOSEException e) {
            if (rateLimited(e)) {
                // an unknown kid while the key set was fetched moments ago: the key is not there
                throw unauthorized("bad signature: no signing key " + quote(jwt.getHeader().getKeyID())
                        + " in the issuer's key set " + config.jwksUrl() + " (fetched moments ago)");
            }
            LOG.log(Level.WARNING, "cannot fetch the token signing keys from " + config.jwksUrl() + ": " + e.getMessage());
            throw new ApiError(503, "cannot fetch the token signing keys from " + config.jwksUrl()
                    + "; try again shortly", null);
        }
        return claims(claims);
    }

    private static boolean rateLimited(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RateLimitReachedException) return true;
        }
        return false;
    }

    private static SignedJWT parse(String token) {
        try {
            var parsed = JWTParser.parse(token);
            if (parsed instanceof PlainJWT) throw unauthorized("unsigned token (alg none) rejected");
            if (!(parsed instanceof SignedJWT s)) throw unauthorized("encrypted tokens are not accepted; send a signed JWT");
            return s;
        } catch (ParseException e) {
            throw unauthorized("malformed token: not a JWT (" + e.getMessage() + ")");
        }
    }

    /** Checks the claims of a token whose signature is verified. */
    private Identity claims(JWTClaimsSet c) {
        if (!config.issuer().equals(c.getIssuer())) {
            throw unauthorized("wrong issuer " + quote(c.getIssuer()) + "; expected " + quote(config.issuer()));
        }
        Object use = c.getClaim("token_use");
        if ("access".equals(use)) {
            Object client = c.getClaim("client_id");
            if (!config.audience().equals(client)) {
                throw unauthorized("wrong audience: access token for client_id " + quote(String.valueOf(client))
                        + "; expected " + quote(config.audience()));
            }
        } else if ("id".equals(use)) {
            List<String> aud = c.getAudience();
            if (aud == null || !aud.contains(config.audience())) {
                throw unauthorized("wrong audience " + (aud == null ? "(none)" : aud) + "; expected " + quote(config.audience()));
            }
        } else {
            throw unauthorized("token_use must be 'id' or 'access', got " + quote(use == null ? null : use.toString()));
        }
        Date exp = c.getExpirationTime();
        if (exp == null) throw unauthorized("the token has no expiry (exp)");
        if (expired(exp.toInstant())) throw unauthorized("token expired at " + exp.toInstant());
        Date nbf = c.getNotBeforeTime();
        if (nbf != null && clock.instant().plus(config.clockSkew()).isBefore(nbf.toInstant())) {
            throw unauthorized("token not valid before " + nbf.toInstant());
        }
        String sub = c.getSubject();
        if (!Users.valid(sub)) throw unauthorized("the token's subject (sub) is not a valid user id");
        return new Identity(sub, use.toString(), exp.toInstant());
    }

    private boolean expired(Instant exp) {
        return !clock.instant().minus(config.clockSkew()).isBefore(exp);
    }

    /**
     * Drops the cached keys: the next token fetches the key set again. Called after a SnapStart restore (the
     * snapshot may be days old).
     */
    public void refreshKeys() {
        processor = processor(remoteKeys(config));
        last.remove();
    }

    /**
     * Loads and runs the verification code path (JSON parsing, RS256, claim checks) with a throwaway key, without
     * fetching the JWKS — for SnapStart priming. Returns the milliseconds it took.
     */
    public long prime() {
        long t0 = System.nanoTime();
        try {
            RSAKey key = new RSAKeyGenerator(2048).keyID("prime").generate();
            Instant now = clock.instant();
            JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(config.issuer()).audience(config.audience())
                    .subject("00000000-0000-0000-0000-000000000000").claim("token_use", "id")
                    .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300))).build();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("prime").build(), claims);
            jwt.sign(new RSASSASigner(key));
            DefaultJWTProcessor<SecurityContext> p = processor(new ImmutableJWKSet<>(new JWKSet(key.toPublicJWK())));
            claims(p.process(parse(jwt.serialize()), null));
        } catch (JOSEException | BadJOSEException e) {
            throw new IllegalStateException("JWT priming failed: " + e.getMessage(), e);
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static JWKSource<SecurityContext> remoteKeys(JwtConfig c) {
        int timeout = (int) c.httpTimeout().toMillis();
        return JWKSourceBuilder.<SecurityContext>create(c.jwksUrl(),
                        new DefaultResourceRetriever(timeout, timeout, 256 * 1024))
                .cache(c.cacheTtl().toMillis(), c.httpTimeout().toMillis() * 2)
                .rateLimited(c.refreshMinInterval().toMillis())
                .refreshAheadCache(false)
                .retrying(true)
                .outageTolerant(false)
                .build();
    }

    private static DefaultJWTProcessor<SecurityContext> processor(JWKSource<SecurityContext> keys) {
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
        p.setJWTClaimsSetVerifier((claims, ctx) -> {
            // checked in claims() with reasons a caller can act on
        });
        return p;
    }

    private static ApiError unauthorized(String reason) {
        return new ApiError(401, reason, FIELD);
    }

    private static String quote(String s) {
        return s == null ? "(none)" : "'" + (s.length() > 200 ? s.substring(0, 200) + "…" : s) + "'";
    }
}
