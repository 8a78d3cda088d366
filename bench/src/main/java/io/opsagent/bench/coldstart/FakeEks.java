package io.opsagent.bench.coldstart;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.opsagent.core.cluster.ContainerLog;
import io.opsagent.core.cluster.LogLine;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.input.ClusterDumpReader;
import io.opsagent.core.input.InputException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An EKS cluster on loopback, for functions configured as in AWS ({@code OPSAGENT_EKS_CLUSTER}): the EKS API's
 * {@code GET /clusters/{name}} (DescribeCluster, REST-JSON, as the real SDK client calls it) answering with the endpoint
 * of a Kubernetes API server, fabric8's CRUD mock server seeded with every object of a cluster dump. The function's
 * init then does what it does in AWS: the EKS client, DescribeCluster, fabric8's client, signed bearer tokens.
 * Pod logs are the dump's ({@code /api/v1/namespaces/{ns}/pods/{pod}/log} with {@code container}, {@code previous},
 * {@code tailLines}); the CRUD server alone would answer a log read with every object it holds, as one line.
 */
final class FakeEks implements AutoCloseable {
    /** The mock server logs every request at INFO; held here so the level sticks (loggers are weakly referenced). */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
    /**
     * When a watch of a function JVM closes, the mock's watch listener can wait on its own event loop (up to 30 s)
     * and vert.x prints a stack trace every second. A request measured meanwhile would wait too and show as an
     * outlier of seconds (the report gives min and median); quiet here, so the report stays readable.
     */
    private static final java.util.logging.Logger VERTX_CHECKER =
            java.util.logging.Logger.getLogger("io.vertx.core.impl.BlockedThreadChecker");

    static {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        VERTX_CHECKER.setLevel(java.util.logging.Level.OFF);
    }

    /** The cluster name DescribeCluster knows. */
    static final String CLUSTER = "bench";
    /** The dump the Kubernetes API is seeded from, relative to the repository root. */
    static final String DUMP = "events/clusters/demo";

    private final KubernetesMockServer api;
    private final HttpServer eks;
    private final int objects;

    /** Starts both servers and loads {@code dumpDir} (a {@code kubectl cluster-info dump} directory) into the API. */
    FakeEks(Path dumpDir) throws IOException {
        ClusterSnapshot dump;
        try {
            dump = new ClusterDumpReader().read(dumpDir);
        } catch (InputException e) {
            throw new IOException("cannot seed the fake EKS cluster from " + dumpDir + ": " + e.getMessage(), e);
        }
        api = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new PodLogs(new KubernetesCrudDispatcher(), dump.logs()), false);
        api.init(InetAddress.getLoopbackAddress(), 0);
        List<HasMetadata> all = Stream.concat(dump.objects(), dump.events().stream()).toList();
        try (KubernetesClient client = api.createClient()) {
            for (HasMetadata o : all) {
                o.getMetadata().setResourceVersion(null);
                client.resource(o).create();
            }
        }
        objects = all.size();
        String endpoint = "http://" + api.getHostName() + ":" + api.getPort();
        eks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        eks.createContext("/clusters/", ex -> {
            String name = ex.getRequestURI().getPath().substring("/clusters/".length());
            boolean known = name.equals(CLUSTER);
            byte[] body = (known
                    ? "{\"cluster\":{\"name\":\"" + CLUSTER + "\",\"endpoint\":\"" + endpoint + "\",\"certificateAuthority\":"
                    + "{\"data\":\"TFMwdExTMUNSVWRKVGlCRFJWSlU=\"},\"status\":\"ACTIVE\"}}"
                    : "{\"message\":\"No cluster found for name: " + name + ".\"}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            if (!known) {
                ex.getResponseHeaders().add("x-amzn-ErrorType", "ResourceNotFoundException");
            }
            ex.sendResponseHeaders(known ? 200 : 404, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        eks.start();
    }

    /** The EKS API endpoint ({@code OPSAGENT_EKS_ENDPOINT}). */
    String endpoint() {
        return "http://127.0.0.1:" + eks.getAddress().getPort();
    }

    /** How many objects the Kubernetes API holds. */
    int objects() {
        return objects;
    }

    /** Answers pod log reads from the dump's logs; everything else goes to the CRUD dispatcher. */
    static final class PodLogs extends Dispatcher {
        private static final Pattern LOG = Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/?]+)/log(?:\\?(.*))?");
        private final Dispatcher crud;
        private final Map<String, List<LogLine>> logs = new HashMap<>();

        PodLogs(Dispatcher crud, List<ContainerLog> logs) {
            this.crud = crud;
            for (ContainerLog l : logs) {
                this.logs.put(key(l.namespace(), l.pod(), l.container(), l.previous()), l.lines());
            }
        }

        private static String key(String ns, String pod, String container, boolean previous) {
            return ns + "/" + pod + "/" + container + (previous ? "/previous" : "");
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            Matcher m = LOG.matcher(request.getPath());
            if (!request.getMethod().equals("GET") || !m.matches()) {
                return crud.dispatch(request);
            }
            Map<String, String> query = new HashMap<>();
            if (m.group(3) != null) {
                for (String kv : m.group(3).split("&")) {
                    int eq = kv.indexOf('=');
                    query.put(URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8),
                            eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            List<LogLine> lines = logs.get(key(m.group(1), m.group(2), query.getOrDefault("container", ""),
                    "true".equals(query.get("previous"))));
            if (lines == null) {
                return new MockResponse().setResponseCode(400).setBody("{\"kind\":\"Status\",\"status\":\"Failure\","
                        + "\"message\":\"no log for that container\",\"reason\":\"BadRequest\",\"code\":400}");
            }
            int tail = query.containsKey("tailLines") ? Integer.parseInt(query.get("tailLines")) : lines.size();
            StringBuilder text = new StringBuilder();
            for (LogLine l : lines.subList(Math.max(0, lines.size() - tail), lines.size())) {
                text.append(l.text()).append('\n');
            }
            return new MockResponse().setResponseCode(200).setBody(text.toString());
        }
    }

    @Override
    public void close() {
        eks.stop(0);
        api.destroy();
    }
}
