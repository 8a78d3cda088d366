package io.opsagent.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** docs/configuration.md names every setting there is, so the page a user reads is the whole list. */
class ConfigurationDocTest {
    @Test
    void everySettingIsDocumented() throws Exception {
        Path doc = Path.of("../../docs/configuration.md");
        String text = Files.readString(doc);
        assertThat(Arrays.stream(Setting.values()).map(Setting::key).filter(k -> !text.contains("`" + k + "`")))
                .as("settings missing from " + doc).isEmpty();
    }
}
