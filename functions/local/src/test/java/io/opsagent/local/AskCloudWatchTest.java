package io.opsagent.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ask} with {@code OPSAGENT_LOG_SOURCE=cloudwatch}: the log tool queries CloudWatch Logs Insights (a local
 * server speaking the Logs JSON protocol, reached by the real SDK client) and the answer cites its lines.
 */
class AskCloudWatchTest {
    private static final Path DEMO = Path.of(System.getProperty("opsagent.root", "../..")).resolve("events/clusters/demo");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GROUP = "/aws/containerinsights/demo/application";
    private static final String POD = "orders-xh76jjxsnc-9887h";
    private static final String STREAM = POD + "_shop_orders-0123";

    @TempDir
    Path tmp;

    HttpServer logs;
    final List<String> operations = new CopyOnWriteArrayList<>();
    final List<JsonNode> bodies = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        System.setProperty("aws.accessKeyId", "AKIDTEST");
        System.setProperty("aws.secretAccessKey", "test-secret");
        String time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC)
                .format(Instant.now().minusSeconds(1));
        String row = "[" + field("@timestamp", time) + "," + field("@message", "ERROR payment service unreachable: cloudwatch-only-line")
                + "," + field("@logStream", STREAM) + "," + field("@log", "123456789012:" + GROUP) + ","
                + field("kubernetes.namespace_name", "shop") + "," + field("kubernetes.pod_name", POD) + ","
                + field("kubernetes.container_name", "orders") + ","
                + field("log", "ERROR payment service unreachable: cloudwatch-only-line") + "]";
        logs = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        logs.createContext("/", ex -> {
            String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
            String op = target == null ? "?" : target.substring(target.indexOf('.') + 1);
            operations.add(op);
            bodies.add(JSON.readTree(ex.getRequestBody().readAllBytes()));
            JsonNode body = bodies.get(bodies.size() - 1);
            String reply = switch (op) {
                case "StartQuery" -> body.get("queryString").asText().contains("| pattern @message")
                        ? "{\"queryId\":\"q-pattern\"}" : "{\"queryId\":\"q-1\"}";
                case "GetQueryResults" -> body.get("queryId").asText().equals("q-pattern") ? PATTERNS
                        : "{\"status\":\"Complete\",\"results\":[" + row + "],"
                        + "\"statistics\":{\"recordsMatched\":1.0,\"recordsScanned\":10.0,\"bytesScanned\":100.0}}";
                default -> "{}";
            };
            byte[] out = reply.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            ex.sendResponseHeaders(200, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        logs.start();
    }

    @AfterEach
    void stop() {
        logs.stop(0);
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    static final String PATTERNS = "{\"status\":\"Complete\",\"results\":[[{\"field\":\"@pattern\",\"value\":"
            + "\"ERROR payment service unreachable after <*> ms\"},{\"field\":\"@sampleCount\",\"value\":\"4211\"},"
            + "{\"field\":\"@ratio\",\"value\":\"0.82\"},{\"field\":\"@severityLabel\",\"value\":\"ERROR\"}]],"
            + "\"statistics\":{\"recordsMatched\":5135.0,\"recordsScanned\":9000.0,\"bytesScanned\":100.0}}";

    static String field(String name, String value) throws Exception {
        return "{\"field\":" + JSON.writeValueAsString(name) + ",\"value\":" + JSON.writeValueAsString(value) + "}";
    }

    Path config() throws Exception {
        Path file = tmp.resolve("config.properties");
        Files.writeString(file, """
                OPSAGENT_LOG_SOURCE=cloudwatch
                OPSAGENT_LOG_GROUPS=%s
                OPSAGENT_LOGS_ENDPOINT=http://127.0.0.1:%d
                AWS_REGION=eu-west-1
                """.formatted(GROUP, logs.getAddress().getPort()));
        return file;
    }

    @Test
    void theLogToolReadsCloudWatchAndTheAnswerCitesItsLines() throws Exception {
        Path file = config();
        Cli.Run r = Cli.run(Map.of(), "ask", "--config", file.toString(), "--dump", DEMO.toString(), "--in-memory",
                "-w", "shop/orders", "show", "me", "the", "errors", "since", "09:50");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("logs: CloudWatch Logs Insights [" + GROUP + "]")
                .contains("→ search_logs").containsPattern("← 1 match(es)? in 1 logs");
        assertThat(operations).contains("StartQuery", "GetQueryResults");
        JsonNode start = bodies.get(operations.indexOf("StartQuery"));
        assertThat(start.get("logGroupNames").get(0).asText()).isEqualTo(GROUP);
        assertThat(start.get("queryString").asText()).contains("kubernetes.namespace_name = \"shop\"");
        assertThat(r.out()).contains("cloudwatch-only-line").contains("cwl:" + GROUP + "/" + STREAM + ":1");
    }

    @Test
    void logPatternsComeFromTheInsightsPatternCommand() throws Exception {
        Cli.Run r = Cli.run(Map.of(), "ask", "--config", config().toString(), "--dump", DEMO.toString(), "--in-memory",
                "-w", "shop/orders", "summarise", "the", "logs");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("→ log_patterns").contains("← 1 patterns (CloudWatch Logs Insights pattern)");
        JsonNode start = bodies.get(operations.indexOf("StartQuery"));
        assertThat(start.get("queryString").asText()).contains("| pattern @message");
        assertThat(r.out()).contains("4211× ERROR `ERROR payment service unreachable after <*> ms`");
    }
}
