package io.opsagent.adapters.stepfunctions;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * LocalStack in host mode ({@code aws-local/localstack}): Step Functions and SQS on a laptop, reached with the same
 * SDK clients as AWS. {@link #ensure} starts it when it does not answer (installing it the first time) and leaves
 * it running for the next caller; the port and state directory come from the environment.
 */
public final class LocalStack {
    public static final Region REGION = Region.US_EAST_1;
    /** LocalStack's credentials (any are accepted; these are its documented test ones), for other services' clients. */
    public static final StaticCredentialsProvider CREDS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    private final URI endpoint;
    private final Path script;
    private final int port;
    private final boolean startedHere;

    private LocalStack(URI endpoint, Path script, int port, boolean startedHere) {
        this.endpoint = endpoint;
        this.script = script;
        this.port = port;
        this.startedHere = startedHere;
    }

    /** True when {@link #ensure} started it (it was not running): {@link #stopIfStartedHere} stops it then. */
    public boolean startedHere() {
        return startedHere;
    }

    /** Stops LocalStack if this process started it; one that was already running is left alone. */
    public void stopIfStartedHere() {
        if (!startedHere) return;
        run(script, port, "down");
    }

    private static int run(Path script, int port, String arg) {
        ProcessBuilder pb = new ProcessBuilder(script.toString(), arg).redirectErrorStream(true);
        pb.environment().put("OPSAGENT_LOCALSTACK_PORT", String.valueOf(port));
        try {
            Process p = pb.start();
            p.getInputStream().readAllBytes();
            return p.waitFor();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    /** The checkout this code runs from: the nearest directory above the working one with {@code statemachines/}. */
    public static Path checkoutRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("statemachines/change.asl.json"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("statemachines/change.asl.json not found above " + Path.of("").toAbsolutePath());
        return p;
    }

    /** The port of the test suite's LocalStack: {@code OPSAGENT_TEST_LOCALSTACK_PORT} (scripts/test), default 4577. */
    public static int testPort() {
        String p = System.getenv("OPSAGENT_TEST_LOCALSTACK_PORT");
        return p == null || p.isBlank() ? 4577 : Integer.parseInt(p.strip());
    }

    /** The LocalStack on {@code port}, started by {@code aws-local/localstack up} if it is not running. */
    public static LocalStack ensure(Path repoRoot, int port) {
        Path script = repoRoot.resolve("aws-local/localstack");
        if (!Files.isRegularFile(script)) throw new IllegalStateException("aws-local/localstack not found under " + repoRoot);
        boolean running = run(script, port, "status") == 0;
        List<String> cmd = new ArrayList<>(List.of(script.toString(), "up"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("OPSAGENT_LOCALSTACK_PORT", String.valueOf(port));
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) throw new IllegalStateException("LocalStack did not start on port " + port + ":\n" + out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting LocalStack", e);
        }
        return new LocalStack(URI.create("http://127.0.0.1:" + port), script, port, !running);
    }

    public SfnClient sfn() {
        return SfnClient.builder().endpointOverride(endpoint).region(REGION).credentialsProvider(CREDS)
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    public SqsClient sqs() {
        return SqsClient.builder().endpointOverride(endpoint).region(REGION).credentialsProvider(CREDS)
                .httpClient(UrlConnectionHttpClient.create()).build();
    }
}
