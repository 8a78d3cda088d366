package io.opsagent.bench.coldstart;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for the Cognito user pool: an RSA key, its JWKS served on loopback at
 * {@code ISSUER/.well-known/jwks.json}, and RS256 tokens signed with it, so the chat function verifies a real token
 * without AWS.
 */
public final class JwtIssuer implements AutoCloseable {
    /** The audience (app client id) the tokens are issued to. */
    public static final String AUDIENCE = "coldstart-bench-client";
    private static final String KID = "coldstart-bench";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final KeyPair keys;
    private final HttpServer server;

    /** Generates the key and starts the JWKS endpoint on a free loopback port. */
    public JwtIssuer() throws IOException, GeneralSecurityException {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        keys = gen.generateKeyPair();
        RSAPublicKey pub = (RSAPublicKey) keys.getPublic();
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kty", "RSA");
        jwk.put("kid", KID);
        jwk.put("use", "sig");
        jwk.put("alg", "RS256");
        jwk.put("n", B64.encodeToString(unsigned(pub.getModulus())));
        jwk.put("e", B64.encodeToString(unsigned(pub.getPublicExponent())));
        byte[] jwks = JSON.writeValueAsBytes(Map.of("keys", List.of(jwk)));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/.well-known/jwks.json", ex -> {
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, jwks.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(jwks);
            }
        });
        server.start();
    }

    private static byte[] unsigned(BigInteger n) {
        byte[] b = n.toByteArray();
        return b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b;
    }

    /** The issuer URL ({@code http://127.0.0.1:PORT}). */
    public String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The JWKS URL. */
    public String jwksUrl() {
        return issuer() + "/.well-known/jwks.json";
    }

    /** A token valid for an hour carrying {@code claims} plus iss, iat and exp. */
    public String token(Map<String, String> claims) {
        long now = System.currentTimeMillis() / 1000;
        Map<String, Object> payload = new LinkedHashMap<>(claims);
        payload.put("iss", issuer());
        payload.put("iat", now);
        payload.put("auth_time", now);
        payload.put("exp", now + 3600);
        try {
            String head = B64.encodeToString(JSON.writeValueAsBytes(Map.of("alg", "RS256", "kid", KID, "typ", "JWT")));
            String body = B64.encodeToString(JSON.writeValueAsBytes(payload));
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(keys.getPrivate());
            rs256.update((head + "." + body).getBytes(StandardCharsets.US_ASCII));
            return head + "." + body + "." + B64.encodeToString(rs256.sign());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the bench token", e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
