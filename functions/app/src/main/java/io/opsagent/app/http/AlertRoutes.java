package io.opsagent.app.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsagent.core.alerts.AlertException;
import io.opsagent.core.alerts.AlertPayloads;
import io.opsagent.core.alerts.Episode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * {@code /api/alerts…}: Alertmanager's webhook ({@code POST /api/alerts/alertmanager}, version "4", authenticated by the
 * bearer token configured as {@code OPSAGENT_ALERT_TOKEN}, compared in constant time; without a token the route is off
 * and says so), a delivery of either shape from a signed-in user ({@code POST /api/alerts}: the CLI, replays), and the
 * episodes with their investigations for the Alerts page ({@code GET /api/alerts},
 * {@code GET /api/alerts/{id}}).
 */
final class AlertRoutes {
    /** An alert group is larger than a chat turn: 1,000 alerts are about 700 KB. */
    static final int MAX_BODY = 8 * 1024 * 1024;
    private final AppContext app;

    AlertRoutes(AppContext app) {
        this.app = app;
    }

    void register(Router router) {
        router.add("POST", "/api/alerts/alertmanager", this::alertmanager)
                .add("POST", "/api/alerts", this::deliver)
                .add("GET", "/api/alerts", this::list)
                .add("GET", "/api/alerts/{id}", this::get);
    }

    private AppContext.Alerts alerts() {
        if (app.alerts() == null) throw ApiError.conflict("alert intake is not configured here");
        return app.alerts();
    }

    private void alertmanager(Request r) throws IOException {
        AppContext.Alerts a = alerts();
        Map<String, String> tokens = tokens(a.token());
        String hmac = a.hmacSecret();
        if (tokens.isEmpty() && (hmac == null || hmac.isBlank())) {
            throw new ApiError(503, "the Alertmanager route is off: no token is configured (set OPSAGENT_ALERT_TOKEN, and "
                    + "the same as the receiver's http_config.authorization.credentials)", null);
        }
        var headers = r.exchange().getRequestHeaders();
        String auth = headers.getFirst("Authorization");
        String signature = headers.getFirst("X-OpsAgent-Signature");
        String receiverOfToken = null;
        byte[] body;
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            byte[] sent = auth.substring(7).strip().getBytes(StandardCharsets.UTF_8);
            for (var t : tokens.entrySet()) { // every token compared, in constant time each
                if (MessageDigest.isEqual(sent, t.getValue().getBytes(StandardCharsets.UTF_8))) receiverOfToken = t.getKey();
            }
            if (receiverOfToken == null) throw unauthorized(r, "the bearer token is not a configured receiver's");
            body = r.bytes(MAX_BODY);
        } else if (signature != null && hmac != null && !hmac.isBlank()) {
            body = r.bytes(MAX_BODY);
            if (!MessageDigest.isEqual(signature.strip().getBytes(StandardCharsets.UTF_8),
                    ("sha256=" + hmacHex(hmac, body)).getBytes(StandardCharsets.UTF_8))) {
                throw unauthorized(r, "the X-OpsAgent-Signature is not the HMAC-SHA256 of the body with the configured key");
            }
            receiverOfToken = ANY;
        } else {
            throw unauthorized(r, "no credentials: send Authorization: Bearer <OPSAGENT_ALERT_TOKEN>"
                    + (hmac == null || hmac.isBlank() ? "" : ", or X-OpsAgent-Signature: sha256=<HMAC of the body>"));
        }
        ObjectNode payload = Request.jsonObject(body, false);
        AlertPayloads.Delivery d;
        try {
            d = AlertPayloads.alertmanager(payload);
        } catch (AlertException e) {
            throw ApiError.badRequest(e.field(), e.getMessage());
        }
        String receiver = payload.path("receiver").asText();
        if (!receiverOfToken.equals(ANY) && !receiverOfToken.equals(receiver)) {
            throw new ApiError(403, "this token is receiver '" + receiverOfToken + "''s; the payload is receiver '"
                    + Params.clip(receiver, 64) + "''s", "receiver");
        }
        ObjectNode result = a.service().intake(d).toJson();
        a.settle();
        r.json(200, result);
    }

    /** Any receiver: a token configured without a receiver name, or a signature. */
    private static final String ANY = "*";

    /** {@code token} (any receiver) or {@code receiver=token,receiver2=token2}. */
    static Map<String, String> tokens(String configured) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (configured == null || configured.isBlank()) return out;
        if (!configured.contains("=")) {
            out.put(ANY, configured.strip());
            return out;
        }
        for (String pair : configured.split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && eq < pair.length() - 1) out.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
        return out;
    }

    static String hmacHex(String key, byte[] body) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ApiError unauthorized(Request r, String why) {
        r.exchange().getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"opsagent-alerts\"");
        return new ApiError(401, why, "Authorization");
    }

    /**
     * A delivery in either shape (Alertmanager's payload, an EventBridge CloudWatch alarm event) from a signed-in user:
     * {@code ./opsagent alert FILE}, a test, a replay. The same intake as the webhook.
     */
    private void deliver(Request r) throws IOException {
        r.user();
        AppContext.Alerts a = alerts();
        ObjectNode body = r.jsonBody(false, MAX_BODY);
        AlertPayloads.Delivery d;
        try {
            d = AlertPayloads.parse(body);
        } catch (AlertException e) {
            throw ApiError.badRequest(e.field(), e.getMessage());
        }
        // with projects, a user delivers alerts only about namespaces where they may act (operator or above: an alert
        // starts an investigation); alerts of no namespace, admins only. The whole delivery or nothing.
        if (Visibility.projects(app) != null) {
            for (int i = 0; i < d.alerts().size(); i++) {
                String ns = Visibility.namespaceOf(d.alerts().get(i).workload());
                if (ns == null) {
                    if (!Visibility.admin(app, r)) throw new ApiError(403, "alerts[" + i + "] names no namespace: only a project"
                            + " admin delivers such alerts", "alerts");
                    continue;
                }
                io.opsagent.core.access.Role role = Visibility.role(app, r, ns);
                if (role == null || !role.atLeast(io.opsagent.core.access.Role.OPERATOR)) {
                    // the same words whether the namespace exists, is another project's, or is one the caller only views
                    throw new ApiError(403, "alerts[" + i + "]: namespace " + Params.clip(ns, 63) + " is not one where "
                            + r.user() + " is operator or above: nothing was delivered", "alerts");
                }
            }
        }
        ObjectNode result = a.service().intake(d).toJson().put("source", d.source());
        a.settle();
        r.json(200, result);
    }

    private void list(Request r) throws IOException {
        r.user(); // authenticated
        ObjectNode out = Json.object();
        ArrayNode items = out.putArray("items");
        if (app.alerts() == null) {
            out.put("enabled", false);
            r.json(200, out);
            return;
        }
        out.put("enabled", true).put("webhook", app.alerts().token() != null && !app.alerts().token().isBlank());
        int limit = Params.intParam(r, "limit", 50, 1, 200);
        for (Episode e : app.alerts().service().store().list(limit)) {
            // an episode of a namespace outside the caller's projects is not listed; one of no namespace, to admins only
            if (!Visibility.seesWorkload(app, r, e.workload())) continue;
            items.add(e.toJson());
        }
        r.json(200, out);
    }

    private void get(Request r) throws IOException {
        r.user();
        String id = r.id(0, "alert episode");
        Episode e = alerts().service().store().get(id)
                .filter(x -> Visibility.seesWorkload(app, r, x.workload()))
                .orElseThrow(() -> ApiError.notFound("no alert episode " + id));
        ObjectNode out = e.toJson();
        ArrayNode alerts = out.putArray("alerts");
        alerts().service().store().alerts(e.key(), 50).forEach(x -> alerts.add(x.toJson()));
        // the investigation machine's execution (named by the episode id), as the Step Functions console shows it
        var machine = alerts().service().machine();
        io.opsagent.core.changes.ChangeOrchestrator.Execution ex = null;
        if (machine != null) {
            try {
                ex = machine.describe(e.id());
            } catch (RuntimeException unreadable) {
                out.put("executionError", "the execution could not be read: " + unreadable.getClass().getSimpleName());
            }
        }
        if (ex == null) {
            out.putNull("execution");
        } else {
            ObjectNode x = out.putObject("execution").put("status", ex.status()).put("currentState", ex.currentState())
                    .put("error", ex.error()).put("cause", ex.cause());
            ArrayNode states = x.putArray("states");
            for (var st : ex.states()) {
                states.addObject().put("name", st.name()).put("type", st.type()).put("attempts", st.attempts())
                        .put("error", st.error())
                        .put("durationMs", st.enteredAt() == null || st.exitedAt() == null ? null
                                : java.time.Duration.between(st.enteredAt(), st.exitedAt()).toMillis());
            }
        }
        r.json(200, out);
    }
}
