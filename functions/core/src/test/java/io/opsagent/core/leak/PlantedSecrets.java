package io.opsagent.core.leak;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

/**
 * The leak suite's fixture: secrets of every kind the redactor knows, planted into a copy of the demo cluster dump
 * (a pod's log, its env, a Secret, a renamed copy of secrets.json) and into pasted evidence (a Secret manifest
 * under an innocent name, a PEM key in a log, a kubeconfig with a client key, a docker config). {@link #assertClean}
 * fails if any secret's value appears in a text, plain, base64-encoded or URL-encoded.
 *
 * <p>The dump's planted pod is {@value #NS}/{@value #POD} (workload {@value #NS}/{@value #WORKLOAD}).
 */
public final class PlantedSecrets {
    public static final String NS = "shop";
    public static final String WORKLOAD = "checkout";
    public static final String POD = "checkout-x5tm6c8s6c-5pmkp";
    /** The planted database password, as in {@code postgres://orders:<it>@db}: the oracle probes aim at it. */
    public static final String DB_PASSWORD = "S3cretLeak42pw";

    /** One planted secret: what must never appear, and the line it was planted in. */
    public record Secret(String kind, String value, String line) {
        /** Every form the value must never take in an output. */
        public List<String> forms() {
            List<String> f = new ArrayList<>(List.of(value,
                    Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)),
                    URLEncoder.encode(value, StandardCharsets.UTF_8)));
            // a base64 string is found inside a longer one only when aligned: check the unpadded core too
            String b64 = f.get(1).replace("=", "");
            if (b64.length() > 8) f.add(b64.substring(0, b64.length() - 2));
            return f;
        }
    }

    private static final String PEM_BODY_1 = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDLeakPemBody1x";
    private static final String PEM_BODY_2 = "q8Zt5u7LeakPemBody2xWvYk3JtQ7mNpRsTuVwXyZaBcDeFgHiJkLmNoPqRsTuVw";

    /** Every planted secret (a log line each, unless said otherwise). */
    public static final List<Secret> SECRETS = List.of(
            new Secret("url-credentials", DB_PASSWORD,
                    "2026-11-21T09:40:01Z ERROR connecting to postgres://orders:" + DB_PASSWORD + "@orders-db:5432/orders failed: timeout"),
            new Secret("key-value", "PwKvLeak7781",
                    "2026-11-21T09:40:02Z WARN retrying login with password=PwKvLeak7781 user=svc"),
            new Secret("bearer", "tokBearerLeak8f3k2j1h9g",
                    "2026-11-21T09:40:03Z INFO upstream call Authorization: Bearer tokBearerLeak8f3k2j1h9g"),
            new Secret("aws-access-key-id", "IOSFODNN7LEAKXYZ",
                    "2026-11-21T09:40:04Z INFO using AWS key AKIAIOSFODNN7LEAKXYZ for s3"),
            new Secret("aws-secret-key", "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",
                    "2026-11-21T09:40:05Z DEBUG aws_secret_access_key=wJalrXUtnFEMIK7MDENGbPxRfiCYLEAKSECRET01"),
            new Secret("jwt", "eyJzdWIiOiJsZWFrLXVzZXIifQ",
                    "2026-11-21T09:40:06Z INFO session token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJsZWFrLXVzZXIifQ.c2lnTGVha1NpZ25hdHVyZTEyMw"),
            new Secret("jwt-signature", "c2lnTGVha1NpZ25hdHVyZTEyMw", null),
            new Secret("github-token", "ghp_LeakLeakLeakLeakLeakLeakLeakLeak1234",
                    "2026-11-21T09:40:07Z ERROR git clone failed token=ghp_LeakLeakLeakLeakLeakLeakLeakLeak1234"),
            new Secret("basic-auth", "dXNlcjpCYXNpY0xlYWs5OQ",
                    "2026-11-21T09:40:08Z INFO proxy header Proxy-Authorization: Basic dXNlcjpCYXNpY0xlYWs5OQ=="),
            new Secret("basic-auth-password", "BasicLeak99", null),
            new Secret("pem-body", PEM_BODY_1, null),
            new Secret("pem-body-2", PEM_BODY_2, null),
            new Secret("env-secret", "EnvLeakValue77", null),
            new Secret("secret-data", "SecretDataLeak99", null),
            new Secret("client-key", "Y2xpZW50S2V5TGVha0RhdGE5OQ", null),
            new Secret("docker-auth", "ZG9ja2VyOkRvY2tlckxlYWs5OQ", null),
            new Secret("docker-password", "DockerLeak99", null));

    private static final ObjectMapper JSON = new ObjectMapper();

    private PlantedSecrets() {
    }

    /** The repository root (tests run with {@code opsagent.root} set by the build). */
    public static Path root() {
        return Path.of(System.getProperty("opsagent.root", "../..")).toAbsolutePath().normalize();
    }

    /** A copy of the demo dump under {@code dir} with every secret planted; returns the dump's directory. */
    public static Path dump(Path dir) {
        try {
            Path demo = root().resolve("events/clusters/demo");
            Path out = dir.resolve("dump");
            copy(demo, out);
            Path log = out.resolve(NS).resolve(POD).resolve("logs.txt");
            List<String> lines = new ArrayList<>(Files.readAllLines(log));
            List<String> planted = new ArrayList<>();
            for (Secret s : SECRETS) {
                if (s.line() != null) planted.add(s.line());
            }
            planted.add("2026-11-21T09:40:09Z ERROR loaded key -----BEGIN RSA PRIVATE KEY-----");
            planted.add(PEM_BODY_1);
            planted.add(PEM_BODY_2);
            planted.add("-----END RSA PRIVATE KEY-----");
            lines.addAll(1, planted); // right after the container's START line
            Files.write(log, lines);
            // an env value with a secret-looking name in the pod spec
            Path podsFile = out.resolve(NS).resolve("pods.json");
            ObjectNode pods = (ObjectNode) JSON.readTree(podsFile.toFile());
            for (var item : pods.withArray("items")) {
                if (POD.equals(item.path("metadata").path("name").asText())) {
                    ArrayNode env = ((ObjectNode) item.path("spec").path("containers").get(0)).withArray("env");
                    env.addObject().put("name", "DB_PASSWORD").put("value", "EnvLeakValue77");
                }
            }
            JSON.writerWithDefaultPrettyPrinter().writeValue(podsFile.toFile(), pods);
            // a Secret, and the same file under a name that is not secrets.json
            ObjectNode list = JSON.createObjectNode().put("kind", "SecretList").put("apiVersion", "v1");
            ObjectNode secret = list.putArray("items").addObject().put("kind", "Secret").put("apiVersion", "v1")
                    .put("type", "Opaque");
            secret.putObject("metadata").put("name", "orders-db").put("namespace", NS);
            secret.putObject("data").put("password", b64("SecretDataLeak99"));
            JSON.writerWithDefaultPrettyPrinter().writeValue(out.resolve(NS).resolve("secrets.json").toFile(), list);
            JSON.writerWithDefaultPrettyPrinter().writeValue(out.resolve(NS).resolve("secrets.json.bak").toFile(), list);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Pasted evidence under {@code dir}: a crash-looping pod's describe and logs (from the shared samples), a
     * {@code kubectl get secret -o yaml} saved as {@code notes.txt}, a log with a PEM key and every planted line,
     * a kubeconfig with a client key, a docker config JSON.
     */
    public static Path evidence(Path dir) {
        try {
            Path sample = root().resolve("../shared/evidence-samples/test_ask_holmes__09_crashpod").normalize();
            Path out = dir.resolve("evidence");
            copy(sample, out);
            Files.writeString(out.resolve("notes.txt"), String.join("\n",
                    "$ kubectl get secret orders-db -n default -o yaml",
                    "apiVersion: v1",
                    "data:",
                    "  password: " + b64("SecretDataLeak99"),
                    "  username: " + b64("orders"),
                    "kind: Secret",
                    "metadata:",
                    "  name: orders-db",
                    "  namespace: default",
                    "type: Opaque", ""));
            List<String> log = new ArrayList<>(List.of("$ kubectl logs payment-processing-worker-747ccfb9db-78qds -n default"));
            for (Secret s : SECRETS) {
                if (s.line() != null) log.add(s.line());
            }
            log.addAll(List.of("2026-11-21T09:40:09Z ERROR loaded key", "-----BEGIN PRIVATE KEY-----", PEM_BODY_1,
                    PEM_BODY_2, "-----END PRIVATE KEY-----", "Environment variable DEPLOY_ENV is undefined"));
            Files.write(out.resolve("kubectl_logs_more.txt"), log);
            Files.writeString(out.resolve("kubeconfig.txt"), String.join("\n",
                    "$ kubectl config view --raw",
                    "apiVersion: v1",
                    "kind: Config",
                    "users:",
                    "- name: admin",
                    "  user:",
                    "    client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t",
                    "    client-key-data: Y2xpZW50S2V5TGVha0RhdGE5OQ==", ""));
            Files.writeString(out.resolve("docker.txt"), String.join("\n",
                    "$ cat ~/.docker/config.json",
                    "{",
                    "  \"auths\": {",
                    "    \"registry.example.com\": {",
                    "      \"username\": \"docker\",",
                    "      \"password\": \"DockerLeak99\",",
                    "      \"auth\": \"ZG9ja2VyOkRvY2tlckxlYWs5OQ==\"",
                    "    }",
                    "  }",
                    "}", ""));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails naming the secret, its form and where, if any planted secret appears in {@code text}. */
    public static void assertClean(String where, String text) {
        if (text == null) return;
        for (Secret s : SECRETS) {
            for (String form : s.forms()) {
                int at = text.indexOf(form);
                if (at >= 0) {
                    int from = Math.max(0, at - 80);
                    throw new AssertionError(where + " leaks the " + s.kind() + " secret (" + form + "): …"
                            + text.substring(from, Math.min(text.length(), at + form.length() + 40)) + "…");
                }
            }
        }
    }

    /** Every file under {@code dir}, relative, sorted. */
    public static List<Path> files(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
    }
}
