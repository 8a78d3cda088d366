package io.opsagent.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsLayersTest {
    @TempDir
    Path tmp;

    @Test
    void flagOverridesEnvironmentOverridesFile() throws Exception {
        Path file = tmp.resolve("config.properties");
        Files.writeString(file, """
                # models
                OPSAGENT_MODEL=from-file
                OPSAGENT_MAX_STEPS=7
                OPSAGENT_OPENAI_BASE_URL=http://file:11434/v1
                OPSAGENT_OPENAI_API_KEY=sk-file-secret
                """);
        Settings s = Settings.builder().file(file, false)
                .environment(Map.of("OPSAGENT_MODEL", "from-env", "OPSAGENT_OPENAI_BASE_URL", "http://env:11434/v1"))
                .flag(Setting.MODEL, "from-flag", "--model").build();
        assertThat(s.get(Setting.MODEL)).contains("from-flag");
        assertThat(s.origin(Setting.MODEL)).contains("--model");
        assertThat(s.get(Setting.OPENAI_BASE_URL)).contains("http://env:11434/v1");
        assertThat(s.origin(Setting.OPENAI_BASE_URL)).contains("environment");
        assertThat(s.integer(Setting.MAX_STEPS, 10, 1, 100)).isEqualTo(7);
        assertThat(s.origin(Setting.MAX_STEPS)).contains(file + ":3");
        assertThat(s.describe()).contains("OPSAGENT_OPENAI_API_KEY=****  (" + file + ":5)")
                .noneMatch(l -> l.contains("sk-file-secret"));
    }

    @Test
    void anUnknownKeyNamesFileLineAndSuggestion() throws Exception {
        Path file = tmp.resolve("config.properties");
        Files.writeString(file, "OPSAGENT_MODEL=m\nOPSAGENT_MODLE=x\n");
        assertThatThrownBy(() -> Settings.builder().file(file, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file + ":2").hasMessageContaining("unknown setting 'OPSAGENT_MODLE'")
                .hasMessageContaining("did you mean OPSAGENT_MODEL?");
    }

    @Test
    void ignoredLowerLayersLetAClusterFlagReplaceAConfiguredCluster() throws Exception {
        Path file = tmp.resolve("c.properties");
        Files.writeString(file, "OPSAGENT_KUBE_CONTEXT=prod\n");
        Settings s = Settings.builder().file(file, false).environment(Map.of("OPSAGENT_EKS_CLUSTER", "x"))
                .ignoreLowerLayers(Clusters.inputSettings()).flag(Setting.DUMP_DIR, "/d", "--dump").build();
        assertThat(s.isSet(Setting.KUBE_CONTEXT)).isFalse();
        assertThat(s.isSet(Setting.EKS_CLUSTER)).isFalse();
        assertThat(s.get(Setting.DUMP_DIR)).contains("/d");
    }
}
