package io.opsagent.lambda;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A stand-in for a Cognito user pool in tests: RSA keys generated here, their public JWKS served over real HTTP on a
 * loopback port (requests counted), and tokens signed like Cognito's (RS256, {@code kid}, {@code token_use}).
 */
final class JwtTestIssuer implements AutoCloseable {
    static final String ISSUER = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TestPool";
    static final String CLIENT_ID = "3n4b5urk1ft4fl3mg5e4ph3kta";

    private final HttpServer server;
    final AtomicInteger fetches = new AtomicInteger();
    private volatile RSAKey current;
    private volatile JWKSet published;

    JwtTestIssuer() throws IOException {
        current = newKey();
        published = new JWKSet(current.toPublicJWK());
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/.well-known/jwks.json", ex -> {
            fetches.incrementAndGet();
            byte[] body = published.toString(true).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    static RSAKey newKey() {
        try {
            return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    URL jwksUrl() {
        try {
            return new URL("http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/jwks.json");
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    JwtConfig config() {
        return JwtConfig.of(ISSUER, CLIENT_ID, jwksUrl());
    }

    RSAKey key() {
        return current;
    }

    /** A new signing key with a new kid; the JWKS now publishes the new key and the old one (as Cognito does). */
    RSAKey rotate() {
        RSAKey old = current;
        current = newKey();
        published = new JWKSet(java.util.List.of(current.toPublicJWK(), old.toPublicJWK()));
        return current;
    }

    /** The claims of a valid ID token for {@code sub}. */
    static JWTClaimsSet.Builder idClaims(String sub) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience(CLIENT_ID).subject(sub).claim("token_use", "id")
                .claim("cognito:username", "alice").issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3600)));
    }

    /** The claims of a valid access token for {@code sub} (client_id, no aud). */
    static JWTClaimsSet.Builder accessClaims(String sub) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(ISSUER).subject(sub).claim("client_id", CLIENT_ID)
                .claim("token_use", "access").claim("scope", "openid email").issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(3600)));
    }

    /** A valid ID token for {@code sub}. */
    String token(String sub) {
        return sign(current, idClaims(sub).build());
    }

    /** An ID token for {@code sub} with claims changed by {@code edit}. */
    String token(String sub, Consumer<JWTClaimsSet.Builder> edit) {
        JWTClaimsSet.Builder b = idClaims(sub);
        edit.accept(b);
        return sign(current, b.build());
    }

    static String sign(RSAKey key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
