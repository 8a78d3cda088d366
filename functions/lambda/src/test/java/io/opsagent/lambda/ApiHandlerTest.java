package io.opsagent.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opsagent.app.config.AwsSettings;
import io.opsagent.app.config.Settings;
import io.opsagent.core.agent.AgentListener;
import io.opsagent.core.agent.AskRequest;
import io.opsagent.core.runs.Run;
import io.opsagent.core.runs.RunStatus;
import io.opsagent.core.runs.Session;
import io.opsagent.core.runs.Step;
import io.opsagent.core.runs.StepType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API function end to end: every sample event in events/api through {@link ApiHandler} against DynamoDB Local
 * and the demo dump, plus authentication, ownership and bad input.
 */
class ApiHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ApiTestEnv env;
    private static ApiHandler handler;
    private static String askedRun;

    @BeforeAll
    static void start() {
        env = new ApiTestEnv();
        handler = env.handler();
        var app = handler.context();
        Instant t = Instant.parse("2026-11-21T09:00:00Z");
        // the session of session-history.json, with a real chat turn in it (offline analyst)
        app.sessions().create(new Session(ApiTestEnv.SESSION, ApiTestEnv.SUB, "shop/cart", "shop/cart", t, t,
                Instant.now().plusSeconds(86_400)));
        askedRun = app.engine().ask(new AskRequest(ApiTestEnv.SUB, ApiTestEnv.SESSION, "why is cart failing?", "chat"),
                AgentListener.NONE).id();
        // the run of run-detail.json
        app.runs().create(new Run(ApiTestEnv.RUN, ApiTestEnv.SUB, "why is checkout failing?", "chat", ApiTestEnv.SUB,
                ApiTestEnv.SESSION, "shop/checkout", "offline-analyst", RunStatus.COMPLETED, "## Root cause", 1, 0, 0,
                0.0, Instant.parse("2026-11-21T09:30:00Z"), Instant.parse("2026-11-21T09:30:01Z"), null));
        app.runs().addStep(new Step(ApiTestEnv.RUN, 1, StepType.RESPONSE, null, null, null, "## Root cause", null,
                Instant.parse("2026-11-21T09:30:00Z"), 1000, 0, 0));
        // another user's run
        app.runs().create(new Run("run-of-bob", "bob", "q", "chat", "bob", null, "shop/cart", "offline-analyst",
                RunStatus.COMPLETED, "a", 0, 0, 0, 0.0, t, t.plusSeconds(1), null));
    }

    @AfterAll
    static void stop() {
        env.close();
    }

    private static JsonNode body(APIGatewayV2HTTPResponse r) throws Exception {
        assertThat(r.getIsBase64Encoded()).isFalse();
        assertThat(r.getHeaders().get("content-type")).startsWith("application/json");
        return JSON.readTree(r.getBody());
    }

    @Test
    void everySampleEventIsAnsweredWithItsRoutesShape() throws Exception {
        List<Path> files = ApiTestEnv.sampleEvents();
        assertThat(files).extracting(p -> p.getFileName().toString()).contains("list-sessions.json",
                "create-session.json", "session-history.json", "list-runs.json", "run-detail.json", "run-stats.json",
                "list-workloads.json", "workload-detail.json", "alertmanager-webhook.json");
        for (Path f : files) {
            APIGatewayV2HTTPEvent event = ApiTestEnv.load(f);
            APIGatewayV2HTTPResponse r = handler.handle(event, ApiTestEnv.context("inv-" + f.getFileName()));
            String name = f.getFileName().toString();
            JsonNode b = body(r);
            int expected = name.equals("create-session.json") ? 201 : 200;
            assertThat(r.getStatusCode()).as(name + ": " + r.getBody()).isEqualTo(expected);
            switch (name) {
                case "list-sessions.json" -> assertThat(b.get("items")).extracting(JsonNode::size).isNotEqualTo(0);
                case "create-session.json" -> {
                    assertThat(b.get("user").asText()).isEqualTo(ApiTestEnv.SUB);
                    assertThat(b.get("workload").asText()).isEqualTo("shop/cart");
                    assertThat(r.getHeaders().get("location")).isEqualTo("/api/sessions/" + b.get("id").asText());
                }
                case "session-history.json" -> {
                    assertThat(b.get("id").asText()).isEqualTo(ApiTestEnv.SESSION);
                    assertThat(b.get("messages")).hasSize(2);
                    assertThat(b.get("messages").get(1).get("role").asText()).isEqualTo("assistant");
                    assertThat(b.get("messages").get(1).get("runId").asText()).isEqualTo(askedRun);
                }
                case "list-runs.json" -> {
                    assertThat(b.get("items")).isNotEmpty();
                    b.get("items").forEach(i -> {
                        assertThat(i.get("user").asText()).isEqualTo(ApiTestEnv.SUB);
                        assertThat(i.get("status").asText()).isEqualTo("completed");
                    });
                }
                case "run-detail.json" -> {
                    assertThat(b.get("id").asText()).isEqualTo(ApiTestEnv.RUN);
                    assertThat(b.get("steps")).hasSize(1);
                }
                case "run-stats.json" -> {
                    assertThat(b.get("total").asInt()).isGreaterThanOrEqualTo(2);
                    assertThat(b.has("byStatus")).isTrue();
                }
                case "list-workloads.json" -> {
                    assertThat(b.get("items")).isNotEmpty();
                    b.get("items").forEach(i -> assertThat(i.get("namespace").asText()).isEqualTo("shop"));
                }
                case "alertmanager-webhook.json" -> {
                    // no Cognito claims: the route is routed without the authorizer and checks its own bearer token
                    assertThat(event.getRequestContext().getAuthorizer()).isNull();
                    assertThat(b.get("received").asInt()).isEqualTo(1);
                    assertThat(b.get("opened").asInt() + b.get("duplicates").asInt()).isEqualTo(1);
                }
                case "workload-detail.json" -> {
                    assertThat(b.get("name").asText()).isEqualTo("cart");
                    assertThat(b.get("status").asText()).isEqualTo("critical");
                    assertThat(b.get("findings")).isNotEmpty();
                }
                default -> throw new AssertionError("a sample event without a check: " + name);
            }
        }
    }

    @Test
    void theStreamEntryPointReadsEventsAsTheRuntimeSerializerDoesAndAnswersTheSame() throws Exception {
        for (Path f : ApiTestEnv.sampleEvents()) {
            String name = f.getFileName().toString();
            byte[] raw = java.nio.file.Files.readAllBytes(f);
            // the event as the application's Jackson reads it equals the event as Lambda's own serializer reads it
            APIGatewayV2HTTPEvent ours = ApiEvents.read(new java.io.ByteArrayInputStream(raw));
            APIGatewayV2HTTPEvent theirs = ApiTestEnv.load(f);
            assertThat((JsonNode) JSON.valueToTree(ours)).as(name).isEqualTo((JsonNode) JSON.valueToTree(theirs));
            if (name.equals("alertmanager-webhook.json")) {
                assertThat(ours.getRequestContext().getAuthorizer()).as(name).isNull(); // routed without the JWT authorizer
                continue; // not idempotent (a second delivery is a duplicate); answered in the test above
            }
            assertThat(ours.getRequestContext().getAuthorizer().getJwt().getClaims()).as(name).containsKey("sub");
            if (name.equals("create-session.json")) continue; // not idempotent; answered in the test above
            var out = new java.io.ByteArrayOutputStream();
            handler.handleRequest(new java.io.ByteArrayInputStream(raw), out, ApiTestEnv.context("stream-" + name));
            JsonNode streamed = JSON.readTree(out.toByteArray());
            APIGatewayV2HTTPResponse direct = handler.handle(theirs, ApiTestEnv.context("pojo-" + name));
            assertThat(streamed.get("statusCode").asInt()).as(name).isEqualTo(direct.getStatusCode());
            assertThat(streamed.get("isBase64Encoded").asBoolean()).as(name).isFalse();
            assertThat(streamed.get("headers").get("content-type").asText()).as(name).startsWith("application/json");
            assertThat(JSON.readTree(streamed.get("body").asText())).as(name).isEqualTo(JSON.readTree(direct.getBody()));
        }
    }

    @Test
    void anEventThatIsNotJsonIs400SayingSo() throws Exception {
        for (String bad : new String[] {"{not json", "null", "[1,2]"}) {
            var out = new java.io.ByteArrayOutputStream();
            handler.handleRequest(new java.io.ByteArrayInputStream(bad.getBytes(StandardCharsets.UTF_8)), out,
                    ApiTestEnv.context("bad"));
            JsonNode r = JSON.readTree(out.toByteArray());
            assertThat(r.get("statusCode").asInt()).as(bad).isEqualTo(400);
            assertThat(JSON.readTree(r.get("body").asText()).get("error").asText()).as(bad)
                    .containsAnyOf("not an API Gateway HTTP API", "empty");
        }
    }

    @Test
    void theAlertmanagerRouteAloneGoesWithoutClaimsAndChecksItsOwnToken() throws Exception {
        APIGatewayV2HTTPEvent wrong = ApiTestEnv.load("alertmanager-webhook.json");
        wrong.getHeaders().put("authorization", "Bearer not-the-token");
        APIGatewayV2HTTPResponse r = handler.handle(wrong, ApiTestEnv.context("inv-am-401"));
        assertThat(r.getStatusCode()).isEqualTo(401);
        assertThat(body(r).get("error").asText()).contains("not a configured receiver's").doesNotContain(ApiTestEnv.ALERT_TOKEN);
        // any other route, and a GET of this path, still need the authorizer's claims
        APIGatewayV2HTTPEvent list = ApiTestEnv.load("alertmanager-webhook.json");
        list.setRawPath("/api/alerts");
        list.getRequestContext().getHttp().setPath("/api/alerts");
        assertThat(handler.handle(list, ApiTestEnv.context("inv-am-list")).getStatusCode()).isEqualTo(401);
        APIGatewayV2HTTPEvent get = ApiTestEnv.load("alertmanager-webhook.json");
        get.getRequestContext().getHttp().setMethod("GET");
        assertThat(handler.handle(get, ApiTestEnv.context("inv-am-get")).getStatusCode()).isEqualTo(401);
    }

    @Test
    void noClaimsIs401() throws Exception {
        APIGatewayV2HTTPEvent e = ApiTestEnv.load("list-runs.json");
        e.getRequestContext().setAuthorizer(null);
        APIGatewayV2HTTPResponse r = handler.handle(e, ApiTestEnv.context("inv-401"));
        assertThat(r.getStatusCode()).isEqualTo(401);
        assertThat(body(r).get("error").asText()).contains("not authenticated");

        APIGatewayV2HTTPEvent noSub = ApiTestEnv.load("list-workloads.json");
        noSub.getRequestContext().getAuthorizer().getJwt().setClaims(Map.of("username", "alice"));
        assertThat(handler.answer(noSub).getStatusCode()).isEqualTo(401);
    }

    @Test
    void aClientSentUserHeaderNamesNobody() throws Exception {
        APIGatewayV2HTTPEvent e = ApiTestEnv.load("run-detail.json");
        e.getRequestContext().setAuthorizer(null);
        Map<String, String> h = new HashMap<>(e.getHeaders());
        h.put("x-opsagent-user", ApiTestEnv.SUB);
        e.setHeaders(h);
        assertThat(handler.answer(e).getStatusCode()).isEqualTo(401);

        APIGatewayV2HTTPEvent bob = ApiTestEnv.load("list-runs.json");
        bob.setRawQueryString("");
        Map<String, String> hb = new HashMap<>(bob.getHeaders());
        hb.put("x-opsagent-user", "bob");
        bob.setHeaders(hb);
        JsonNode items = body(handler.answer(bob)).get("items");
        assertThat(items).isNotEmpty();
        items.forEach(i -> assertThat(i.get("user").asText()).isEqualTo(ApiTestEnv.SUB));
    }

    @Test
    void anotherUsersRunIs404() throws Exception {
        APIGatewayV2HTTPEvent e = ApiTestEnv.load("run-detail.json");
        e.setRawPath("/api/runs/run-of-bob");
        APIGatewayV2HTTPResponse r = handler.answer(e);
        assertThat(r.getStatusCode()).isEqualTo(404);
        assertThat(body(r).get("error").asText()).isEqualTo("no run run-of-bob");
    }

    @Test
    void badBodiesAre400NamingTheField() throws Exception {
        APIGatewayV2HTTPEvent e = ApiTestEnv.load("create-session.json");
        e.setBody("{\"workload\": ");
        APIGatewayV2HTTPResponse r = handler.answer(e);
        assertThat(r.getStatusCode()).isEqualTo(400);
        assertThat(body(r).get("field").asText()).isEqualTo("body");
        assertThat(body(r).get("error").asText()).startsWith("malformed JSON");

        e.setBody("{\"workload\": 7}");
        r = handler.answer(e);
        assertThat(r.getStatusCode()).isEqualTo(400);
        assertThat(body(r).get("field").asText()).isEqualTo("workload");

        e.setBody("not base64 ***");
        e.setIsBase64Encoded(true);
        r = handler.answer(e);
        assertThat(r.getStatusCode()).isEqualTo(400);
        assertThat(body(r).get("field").asText()).isEqualTo("body");
    }

    @Test
    void base64BodiesAreDecoded() throws Exception {
        APIGatewayV2HTTPEvent e = ApiTestEnv.load("create-session.json");
        e.setBody(Base64.getEncoder().encodeToString("{\"workload\": \"shop/*\"}".getBytes(StandardCharsets.UTF_8)));
        e.setIsBase64Encoded(true);
        APIGatewayV2HTTPResponse r = handler.answer(e);
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(201);
        assertThat(body(r).get("workload").asText()).isEqualTo("shop/*");
    }

    @Test
    void theChatStreamIsNotServedHere() throws Exception {
        APIGatewayV2HTTPEvent e = ApiTestEnv.load("create-session.json");
        e.setRawPath("/api/sessions/" + ApiTestEnv.SESSION + "/messages");
        e.setBody("{\"text\": \"hi\"}");
        APIGatewayV2HTTPResponse r = handler.answer(e);
        assertThat(r.getStatusCode()).isEqualTo(421);
        assertThat(body(r).get("error").asText()).contains("chat Function URL");
    }

    @Test
    void unknownRoutesAndMethodsAnswerAsLocally() throws Exception {
        APIGatewayV2HTTPEvent e = ApiTestEnv.load("list-runs.json");
        e.setRawPath("/api/nothing");
        assertThat(handler.answer(e).getStatusCode()).isEqualTo(404);
        e.setRawPath("/api/runs");
        e.getRequestContext().getHttp().setMethod("PUT");
        APIGatewayV2HTTPResponse r = handler.answer(e);
        assertThat(r.getStatusCode()).isEqualTo(405);
        assertThat(r.getHeaders().get("allow")).isEqualTo("GET");
        e.getRequestContext().getHttp().setMethod("GET");
        e.setRawQueryString("status=sleeping");
        r = handler.answer(e);
        assertThat(r.getStatusCode()).isEqualTo(400);
        assertThat(body(r).get("field").asText()).isEqualTo("status");
    }

    @Test
    void aNamedStagePrefixIsStripped() throws Exception {
        APIGatewayV2HTTPEvent e = ApiTestEnv.load("list-workloads.json");
        e.setRawPath("/prod/api/workloads");
        e.getRequestContext().setStage("prod");
        assertThat(handler.answer(e).getStatusCode()).isEqualTo(200);
    }

    @Test
    void deletingASessionAnswers204WithAnEmptyBody() {
        APIGatewayV2HTTPEvent create = ApiTestEnv.load("create-session.json");
        String id = create.getBody() == null ? null : handler.answer(create).getHeaders().get("location");
        APIGatewayV2HTTPEvent del = ApiTestEnv.load("session-history.json");
        del.setRawPath(id);
        del.getRequestContext().getHttp().setMethod("DELETE");
        APIGatewayV2HTTPResponse r = handler.answer(del);
        assertThat(r.getStatusCode()).isEqualTo(204);
        assertThat(r.getBody()).isEmpty();
        assertThat(handler.answer(del).getStatusCode()).isEqualTo(404);
    }

    @Test
    void settingsErrorsNameTheSetting() {
        Map<String, String> noCluster = new HashMap<>(env.env());
        noCluster.remove("OPSAGENT_DUMP_DIR");
        assertThatThrownBy(() -> LambdaApp.context(Settings.fromEnvironment(noCluster), ApiCaller.AUTHENTICATOR))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("OPSAGENT_EKS_CLUSTER").hasMessageContaining("OPSAGENT_DUMP_DIR");
        Map<String, String> noRegion = new HashMap<>(env.env());
        noRegion.remove("AWS_REGION");
        assertThatThrownBy(() -> LambdaApp.context(Settings.fromEnvironment(noRegion), ApiCaller.AUTHENTICATOR))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AWS_REGION");
        Map<String, String> badDump = new HashMap<>(env.env());
        badDump.put("OPSAGENT_DUMP_DIR", "/no/such/dump");
        assertThatThrownBy(() -> LambdaApp.context(Settings.fromEnvironment(badDump), ApiCaller.AUTHENTICATOR))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OPSAGENT_DUMP_DIR")
                .hasMessageContaining("/no/such/dump");
    }

    @Test
    void tableNamesComeFromTheSettings() {
        Map<String, String> e = new HashMap<>(env.env());
        assertThat(AwsSettings.tables(Settings.fromEnvironment(e)).runs()).startsWith(ApiTestEnv.PREFIX);
        e.put("OPSAGENT_RUNS_TABLE", "stack-Runs-ABC");
        e.put("OPSAGENT_SESSIONS_TABLE", "stack-Sessions-ABC");
        var t = AwsSettings.tables(Settings.fromEnvironment(e));
        assertThat(t.runs()).isEqualTo("stack-Runs-ABC");
        assertThat(t.sessions()).isEqualTo("stack-Sessions-ABC");
    }
}
