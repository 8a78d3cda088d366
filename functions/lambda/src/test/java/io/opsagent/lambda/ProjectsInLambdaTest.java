package io.opsagent.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Projects as the API function runs them in AWS (issue 17): the template's admin group (a Cognito group in the token's
 * {@code cognito:groups} claim, as API Gateway passes it) administers every namespace; its member makes a project and
 * maps another Cognito group to a role in it; a user in that group then sees that project's namespace only, and a
 * user in no group sees nothing. Projects are stored in the actions table (DynamoDB Local here).
 */
class ProjectsInLambdaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ApiTestEnv env;
    private static ApiHandler handler;

    @BeforeAll
    static void start() {
        env = new ApiTestEnv();
        Map<String, String> e = new HashMap<>(env.env());
        e.put("OPSAGENT_PROJECT_ADMIN_GROUP", "opsagent-admins");
        handler = new ApiHandler(LambdaApp.context(io.opsagent.app.config.Settings.fromEnvironment(e), ApiCaller.AUTHENTICATOR));
    }

    @AfterAll
    static void stop() {
        env.close();
    }

    private static APIGatewayV2HTTPResponse call(String sub, String groups, String method, String path, String body) {
        APIGatewayV2HTTPEvent e = ApiTestEnv.load("create-session.json");
        Map<String, String> claims = new HashMap<>(e.getRequestContext().getAuthorizer().getJwt().getClaims());
        claims.put("sub", sub);
        if (groups != null) claims.put("cognito:groups", groups);
        e.getRequestContext().getAuthorizer().getJwt().setClaims(claims);
        e.getRequestContext().getHttp().setMethod(method);
        e.getRequestContext().getHttp().setPath(path);
        e.setRawPath(path);
        e.setBody(body);
        e.setIsBase64Encoded(false);
        return handler.answer(e);
    }

    private static JsonNode json(APIGatewayV2HTTPResponse r) throws Exception {
        return JSON.readTree(r.getBody());
    }

    @Test
    void theAdminGroupMakesProjectsAndCognitoGroupsGetTheirRoles() throws Exception {
        String admin = "a0000000-0000-4000-8000-000000000001";
        String oncall = "b0000000-0000-4000-8000-000000000002";
        String nobody = "c0000000-0000-4000-8000-000000000003";
        // no group: nothing (default deny)
        assertThat(json(call(nobody, null, "GET", "/api/workloads", null)).get("items")).isEmpty();
        APIGatewayV2HTTPResponse made = call(admin, "[opsagent-admins]", "POST", "/api/projects",
                "{\"name\":\"shop-team\",\"namespaces\":[\"shop\"],\"groups\":{\"shop-oncall\":\"approver\"}}");
        assertThat(made.getStatusCode()).as(made.getBody()).isEqualTo(201);
        assertThat(json(made).get("groups").get("shop-oncall").asText()).isEqualTo("approver");
        // the admin group's own project is declared, read-only
        APIGatewayV2HTTPResponse declared = call(admin, "[opsagent-admins]", "PUT", "/api/projects/admins/users/x", "{\"role\":\"viewer\"}");
        assertThat(declared.getStatusCode()).isEqualTo(409);

        JsonNode seen = json(call(oncall, "[shop-oncall other]", "GET", "/api/workloads", null)).get("items");
        assertThat(seen).isNotEmpty();
        seen.forEach(w -> assertThat(w.get("namespace").asText()).isEqualTo("shop"));
        JsonNode me = json(call(oncall, "[shop-oncall other]", "GET", "/api/me", null));
        assertThat(me.get("projects").get(0).get("role").asText()).isEqualTo("approver");
        assertThat(json(call(nobody, "[other]", "GET", "/api/workloads", null)).get("items")).isEmpty();
        assertThat(call(nobody, "[other]", "GET", "/api/projects/shop-team", null).getStatusCode()).isEqualTo(404);
        // the change is in the audit, with its actor
        JsonNode audit = json(call(admin, "[opsagent-admins]", "GET", "/api/audit", null)).get("items");
        assertThat(audit.toString()).contains("project-created", admin);
    }
}
