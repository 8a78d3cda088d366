package io.opsagent.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiCallerTest {
    @Test
    void theTokensCognitoGroupsAsApiGatewayPassesThemAreTheCallersGroups() {
        assertThat(ApiCaller.groups(Map.of("sub", "u1", "cognito:groups", "[approvers sre]"))).containsExactly("approvers", "sre");
        assertThat(ApiCaller.groups(Map.of("cognito:groups", "[\"approvers\",\"sre\"]"))).containsExactly("approvers", "sre");
        assertThat(ApiCaller.groups(Map.of("sub", "u1"))).isEmpty();
        assertThat(ApiCaller.groups(null)).isEmpty();
        var headers = new ApiCaller.VerifiedHeaders("u1", java.util.List.of("approvers"));
        assertThat(ApiCaller.AUTHENTICATOR.user(headers)).isEqualTo("u1");
        assertThat(ApiCaller.AUTHENTICATOR.groups(headers)).containsExactly("approvers");
        // a header a client sends cannot add a group: only the verified claims count
        headers.add("X-OpsAgent-Groups", "admins");
        assertThat(ApiCaller.AUTHENTICATOR.groups(headers)).containsExactly("approvers");
    }
}
