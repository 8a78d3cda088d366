package io.opsagent.bench.loghub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One Loghub-2k system read from its folder: raw lines, the header format, and both label sets.
 *
 * @param name      system name (folder name)
 * @param lines     raw log lines (line terminators removed)
 * @param logFormat the settings.json {@code log_format}
 * @param original  original EventId per line
 * @param corrected corrected EventTemplate per line
 */
record LoghubSystem(String name, List<String> lines, String logFormat, List<String> original,
                    List<String> corrected) {

    /** Loads every system folder under {@code root}, sorted by name; fails clearly if the data is missing. */
    static List<LoghubSystem> loadAll(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("Loghub data not found at " + root.toAbsolutePath().normalize()
                    + " (expected ../shared/loghub relative to the repository root)");
        }
        List<LoghubSystem> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path d : dirs.filter(Files::isDirectory).sorted().toList()) {
                out.add(load(d));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(root + ": " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no Loghub system folders under " + root.toAbsolutePath().normalize());
        }
        return out;
    }

    static LoghubSystem load(Path dir) {
        String name = dir.getFileName().toString();
        try {
            JsonNode settings = new ObjectMapper().readTree(dir.resolve("settings.json").toFile());
            String format = settings.path("log_format").asText(null);
            List<String> lines = Files.readAllLines(dir.resolve(name + "_2k.log"), StandardCharsets.UTF_8);
            List<String> original = column(dir.resolve(name + "_2k.log_structured.csv"), "EventId");
            List<String> corrected = column(dir.resolve(name + "_2k.log_structured_corrected.csv"), "EventTemplate");
            if (original.size() != lines.size() || corrected.size() != lines.size()) {
                throw new IllegalStateException(dir + ": " + lines.size() + " log lines but " + original.size()
                        + " original and " + corrected.size() + " corrected labels");
            }
            return new LoghubSystem(name, lines, format, original, corrected);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": " + e.getMessage(), e);
        }
    }

    private static List<String> column(Path csv, String name) throws IOException {
        List<List<String>> rows = Csv.parse(Files.readString(csv, StandardCharsets.UTF_8));
        int col = rows.get(0).indexOf(name);
        if (col < 0) {
            throw new IllegalStateException(csv + ": no column " + name + " in header " + rows.get(0));
        }
        List<String> out = new ArrayList<>();
        for (List<String> r : rows.subList(1, rows.size())) {
            out.add(r.get(col));
        }
        return out;
    }
}
