package io.opsagent.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PatternsCommandTest {
    private static final String FORMAT = "<Date> <Time> <Level> <Component>: <Content>";

    @TempDir
    Path dir;

    private static Cli.Run run(String... args) {
        return Cli.run(args);
    }

    private Path log() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            sb.append("2024-05-02 10:00:0").append(i).append(" INFO http: GET /api/items/").append(100 + i)
                    .append(" 200 ").append(10 + i).append("ms\r\n");
        }
        sb.append("\r\n");
        sb.append("2024-05-02 10:00:07 WARN pool: pool at 91% capacity\r\n");
        sb.append("2024-05-02 10:00:08 ERROR db: connection refused to db-1:5432\r\n");
        sb.append("2024-05-02 10:00:09 INFO http: GET /api/items/7 200 3ms\r\n");
        Path f = dir.resolve("app.log");
        Files.writeString(f, sb.toString(), StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void assignPrintsOneLinePerInputLineIncludingBlankOnes() throws Exception {
        Cli.Run r = run("patterns", log().toString(), "--log-format", FORMAT, "--assign");
        assertThat(r.exit()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(10);
        for (int i = 0; i < lines.size(); i++) {
            assertThat(lines.get(i)).matches((i + 1) + "\t\\d+");
        }
        String getId = lines.get(0).split("\t")[1];
        assertThat(lines.get(5)).endsWith("\t" + getId);
        assertThat(lines.get(9)).endsWith("\t" + getId);
        assertThat(lines.get(6).split("\t")[1]).isNotEqualTo(getId);
        assertThat(lines.get(8).split("\t")[1]).isNotEqualTo(getId);
    }

    @Test
    void rankingPutsTheErrorPatternFirst() throws Exception {
        Cli.Run r = run("patterns", log().toString(), "--log-format", FORMAT);
        assertThat(r.exit()).isZero();
        List<String> lines = r.out().lines().filter(l -> l.startsWith("#")).toList();
        assertThat(lines.get(0)).contains("ERROR").contains("count=1").contains("lines 9..9");
        assertThat(lines.get(1)).contains("WARN");
        // masked values that never changed are shown as they are (one line: db-1:5432; status always 200)
        assertThat(r.out()).contains("template: connection refused to db-1:5432")
                .contains("template: GET <*> 200 <*>")
                .contains("example:  2024-05-02 10:00:08 ERROR db: connection refused to db-1:5432  [line 9]");
    }

    @Test
    void secretsInLogLinesAreRedactedInTemplatesAndExamples() throws Exception {
        Path f = dir.resolve("secrets.log");
        Files.writeString(f, "2024-05-02 10:00:01 ERROR db: check failed for postgres://orders:S3cr3tP4ss@db:5432/orders\n"
                + "2024-05-02 10:00:02 INFO aws: using key AKIAIOSFODNN7EXAMPLE\n", StandardCharsets.UTF_8);
        for (String format : List.of("text", "json")) {
            Cli.Run r = run("patterns", f.toString(), "--log-format", FORMAT, "--format", format);
            assertThat(r.exit()).isZero();
            assertThat(r.out()).doesNotContain("S3cr3tP4ss").doesNotContain("AKIAIOSFODNN7EXAMPLE")
                    .contains("postgres://orders:********@db").contains("AKIA****************");
        }
    }

    @Test
    void jsonOutputWithTop() throws Exception {
        Cli.Run r = run("patterns", log().toString(), "--log-format", FORMAT, "--format", "json", "--top", "2");
        assertThat(r.exit()).isZero();
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertThat(doc.path("lines").asInt()).isEqualTo(10);
        assertThat(doc.path("patternCount").asInt()).isEqualTo(4);
        JsonNode patterns = doc.path("patterns");
        assertThat(patterns).hasSize(2);
        assertThat(patterns.get(0).path("level").asText()).isEqualTo("ERROR");
        assertThat(patterns.get(0).path("firstSeen").asText()).isEqualTo("2024-05-02 10:00:08");
        assertThat(patterns.get(1).path("level").asText()).isEqualTo("WARN");
        assertThat(patterns.get(1).path("lineNumbers").get(0).asLong()).isEqualTo(8);
    }

    @Test
    void withoutFormatTheWholeLineIsTheMessage() throws Exception {
        Cli.Run r = run("patterns", log().toString(), "--format", "json");
        assertThat(r.exit()).isZero();
        JsonNode first = new ObjectMapper().readTree(r.out()).path("patterns").get(0);
        assertThat(first.path("level").asText()).isEqualTo("ERROR");
        assertThat(first.path("firstSeen").isNull()).isTrue();
    }

    @Test
    void missingFileExitsTwoNamingTheFile() {
        Path missing = dir.resolve("nope.log");
        Cli.Run r = run("patterns", missing.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("nope.log").contains("no such file");
    }

    @Test
    void directoryAndBadFormatExitTwo() throws Exception {
        Cli.Run d = run("patterns", dir.toString());
        assertThat(d.exit()).isEqualTo(2);
        assertThat(d.err()).contains(dir.toString()).contains("directory");
        Cli.Run f = run("patterns", log().toString(), "--log-format", "<Date> <Level>");
        assertThat(f.exit()).isEqualTo(2);
        assertThat(f.err()).contains("<Date> <Level>").contains("<Content>");
    }
}
