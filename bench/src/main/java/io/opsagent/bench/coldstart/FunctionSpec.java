package io.opsagent.bench.coldstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One function under test, as listed in {@code bench/coldstart/functions.json}.
 *
 * @param name          the row name in the report
 * @param kind          {@link Kind#HANDLER} (managed Java runtime: the runtime interface client calls {@code handler})
 *                      or {@link Kind#WEB} (Lambda Web Adapter: {@code mainClass} serves HTTP on {@code AWS_LWA_PORT})
 * @param handler       {@code package.Class::method} (HANDLER) — the {@code Handler} of the template
 * @param mainClass     the HTTP server's main class (WEB)
 * @param jars          jar files or directories of jars, relative to the repository root; they become the task
 *                      root's {@code lib/}, as in the function's zip
 * @param event         the sample event (a file, or a directory: its first {@code *.json} by name)
 * @param env           the function's environment; values may use {@code ${root}}, {@code ${dynamodb}} (DynamoDB
 *                      Local's endpoint), {@code ${jwt.issuer}}, {@code ${jwt.audience}}, {@code ${jwt.jwks}},
 *                      {@code ${eks}} (the fake EKS API's endpoint), {@code ${eks.cluster}} (its cluster's name)
 * @param services      what the bench starts first: {@code dynamodb} (DynamoDB Local on loopback, tables created),
 *                      {@code jwt} (a JWKS endpoint; WEB requests then carry a token it signed), {@code eks} (an EKS
 *                      cluster on loopback holding the demo cluster: {@link FakeEks})
 * @param readinessPath WEB: the path answering 200 once the server is ready (LWA's readiness check)
 * @param snapStart     HANDLER: also measure with {@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start} when the jar
 *                      registers a CRaC resource (its {@code beforeCheckpoint} priming runs during init); WEB: also
 *                      measure with the Web Adapter's SnapStart hooks called once ready, when {@code env} names them
 *                      ({@code AWS_LWA_SNAPSTART_BEFORE_CHECKPOINT_PATH}, {@code ..._AFTER_RESTORE_PATH})
 * @param baseline      the hello-world the others are compared with (exactly one)
 * @param jwtClaims     WEB with {@code jwt}: claims of the token, besides iss/iat/exp (placeholders allowed)
 * @param sessions      with {@code dynamodb}: chat sessions (id, user, workload) the sample event refers to, created
 *                      afresh (deleted, then created with the real session store) before every run
 */
public record FunctionSpec(String name, Kind kind, String handler, String mainClass, List<String> jars, String event,
                           Map<String, String> env, List<String> services, String readinessPath, boolean snapStart,
                           boolean baseline, Map<String, String> jwtClaims, List<SeedSession> sessions) {

    /** A session to create before each run. */
    public record SeedSession(String id, String user, String workload) {
    }

    /** How Lambda starts the function. */
    public enum Kind { HANDLER, WEB }

    /** Validates the entry; errors name the function and the field. */
    public FunctionSpec {
        require(name != null && !name.isBlank(), "(unnamed)", "name");
        require(kind != null, name, "kind (handler or web)");
        require(kind != Kind.HANDLER || (handler != null && !handler.isBlank()), name, "handler");
        require(kind != Kind.WEB || (mainClass != null && !mainClass.isBlank()), name, "mainClass");
        require(jars != null && !jars.isEmpty(), name, "jars");
        require(event != null && !event.isBlank(), name, "event");
        jars = List.copyOf(jars);
        env = Map.copyOf(env == null ? Map.of() : env);
        services = List.copyOf(services == null ? List.of() : services);
        readinessPath = readinessPath == null ? "/healthz" : readinessPath;
        jwtClaims = Map.copyOf(jwtClaims == null ? Map.of() : jwtClaims);
        sessions = List.copyOf(sessions == null ? List.of() : sessions);
        require(sessions.isEmpty() || services.contains("dynamodb"), name, "services (sessions need dynamodb)");
        for (String s : services) {
            require(s.equals("dynamodb") || s.equals("jwt") || s.equals("eks"), name,
                    "services (dynamodb, jwt, eks), not '" + s + "'");
        }
    }

    private static void require(boolean ok, String name, String field) {
        if (!ok) {
            throw new IllegalArgumentException("bench/coldstart: function " + name + ": missing or bad " + field);
        }
    }

    /** The class that must be in the jars: the handler's class, or the main class. */
    public String entryClass() {
        return kind == Kind.HANDLER ? handler.split("::", 2)[0] : mainClass;
    }

    /** Whether the bench must start {@code service} first. */
    public boolean needs(String service) {
        return services.contains(service);
    }

    /** Reads a functions file: a JSON array of entries with the fields above. */
    public static List<FunctionSpec> load(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(Files.readAllBytes(file));
        if (!root.isArray()) {
            throw new IllegalArgumentException(file + ": expected a JSON array of functions");
        }
        List<FunctionSpec> specs = new ArrayList<>();
        for (JsonNode n : root) {
            specs.add(new FunctionSpec(text(n, "name"), kind(n), text(n, "handler"), text(n, "mainClass"),
                    strings(n.path("jars")), text(n, "event"), map(n.path("env")), strings(n.path("services")),
                    text(n, "readinessPath"), n.path("snapStart").asBoolean(false), n.path("baseline").asBoolean(false),
                    map(n.path("jwtClaims")), sessions(n.path("sessions"))));
        }
        long baselines = specs.stream().filter(FunctionSpec::baseline).count();
        if (baselines != 1) {
            throw new IllegalArgumentException(file + ": exactly one function must be the baseline, found " + baselines);
        }
        return specs;
    }

    private static List<SeedSession> sessions(JsonNode n) {
        List<SeedSession> out = new ArrayList<>();
        n.forEach(s -> out.add(new SeedSession(text(s, "id"), text(s, "user"), text(s, "workload"))));
        return out;
    }

    private static Kind kind(JsonNode n) {
        String k = text(n, "kind");
        if (k == null) {
            return null;
        }
        return switch (k) {
            case "handler" -> Kind.HANDLER;
            case "web" -> Kind.WEB;
            default -> throw new IllegalArgumentException("bench/coldstart: function " + text(n, "name")
                    + ": kind must be handler or web, not " + k);
        };
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static Map<String, String> map(JsonNode n) {
        Map<String, String> out = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}
