package io.opsagent.adapters.dynamodb;

import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBRequestHandler;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBServerHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * DynamoDB Local running inside this JVM for the local product, served over HTTP on the loopback interface only.
 *
 * <p>{@link #start(Path)} keeps the data in a directory (one SQLite file, {@code shared-local-instance.db}), so
 * sessions and runs survive a restart; {@link #startInMemory()} keeps nothing (tests). The server is the one
 * {@code ServerRunner -dbPath DIR -sharedDb -port N} starts, but built here so that Jetty binds to 127.0.0.1 on
 * a port the OS picks (ServerRunner binds every interface and has no host option), and telemetry is never
 * configured (no network). A lock file stops two processes from opening the same directory.
 *
 * <pre>{@code
 * try (LocalDynamo db = LocalDynamo.start(LocalDynamo.defaultDataDir())) {
 *     TableSetup.ensureTables(db.client(), TableNames.DEFAULT);
 *     SessionStore sessions = new DynamoSessionStore(db.client(), TableNames.DEFAULT);
 * }
 * }</pre>
 */
public final class LocalDynamo implements AutoCloseable {

    /**
     * sqlite4java (inside DynamoDB Local) warns "unknown jar version" on every start because it is loaded from a
     * repackaged jar; the warning means nothing here. Held in a field so the level survives garbage collection.
     */
    private static final java.util.logging.Logger SQLITE_LOG = java.util.logging.Logger.getLogger("com.almworks.sqlite4java");

    static {
        SQLITE_LOG.setLevel(java.util.logging.Level.SEVERE);
    }

    /** The region the local client signs for; DynamoDB Local ignores it with {@code -sharedDb}. */
    public static final Region REGION = Region.US_EAST_1;
    /** System property overriding {@link #defaultDataDir()}. */
    public static final String DATA_DIR_PROPERTY = io.opsagent.core.util.DataDirs.PROPERTY;
    /** Environment variable overriding {@link #defaultDataDir()} (the system property wins). */
    public static final String DATA_DIR_ENV = io.opsagent.core.util.DataDirs.ENV;

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final ThreadGroup threads;
    private final Server jetty;
    private final LocalDynamoDBServerHandler handler;
    private final URI endpoint;
    private final Path dataDir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Duration startup;
    private final DynamoDbClient client;

    private LocalDynamo(ThreadGroup threads, Server jetty, LocalDynamoDBServerHandler handler, URI endpoint,
                        Path dataDir, FileChannel lockChannel, FileLock lock, Duration startup) {
        this.threads = threads;
        this.jetty = jetty;
        this.handler = handler;
        this.endpoint = endpoint;
        this.dataDir = dataDir;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.startup = startup;
        this.client = clientBuilder().build();
    }

    /**
     * Where the local product keeps its data: system property {@value #DATA_DIR_PROPERTY}, else environment
     * variable {@value #DATA_DIR_ENV}, else {@code ~/.opsagent/data}.
     */
    public static Path defaultDataDir() {
        return io.opsagent.core.util.DataDirs.defaultDataDir();
    }

    /** Starts DynamoDB Local keeping its data in {@code dataDir} (created if missing). */
    public static LocalDynamo start(Path dataDir) {
        Path dir = dataDir.toAbsolutePath().normalize();
        FileChannel channel = null;
        FileLock lock = null;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new IllegalStateException("the data directory " + dir
                        + " is in use by another OpsAgent (lock file " + dir.resolve(".lock") + ")");
            }
            return launch(false, dir, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot open the data directory " + dir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** Starts DynamoDB Local keeping everything in memory (for tests). */
    public static LocalDynamo startInMemory() {
        return launch(true, null, null, null);
    }

    private static LocalDynamo launch(boolean inMemory, Path dir, FileChannel channel, FileLock lock) {
        long t0 = System.nanoTime();
        // DynamoDB Local's background jobs run on non-daemon pool threads, and one of them (the stream shard
        // rollover scheduler) sleeps for hours without noticing its cancellation, which would keep the JVM alive
        // after close(). Building the server from a thread of a group of our own puts every thread it creates in
        // that group, so close() can interrupt exactly those.
        ThreadGroup group = new ThreadGroup("dynamodb-local-" + INSTANCES.incrementAndGet());
        Thread warmUp = new Thread(LocalDynamo::warmUpClient, group.getName() + "-client-warm-up");
        warmUp.setDaemon(true);
        warmUp.start(); // loads the SDK client's classes on the other core while the server starts
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread starter = new Thread(group, () -> outcome.set(build(inMemory, dir)), group.getName() + "-start");
        starter.start();
        try {
            starter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting DynamoDB Local", e);
        }
        if (outcome.get() instanceof Exception e) {
            group.interrupt();
            throw new IllegalStateException("DynamoDB Local did not start"
                    + (dir == null ? " (in memory)" : " with data directory " + dir) + ": " + e, e);
        }
        Started started = (Started) outcome.get();
        return new LocalDynamo(group, started.jetty(), started.handler(), started.endpoint(), dir, channel, lock,
                Duration.ofNanos(System.nanoTime() - t0));
    }

    /** Builds and drops a client, so that building the real one once the port is known takes little time. */
    private static void warmUpClient() {
        try (DynamoDbClient c = DynamoDbClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1"))
                .region(REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.builder().build())
                .build()) {
            c.serviceName();
        } catch (RuntimeException e) {
            // only a warm-up
        }
    }

    private record Started(Server jetty, LocalDynamoDBServerHandler handler, URI endpoint) {
    }

    /** Builds and starts the server; returns a {@link Started} or the exception. */
    private static Object build(boolean inMemory, Path dir) {
        LocalDynamoDBServerHandler handler = null;
        Server jetty = null;
        try {
            // the same objects ServerRunner.createServer builds for: -inMemory | -dbPath DIR, -sharedDb
            LocalDynamoDBRequestHandler requests = new LocalDynamoDBRequestHandler(0, inMemory,
                    dir == null ? null : dir.toString(), true, false);
            handler = new LocalDynamoDBServerHandler(requests, null);
            DynamoDBProxyServer proxy = new DynamoDBProxyServer(0, handler); // only used for its handler tree
            jetty = new Server(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            jetty.setHandler(proxy.setUpHandler(handler));
            jetty.start();
            int port = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
            return new Started(jetty, handler, URI.create("http://127.0.0.1:" + port));
        } catch (Exception e) {
            stopQuietly(jetty, handler);
            return e;
        }
    }

    /** A client for this server, shared; do not close it (close this object instead). */
    public DynamoDbClient client() {
        return client;
    }

    /**
     * A builder preset for this server (endpoint, region, static dummy credentials, URL-connection HTTP client),
     * e.g. to add an {@code ExecutionInterceptor}. The caller closes what it builds.
     */
    public DynamoDbClientBuilder clientBuilder() {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.builder().build());
    }

    /** The HTTP endpoint, {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return endpoint;
    }

    /** The data directory, or null in memory. */
    public Path dataDir() {
        return dataDir;
    }

    /** How long the server took to start (wall clock, in this JVM). */
    public Duration startupTime() {
        return startup;
    }

    /** The thread group holding every thread the server created (for tests). */
    ThreadGroup threadGroup() {
        return threads;
    }

    /** Stops the server, closes the client and releases the data directory. */
    @Override
    public void close() {
        client.close();
        stopQuietly(jetty, handler);
        threads.interrupt(); // the background jobs were cancelled by the handler; wake the sleeping ones
        try {
            if (lock != null) {
                lock.release();
            }
        } catch (IOException e) {
            // released with the channel below
        }
        closeQuietly(lockChannel);
    }

    private static void stopQuietly(Server jetty, LocalDynamoDBServerHandler handler) {
        try {
            if (jetty != null) {
                jetty.stop();
            }
        } catch (Exception e) {
            // best effort while stopping
        }
        if (handler != null) {
            handler.close();
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing left to do
            }
        }
    }
}
