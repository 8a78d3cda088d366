package io.opsagent.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.apache.logging.log4j.core.config.plugins.processor.PluginCache;
import org.junit.jupiter.api.Test;

/**
 * The shaded Lambda jar can hold only one {@code Log4j2Plugins.dat}, but log4j-core (Console appender),
 * log4j-layout-template-json (JsonTemplateLayout) and Powertools (its resolver) each ship one: without all three the
 * jar logs nothing. The module therefore ships the merge of them (src/main/resources, kept by the shade filter that
 * drops the dependencies' copies). This test fails when the merge is stale (e.g. after a version bump); run it with
 * {@code -Dopsagent.regenerate=true} to rewrite the file.
 */
class TelemetryPluginCacheTest {
    static final String CACHE = "META-INF/org/apache/logging/log4j/core/config/plugins/Log4j2Plugins.dat";

    @Test
    void theShippedPluginCacheIsTheMergeOfTheDependencies() throws Exception {
        Path shipped = ApiTestEnv.root().resolve("functions/lambda/src/main/resources/" + CACHE);
        List<URL> fromJars = Collections.list(getClass().getClassLoader().getResources(CACHE)).stream()
                .filter(u -> u.getProtocol().equals("jar"))
                .filter(u -> !u.toString().contains("DynamoDBLocal"))
                .toList();
        assertThat(fromJars).extracting(URL::toString).anyMatch(u -> u.contains("log4j-core"))
                .anyMatch(u -> u.contains("log4j-layout-template-json"))
                .anyMatch(u -> u.contains("powertools-logging-log4j"));
        PluginCache merged = new PluginCache();
        merged.loadCacheFiles(Collections.enumeration(fromJars));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        merged.writeCache(bytes);
        if (Boolean.getBoolean("opsagent.regenerate")) {
            Files.createDirectories(shipped.getParent());
            Files.write(shipped, bytes.toByteArray());
        }
        assertThat(merged.getCategory("core")).containsKeys("console", "jsontemplatelayout");
        assertThat(Files.readAllBytes(shipped))
                .as("%s is stale: rerun this test with -Dopsagent.regenerate=true", shipped)
                .isEqualTo(bytes.toByteArray());
    }
}
