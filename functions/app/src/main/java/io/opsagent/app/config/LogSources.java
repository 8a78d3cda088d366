package io.opsagent.app.config;

import io.opsagent.adapters.cloudwatch.InsightsConfig;
import io.opsagent.adapters.cloudwatch.InsightsLogSource;
import io.opsagent.core.logs.search.LogSource;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClientBuilder;

/**
 * Where log search reads, from {@link Setting#LOG_SOURCE}: {@value #SNAPSHOT} (the logs held by the dump, evidence
 * or live snapshot), {@value #KUBERNETES} (the pod log API of the live cluster) or {@value #CLOUDWATCH} (CloudWatch
 * Logs Insights over {@link Setting#LOG_GROUPS}, region {@link Setting#AWS_REGION}, endpoint
 * {@link Setting#LOGS_ENDPOINT}). Default: {@value #KUBERNETES} for a live cluster, {@value #SNAPSHOT} otherwise.
 */
public final class LogSources {
    public static final String SNAPSHOT = "snapshot";
    public static final String KUBERNETES = "kubernetes";
    public static final String CLOUDWATCH = "cloudwatch";

    private LogSources() {
    }

    /** The log source chosen; {@value #KUBERNETES} without a live cluster is an error naming the setting. */
    public static String choice(Settings s, boolean live) {
        String c = s.choice(Setting.LOG_SOURCE, live ? KUBERNETES : SNAPSHOT, SNAPSHOT, KUBERNETES, CLOUDWATCH);
        if (c.equals(KUBERNETES) && !live) {
            throw s.bad(Setting.LOG_SOURCE, "pod logs need a live cluster: set OPSAGENT_KUBE_CONTEXT (--context) or"
                    + " OPSAGENT_EKS_CLUSTER, or use snapshot or cloudwatch");
        }
        return c;
    }

    /**
     * A CloudWatch Logs Insights source (its {@code log_patterns} using the Insights {@code pattern} command) and the
     * client it owns.
     */
    public record CloudWatch(LogSource source, CloudWatchLogsClient client) implements AutoCloseable {
        @Override
        public void close() {
            client.close();
        }
    }

    /**
     * The CloudWatch Logs Insights source of these settings (credentials: the AWS SDK's default chain).
     *
     * @throws IllegalArgumentException naming the setting when log groups are missing or invalid
     */
    public static CloudWatch cloudWatch(Settings s) {
        List<String> groups = s.list(Setting.LOG_GROUPS);
        if (groups.isEmpty()) {
            throw s.bad(Setting.LOG_GROUPS, "CloudWatch log search needs the log group names, e.g. "
                    + "/aws/containerinsights/CLUSTER/application");
        }
        InsightsConfig config;
        try {
            config = InsightsConfig.of(groups);
        } catch (IllegalArgumentException e) {
            throw s.bad(Setting.LOG_GROUPS, e.getMessage());
        }
        CloudWatchLogsClientBuilder b = CloudWatchLogsClient.builder()
                .httpClient(UrlConnectionHttpClient.builder().build());
        AwsSettings.region(s).ifPresent(b::region);
        s.get(Setting.LOGS_ENDPOINT).ifPresent(u -> b.endpointOverride(uri(s, Setting.LOGS_ENDPOINT)));
        CloudWatchLogsClient client = b.build();
        return new CloudWatch(new CloudWatchLogs(new InsightsLogSource(client, config)), client);
    }

    static URI uri(Settings s, Setting which) {
        String v = s.get(which).orElseThrow();
        try {
            URI u = new URI(v);
            if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
                    || u.getHost() == null) {
                throw s.bad(which, "expected an http(s) URL");
            }
            return u;
        } catch (URISyntaxException e) {
            throw s.bad(which, "expected an http(s) URL");
        }
    }
}
