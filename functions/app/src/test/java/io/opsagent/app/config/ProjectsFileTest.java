package io.opsagent.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsagent.core.access.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code OPSAGENT_PROJECTS_FILE}: YAML or JSON; unset means no projects; a bad file names the setting, file and field. */
class ProjectsFileTest {
    @TempDir
    Path dir;

    private static Settings settings(Path file) {
        return Settings.fromEnvironment(Map.of("OPSAGENT_PROJECTS_FILE", file.toString()));
    }

    @Test
    void yamlAndJsonAreRead() throws Exception {
        Path yaml = Files.writeString(dir.resolve("projects.yaml"), """
                projects:
                  - name: shop
                    namespaces: [shop, shop-*]
                    users: {alice: viewer, bob: operator}
                    groups: {sre: approver}
                """);
        var p = Assembly.projects(settings(yaml));
        assertThat(p.role("bob", List.of(), "shop-canary")).isEqualTo(Role.OPERATOR);
        assertThat(p.role("zoe", List.of("sre"), "shop")).isEqualTo(Role.APPROVER);
        Path json = Files.writeString(dir.resolve("projects.json"), "{\"projects\":[{\"name\":\"a\",\"namespaces\":[\"*\"],"
                + "\"users\":{\"dev\":\"admin\"}}]}");
        assertThat(Assembly.projects(settings(json)).role("dev", List.of(), "anything")).isEqualTo(Role.ADMIN);
        assertThat(Assembly.projects(Settings.fromEnvironment(Map.of()))).isNull();
    }

    /** The example the README points at: two projects of the demo with users in each role, and a group. */
    @Test
    void theShippedExampleReadsAsDocumented() {
        Path example = Path.of(System.getProperty("opsagent.root", "../..")).resolve("deploy/projects.example.yaml");
        var p = Assembly.projects(settings(example));
        assertThat(p.role("alice", List.of(), "shop")).isEqualTo(Role.VIEWER);
        assertThat(p.role("alice", List.of(), "payments")).isEqualTo(Role.APPROVER);
        assertThat(p.role("bob", List.of(), "shop")).isEqualTo(Role.OPERATOR);
        assertThat(p.sees("bob", List.of(), "payments")).isFalse();
        assertThat(p.role("erin", p.groupsOf("erin"), "payments")).isEqualTo(Role.OPERATOR);
        assertThat(p.role("dev", List.of(), "kube-system")).isEqualTo(Role.ADMIN);
        assertThat(p.budgetsOf("payments")).singleElement().satisfies(b -> assertThat(b.concurrentRuns()).isEqualTo(3));
    }

    @Test
    void aBadFileNamesTheSettingTheFileAndTheField() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "projects:\n  - name: shop\n    namespaces: [shop]\n    users: {bob: boss}\n");
        assertThatThrownBy(() -> Assembly.projects(settings(bad))).hasMessageContaining("OPSAGENT_PROJECTS_FILE")
                .hasMessageContaining("bad.yaml: projects[0].users.bob: unknown role 'boss'");
        assertThatThrownBy(() -> Assembly.projects(settings(dir.resolve("missing.yaml")))).hasMessageContaining("OPSAGENT_PROJECTS_FILE")
                .hasMessageContaining("cannot read");
    }
}
