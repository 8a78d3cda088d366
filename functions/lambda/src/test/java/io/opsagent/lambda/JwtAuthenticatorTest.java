package io.opsagent.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.Headers;
import io.opsagent.app.config.Settings;
import io.opsagent.app.http.ApiError;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Token verification against a JWKS served over real HTTP by {@link JwtTestIssuer}, with tokens signed here. */
class JwtAuthenticatorTest {
    private JwtTestIssuer issuer;
    private JwtAuthenticator auth;

    @BeforeEach
    void start() throws Exception {
        issuer = new JwtTestIssuer();
        auth = new JwtAuthenticator(issuer.config());
    }

    @AfterEach
    void stop() {
        issuer.close();
    }

    private static String sub() {
        return UUID.randomUUID().toString();
    }

    private String user(String token) {
        Headers h = new Headers();
        h.add("Authorization", "Bearer " + token);
        return auth.user(h);
    }

    private static void rejected(ThrowingCallable call, String reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.field()).isEqualTo("Authorization");
            assertThat(e.getMessage()).containsIgnoringCase(reason);
        });
    }

    @Test
    void idAndAccessTokensGiveTheSubjectAndTheKeysAreFetchedOnce() {
        String alice = sub();
        assertThat(user(issuer.token(alice))).isEqualTo(alice);
        String bob = sub();
        assertThat(user(JwtTestIssuer.sign(issuer.key(), JwtTestIssuer.accessClaims(bob).build()))).isEqualTo(bob);
        JwtAuthenticator.Identity id = auth.verify("bearer " + issuer.token(alice));
        assertThat(id.tokenUse()).isEqualTo("id");
        assertThat(id.expires()).isAfter(Instant.now());
        java.util.List<String> tokens = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) tokens.add(issuer.token("user-" + i));
        long t0 = System.nanoTime();
        for (int i = 0; i < 50; i++) assertThat(user(tokens.get(i))).isEqualTo("user-" + i);
        System.out.printf("JWT verification (cached keys, RS256 2048): %.3f ms each%n", (System.nanoTime() - t0) / 50 / 1e6);
        assertThat(issuer.fetches.get()).as("JWKS fetches for 53 verifications").isEqualTo(1);
    }

    @Test
    void expiredAndNotYetValidTokensAreRejectedBeyondTheClockSkew() {
        Instant now = Instant.now();
        rejected(() -> user(issuer.token(sub(), b -> b.expirationTime(Date.from(now.minusSeconds(120))))), "expired");
        assertThat(user(issuer.token("u1", b -> b.expirationTime(Date.from(now.minusSeconds(10)))))).as("within skew").isEqualTo("u1");
        rejected(() -> user(issuer.token(sub(), b -> b.expirationTime(null))), "no expiry");
        rejected(() -> user(issuer.token(sub(), b -> b.notBeforeTime(Date.from(now.plusSeconds(600))))), "not valid before");
    }

    @Test
    void aTokenSignedByAnotherKeyIsABadSignature() {
        RSAKey other = JwtTestIssuer.newKey();
        // same kid as the published key, different private key
        RSAKey impostor = new RSAKey.Builder(other).keyID(issuer.key().getKeyID()).build();
        rejected(() -> user(JwtTestIssuer.sign(impostor, JwtTestIssuer.idClaims(sub()).build())), "bad signature");
        // a kid the issuer never published: refetched once (rate-limited), then rejected
        rejected(() -> user(JwtTestIssuer.sign(other, JwtTestIssuer.idClaims(sub()).build())), "no signing key");
        int after = issuer.fetches.get();
        for (int i = 0; i < 5; i++) {
            rejected(() -> user(JwtTestIssuer.sign(JwtTestIssuer.newKey(), JwtTestIssuer.idClaims(sub()).build())), "no signing key");
        }
        assertThat(issuer.fetches.get()).as("unknown kids do not hammer the issuer").isLessThanOrEqualTo(after + 1);
    }

    @Test
    void wrongIssuerAudienceClientIdOrTokenUseAreRejected() {
        rejected(() -> user(issuer.token(sub(), b -> b.issuer("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other"))), "wrong issuer");
        rejected(() -> user(issuer.token(sub(), b -> b.audience("another-client"))), "wrong audience");
        rejected(() -> user(JwtTestIssuer.sign(issuer.key(), JwtTestIssuer.accessClaims(sub())
                .claim("client_id", "another-client").build())), "wrong audience");
        rejected(() -> user(issuer.token(sub(), b -> b.claim("token_use", "refresh"))), "token_use");
        rejected(() -> user(issuer.token(sub(), b -> b.claim("token_use", null))), "token_use");
        rejected(() -> user(issuer.token("Not A Valid User")), "subject");
    }

    @Test
    void unsignedHmacMissingAndMalformedTokensAreRejected() throws Exception {
        String none = new PlainJWT(JwtTestIssuer.idClaims(sub()).build()).serialize();
        rejected(() -> user(none), "alg none");
        SignedJWT hs = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), JwtTestIssuer.idClaims(sub()).build());
        hs.sign(new MACSigner(new byte[32]));
        rejected(() -> user(hs.serialize()), "only RS256");
        rejected(() -> auth.user(new Headers()), "missing Authorization header");
        rejected(() -> auth.verify("Basic YWxpY2U6c2VjcmV0"), "Bearer <token>");
        rejected(() -> auth.verify("Bearer "), "Bearer");
        rejected(() -> user("not.a.jwt"), "malformed token");
        String token = issuer.token(sub());
        assertThatThrownBy(() -> user(token + "x")).isInstanceOf(ApiError.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(token));
    }

    @Test
    void keyRotationRefetchesTheKeySetOnce() {
        assertThat(user(issuer.token("before"))).isEqualTo("before");
        assertThat(issuer.fetches.get()).isEqualTo(1);
        issuer.rotate();
        assertThat(user(issuer.token("after"))).isEqualTo("after");
        assertThat(issuer.fetches.get()).as("refetched for the new kid").isEqualTo(2);
        for (int i = 0; i < 10; i++) assertThat(user(issuer.token("after" + i))).isEqualTo("after" + i);
        assertThat(issuer.fetches.get()).isEqualTo(2);
        // refreshKeys (after a SnapStart restore) drops the cache: the next token fetches again
        auth.refreshKeys();
        assertThat(user(issuer.token("restored"))).isEqualTo("restored");
        assertThat(issuer.fetches.get()).isEqualTo(3);
    }

    @Test
    void unreachableKeysAreA503NotA401() throws Exception {
        URL dead = new URL("http://127.0.0.1:1/.well-known/jwks.json");
        JwtAuthenticator a = new JwtAuthenticator(new JwtConfig(JwtTestIssuer.ISSUER, JwtTestIssuer.CLIENT_ID, dead,
                null, Duration.ofMillis(500), null, null));
        String token = issuer.token(sub());
        assertThatThrownBy(() -> a.verify("Bearer " + token)).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.getMessage()).contains("signing keys").doesNotContain(token);
        });
    }

    @Test
    void primingVerifiesWithAThrowawayKeyWithoutFetching() {
        assertThat(auth.prime()).isNotNegative();
        assertThat(issuer.fetches.get()).isZero();
    }

    @Test
    void settingsNameWhatIsMissingAndDefaultTheJwksUrl() {
        assertThatThrownBy(() -> JwtAuthenticator.fromSettings(Settings.fromEnvironment(Map.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OPSAGENT_JWT_ISSUER");
        assertThatThrownBy(() -> JwtConfig.fromSettings(Settings.fromEnvironment(Map.of("OPSAGENT_JWT_ISSUER", JwtTestIssuer.ISSUER))))
                .hasMessageContaining("OPSAGENT_JWT_AUDIENCE");
        JwtConfig c = JwtConfig.fromSettings(Settings.fromEnvironment(Map.of("OPSAGENT_JWT_ISSUER", JwtTestIssuer.ISSUER,
                "OPSAGENT_JWT_AUDIENCE", "client")));
        assertThat(c.jwksUrl().toString()).isEqualTo(JwtTestIssuer.ISSUER + "/.well-known/jwks.json");
        assertThatThrownBy(() -> JwtConfig.fromSettings(Settings.fromEnvironment(Map.of("OPSAGENT_JWT_ISSUER", JwtTestIssuer.ISSUER,
                "OPSAGENT_JWT_AUDIENCE", "client", "OPSAGENT_JWKS_URL", "file:///etc/passwd"))))
                .hasMessageContaining("OPSAGENT_JWKS_URL");
    }
}
