package io.opsagent.core.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProjectsTest {
    private static Projects read(String json) throws Exception {
        return Projects.read(new ObjectMapper().readTree(json));
    }

    @Test
    void aRoleIsTheHighestOfTheUserAndTheirGroupsInTheProjectsCoveringTheNamespace() throws Exception {
        Projects p = read("{\"projects\":[{\"name\":\"shop\",\"namespaces\":[\"shop\",\"shop-*\"],"
                + "\"users\":{\"alice\":\"viewer\",\"bob\":\"operator\"},\"groups\":{\"sre\":\"approver\"}},"
                + "{\"name\":\"payments\",\"namespaces\":[\"payments\"],\"users\":{\"dave\":\"admin\",\"alice\":\"approver\"}}]}");
        assertThat(p.role("alice", List.of(), "shop")).isEqualTo(Role.VIEWER);
        assertThat(p.role("alice", List.of("sre"), "shop-canary")).isEqualTo(Role.APPROVER);
        assertThat(p.role("alice", List.of(), "payments")).isEqualTo(Role.APPROVER);
        assertThat(p.role("bob", List.of(), "payments")).isNull();
        assertThat(p.role("bob", List.of(), "shopping")).isNull(); // not a prefix match: shop-* needs the dash
        assertThat(p.sees("zed", List.of(), "shop")).isFalse();
        assertThat(p.admin("dave", List.of())).isTrue();
        assertThat(p.admin("alice", List.of("sre"))).isFalse();
        assertThat(p.of("alice", List.of()).values()).containsExactly(Role.VIEWER, Role.APPROVER);
        assertThat(Role.APPROVER.atLeast(Role.OPERATOR)).isTrue();
        assertThat(Role.VIEWER.atLeast(Role.OPERATOR)).isFalse();
    }

    @Test
    void theLocalDefaultHoldsEveryNamespaceForTheLocalUsersOnly() {
        Projects d = Projects.localDefault();
        assertThat(d.role("dev", List.of(), "anything")).isEqualTo(Role.ADMIN);
        assertThat(d.role("alice", List.of(), "shop")).isEqualTo(Role.APPROVER);
        assertThat(d.role("bob", List.of(), "shop")).isEqualTo(Role.OPERATOR);
        assertThat(d.sees("mallory", List.of(), "shop")).isFalse();
    }

    @Test
    void aMalformedFileNamesTheField() {
        assertThatThrownBy(() -> read("{}")).hasMessage("projects: must be a list");
        assertThatThrownBy(() -> read("{\"projects\":[{\"name\":\"Shop\",\"namespaces\":[\"shop\"]}]}"))
                .hasMessageContaining("projects[0].name: 'Shop' is not a name");
        assertThatThrownBy(() -> read("{\"projects\":[{\"name\":\"a\",\"namespaces\":[\"a\"]},{\"name\":\"a\",\"namespaces\":[\"b\"]}]}"))
                .hasMessageContaining("projects[1].name: 'a' is declared twice");
        assertThatThrownBy(() -> read("{\"projects\":[{\"name\":\"a\",\"namespaces\":[]}]}"))
                .hasMessageContaining("projects[0].namespaces: must be a non-empty list");
        assertThatThrownBy(() -> read("{\"projects\":[{\"name\":\"a\",\"namespaces\":[\"Bad_NS\"]}]}"))
                .hasMessageContaining("'Bad_NS' is not a namespace");
        assertThatThrownBy(() -> read("{\"projects\":[{\"name\":\"a\",\"namespaces\":[\"a\"],\"users\":{\"bob\":\"boss\"}}]}"))
                .hasMessageContaining("projects[0].users.bob: unknown role 'boss' (viewer, operator, approver or admin)");
    }
}
