package io.opsagent.lambda;

import io.opsagent.app.config.Setting;
import io.opsagent.app.config.Settings;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.time.Duration;
import java.util.Objects;

/**
 * What a token must satisfy and where the signing keys are.
 *
 * @param issuer             the exact {@code iss}, e.g. {@code https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC}
 * @param audience           the app client id: an ID token's {@code aud}, an access token's {@code client_id}
 * @param jwksUrl            the JSON Web Key Set ({@code issuer/.well-known/jwks.json} for Cognito)
 * @param clockSkew          tolerance on {@code exp} and {@code nbf}
 * @param httpTimeout        connect and read timeout of one JWKS fetch
 * @param cacheTtl           how long fetched keys are used before they are fetched again
 * @param refreshMinInterval rate limit on fetches caused by unknown key ids (a forged {@code kid} cannot make the
 *                           function hammer the issuer)
 */
public record JwtConfig(String issuer, String audience, URL jwksUrl, Duration clockSkew, Duration httpTimeout,
                        Duration cacheTtl, Duration refreshMinInterval) {
    /** Cognito rotates its keys rarely and publishes new ones ahead of use: an hour is safe; new kids refetch. */
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofHours(1);

    public JwtConfig {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(jwksUrl, "jwksUrl");
        clockSkew = clockSkew == null ? Duration.ofSeconds(60) : clockSkew;
        httpTimeout = httpTimeout == null ? Duration.ofSeconds(3) : httpTimeout;
        cacheTtl = cacheTtl == null ? DEFAULT_CACHE_TTL : cacheTtl;
        refreshMinInterval = refreshMinInterval == null ? Duration.ofSeconds(30) : refreshMinInterval;
    }

    /** The defaults for {@code issuer}/{@code audience}, keys at {@code jwksUrl}. */
    public static JwtConfig of(String issuer, String audience, URL jwksUrl) {
        return new JwtConfig(issuer, audience, jwksUrl, null, null, null, null);
    }

    /**
     * From {@link Setting#JWT_ISSUER}, {@link Setting#JWT_AUDIENCE} and {@link Setting#JWKS_URL} (default
     * {@code ISSUER/.well-known/jwks.json}).
     *
     * @throws IllegalArgumentException naming the setting that is missing or malformed
     */
    public static JwtConfig fromSettings(Settings settings) {
        String issuer = settings.get(Setting.JWT_ISSUER).map(String::strip).filter(s -> !s.isEmpty())
                .orElseThrow(() -> settings.bad(Setting.JWT_ISSUER,
                        "the token issuer, e.g. https://cognito-idp.REGION.amazonaws.com/POOL_ID (required: the chat function verifies tokens itself)"));
        String audience = settings.get(Setting.JWT_AUDIENCE).map(String::strip).filter(s -> !s.isEmpty())
                .orElseThrow(() -> settings.bad(Setting.JWT_AUDIENCE, "the Cognito app client id (required)"));
        String jwks = settings.get(Setting.JWKS_URL).map(String::strip).filter(s -> !s.isEmpty())
                .orElse(stripSlash(issuer) + "/.well-known/jwks.json");
        URL url;
        try {
            URI uri = new URI(jwks);
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new URISyntaxException(jwks, "not an http(s) URL with a host");
            }
            url = uri.toURL();
        } catch (URISyntaxException | MalformedURLException | IllegalArgumentException e) {
            throw settings.bad(settings.isSet(Setting.JWKS_URL) ? Setting.JWKS_URL : Setting.JWT_ISSUER,
                    "an http(s) URL (the JWKS URL " + jwks + " is not: " + e.getMessage() + ")");
        }
        return of(issuer, audience, url);
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
