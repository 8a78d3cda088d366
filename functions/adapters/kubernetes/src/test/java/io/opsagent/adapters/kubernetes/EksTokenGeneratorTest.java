package io.opsagent.adapters.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

class EksTokenGeneratorTest {

    static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    final AtomicReference<Instant> now = new AtomicReference<>(T0);
    final Clock clock = new Clock() {
        public ZoneId getZone() { return ZoneOffset.UTC; }
        public Clock withZone(ZoneId z) { return this; }
        public Instant instant() { return now.get(); }
    };
    final EksTokenGenerator generator = new EksTokenGenerator(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")),
            Region.EU_WEST_1, clock);

    static Map<String, String> query(String url) {
        Map<String, String> q = new LinkedHashMap<>();
        for (String kv : URI.create(url).getRawQuery().split("&")) {
            String[] p = kv.split("=", 2);
            q.put(p[0], URLDecoder.decode(p[1], StandardCharsets.UTF_8));
        }
        return q;
    }

    @Test
    void presignedUrlSignsTheClusterHeaderFor60Seconds() {
        String url = generator.presignedUrl("prod");

        assertThat(url).startsWith("https://sts.eu-west-1.amazonaws.com/?");
        Map<String, String> q = query(url);
        assertThat(q).containsEntry("Action", "GetCallerIdentity").containsEntry("Version", "2011-06-15")
                .containsEntry("X-Amz-Algorithm", "AWS4-HMAC-SHA256").containsEntry("X-Amz-Expires", "60")
                .containsEntry("X-Amz-Date", "20261121T100000Z")
                .containsEntry("X-Amz-Credential", "AKIDEXAMPLE/20261121/eu-west-1/sts/aws4_request");
        assertThat(q.get("X-Amz-SignedHeaders").split(";")).contains("host", "x-k8s-aws-id");
        assertThat(q.get("X-Amz-Signature")).matches("[0-9a-f]{64}");
        assertThat(url).doesNotContain("secret");
    }

    @Test
    void tokenIsPrefixedUnpaddedBase64UrlOfTheUrl() {
        String token = generator.token("prod");

        assertThat(token).startsWith("k8s-aws-v1.");
        String encoded = token.substring("k8s-aws-v1.".length());
        assertThat(encoded).matches("[A-Za-z0-9_-]+");
        assertThat(new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8))
                .isEqualTo(generator.presignedUrl("prod"));
        // deterministic for a fixed clock and credentials; another cluster signs differently
        assertThat(generator.token("prod")).isEqualTo(token);
        assertThat(generator.token("staging")).isNotEqualTo(token);
    }

    @Test
    void providerRefreshesAfterTenMinutes() {
        AtomicInteger made = new AtomicInteger();
        RefreshingTokenProvider provider = new RefreshingTokenProvider(
                () -> generator.token("prod") + "#" + made.incrementAndGet(), RefreshingTokenProvider.EKS_REFRESH, clock);

        String first = provider.getToken();
        now.set(T0.plus(Duration.ofMinutes(9)).plusSeconds(59));
        assertThat(provider.getToken()).isEqualTo(first);
        now.set(T0.plus(Duration.ofMinutes(10)));
        String second = provider.getToken();
        assertThat(second).isNotEqualTo(first).endsWith("#2");
        // the new token is signed at the new time
        String url = new String(Base64.getUrlDecoder().decode(second.substring(11, second.indexOf('#'))),
                StandardCharsets.UTF_8);
        assertThat(query(url)).containsEntry("X-Amz-Date", "20261121T101000Z");
    }
}
