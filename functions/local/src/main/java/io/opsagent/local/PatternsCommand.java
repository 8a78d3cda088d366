package io.opsagent.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.opsagent.core.input.InputException;
import io.opsagent.core.logs.LogFormat;
import io.opsagent.core.logs.LogPattern;
import io.opsagent.core.redact.LineRedactor;
import io.opsagent.core.redact.Redactor;
import io.opsagent.core.logs.PatternMiner;
import io.opsagent.core.logs.PatternRanking;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code opsagent patterns FILE}: mines log templates from a log file. Without {@code --assign} it prints the
 * patterns ranked by interest (errors first, then warnings, then rare before frequent); with {@code --assign}
 * it prints exactly one {@code <lineNumber>\t<patternId>} line per input line.
 */
@Command(name = "patterns", description = "Mine log templates from a log file.", mixinStandardHelpOptions = true)
final class PatternsCommand implements Callable<Integer> {
    private static final int EXAMPLE_WIDTH = 300;

    /** Output formats. */
    enum Format { text, json }

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "Log file to mine (UTF-8; LF or CRLF line endings).")
    private Path file;

    @Option(names = "--log-format", paramLabel = "FMT",
            description = "Header format in Loghub syntax, e.g. '<Date> <Time> <Level> <Component>: <Content>';"
                    + " only says where the message (<Content>) starts.")
    private String logFormat;

    @Option(names = "--assign", description = "Print one '<lineNumber>\\t<patternId>' line per input line.")
    private boolean assign;

    @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
            description = "Output format for the pattern list: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    private Format format;

    @Option(names = "--top", paramLabel = "N", defaultValue = "0",
            description = "Show only the N most interesting patterns (default: all).")
    private int top;

    @Override
    public Integer call() throws InputException, IOException {
        if (top < 0) {
            throw new IllegalArgumentException("--top must be >= 0, got " + top);
        }
        LogFormat header = logFormat == null ? null : LogFormat.compile(logFormat);
        checkReadable(file);
        PatternMiner miner = new PatternMiner();
        // lines are redacted before they are mined: templates, counts and the --assign grouping are all derived
        // from redacted text, so no output differs between two secrets that are masked alike
        LineRedactor redactor = Redactor.standard().lines();
        int[] ids = new int[1024];
        int lines = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(CodingErrorAction.REPLACE)), 1 << 16)) {
            String line;
            while ((line = in.readLine()) != null) {
                lines++;
                int id = miner.addLine(redactor.next(line), header, lines);
                if (assign) {
                    if (lines == ids.length) {
                        ids = Arrays.copyOf(ids, ids.length * 2);
                    }
                    ids[lines] = id;
                }
            }
        } catch (IOException e) {
            throw new InputException(file.toString(), "cannot read: " + e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (assign) {
            StringBuilder sb = new StringBuilder(32);
            for (int n = 1; n <= lines; n++) {
                sb.setLength(0);
                sb.append(n).append('\t').append(miner.currentId(ids[n]));
                out.println(sb);
            }
        } else {
            List<LogPattern> ranked = PatternRanking.rank(miner.patterns(), top);
            if (format == Format.json) {
                printJson(out, ranked, lines, miner.patterns().size());
            } else {
                printText(out, ranked, lines, miner.patterns().size());
            }
        }
        out.flush();
        return 0;
    }

    private static void checkReadable(Path file) throws InputException {
        if (!Files.exists(file)) {
            throw new InputException(file.toString(), "no such file");
        }
        if (Files.isDirectory(file)) {
            throw new InputException(file.toString(), "is a directory, expected a log file");
        }
        if (!Files.isReadable(file)) {
            throw new InputException(file.toString(), "cannot read the file (permission denied)");
        }
    }

    private void printText(PrintWriter out, List<LogPattern> ranked, int lines, int total) {
        out.printf("%d patterns in %s (%d lines)%s%n", total, file, lines,
                ranked.size() < total ? ", showing the " + ranked.size() + " most interesting" : "");
        for (LogPattern p : ranked) {
            out.println();
            out.printf("#%d  %s  count=%d  lines %d..%d%s%n", p.id(), p.level(), p.count(), p.firstLine(),
                    p.lastLine(), p.firstSeen() == null ? ""
                            : "  (" + p.firstSeen() + " .. " + p.lastSeen() + ")");
            out.println("  template: " + p.template());
            String example = p.example().length() > EXAMPLE_WIDTH
                    ? p.example().substring(0, EXAMPLE_WIDTH) + "..." : p.example();
            out.println("  example:  " + example + "  [line " + p.firstLine() + "]");
        }
    }

    private void printJson(PrintWriter out, List<LogPattern> ranked, int lines, int total) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("file", file.toString());
        doc.put("lines", lines);
        doc.put("patternCount", total);
        doc.put("patterns", ranked.stream().map(PatternsCommand::toJson).toList());
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        out.println(json.writeValueAsString(doc));
    }

    private static Map<String, Object> toJson(LogPattern p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("level", p.level().name());
        m.put("count", p.count());
        m.put("template", p.template());
        m.put("firstLine", p.firstLine());
        m.put("lastLine", p.lastLine());
        m.put("firstSeen", p.firstSeen());
        m.put("lastSeen", p.lastSeen());
        m.put("example", p.example());
        m.put("lineNumbers", p.lineNumbers());
        return m;
    }
}
