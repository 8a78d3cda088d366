package io.opsagent.adapters.kubernetes;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.regions.Region;

/**
 * Makes EKS bearer tokens the way {@code aws eks get-token} does: a SigV4 query-string presigned STS
 * {@code GetCallerIdentity} URL (60 s expiry) that signs the {@code x-k8s-aws-id: CLUSTER} header, encoded as
 * {@code k8s-aws-v1.} + base64url without padding. No AWS call is made here; the API server's authenticator calls
 * STS with the URL.
 */
public final class EksTokenGenerator {

    /** Prefix of every EKS token. */
    public static final String PREFIX = "k8s-aws-v1.";
    /** The header naming the cluster, signed into the URL. */
    public static final String CLUSTER_HEADER = "x-k8s-aws-id";
    private static final Duration URL_EXPIRY = Duration.ofSeconds(60);

    private final AwsCredentialsProvider credentials;
    private final Region region;
    private final Clock clock;

    public EksTokenGenerator(AwsCredentialsProvider credentials, Region region, Clock clock) {
        this.credentials = credentials;
        this.region = region;
        this.clock = clock;
    }

    /** The presigned {@code GetCallerIdentity} URL for {@code cluster}, on the regional STS endpoint. */
    public String presignedUrl(String cluster) {
        if (cluster == null || cluster.isBlank()) {
            throw new IllegalArgumentException("EKS cluster name must not be blank");
        }
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.GET)
                .uri(URI.create("https://sts." + region.id() + ".amazonaws.com/"))
                .appendRawQueryParameter("Action", "GetCallerIdentity")
                .appendRawQueryParameter("Version", "2011-06-15")
                .putHeader(CLUSTER_HEADER, cluster)
                .build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(credentials.resolveCredentials())
                .request(request)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sts")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region.id())
                .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, URL_EXPIRY)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock));
        return signed.request().getUri().toString();
    }

    /** A bearer token for {@code cluster}. */
    public String token(String cluster) {
        return PREFIX + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(presignedUrl(cluster).getBytes(StandardCharsets.UTF_8));
    }

    /** A token provider for the fabric8 client: a new token every {@link RefreshingTokenProvider#EKS_REFRESH}. */
    public RefreshingTokenProvider tokenProvider(String cluster) {
        return new RefreshingTokenProvider(() -> token(cluster), RefreshingTokenProvider.EKS_REFRESH, clock);
    }
}
