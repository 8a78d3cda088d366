package io.opsagent.bench.redaction;

import io.opsagent.core.redact.Redactor;
import io.opsagent.core.redact.Result;
import io.opsagent.core.redact.Rule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * False-positive benchmark of the redactor: every {@code *_2k.log} under a Loghub directory is redacted line by
 * line. The logs hold no real secrets, so every changed line is a false positive. Prints per system the lines,
 * changed lines, rules fired and example changed lines, then the throughput of redaction against a plain pass.
 *
 * <p>Usage: {@code RedactionBench <loghub-dir> [min-lines-for-throughput]}
 */
public final class RedactionBench {
    private static final int EXAMPLES_PER_SYSTEM = 3;

    private RedactionBench() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: RedactionBench <loghub-dir> [min-lines-for-throughput]");
            System.exit(2);
        }
        Path root = Path.of(args[0]);
        long minLines = args.length > 1 ? Long.parseLong(args[1]) : 2_000_000L;
        List<Path> logs = findLogs(root);
        if (logs.isEmpty()) {
            System.err.println("no *_2k.log files under " + root.toAbsolutePath().normalize()
                    + " (expected the Loghub sample, ../shared/loghub from the repository root)");
            System.exit(2);
        }
        Redactor redactor = Redactor.standard();
        List<String> all = new ArrayList<>();
        Map<Rule, Integer> totalRules = new EnumMap<>(Rule.class);
        long totalChanged = 0;
        System.out.printf("%-12s %8s %8s %8s  %s%n", "system", "lines", "changed", "rate", "rules fired");
        List<String> examples = new ArrayList<>();
        for (Path log : logs) {
            String system = log.getFileName().toString().replace("_2k.log", "");
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            all.addAll(lines);
            Map<Rule, Integer> rules = new EnumMap<>(Rule.class);
            int changed = 0;
            int shown = 0;
            for (int i = 0; i < lines.size(); i++) {
                Result r = redactor.redactWithCounts(lines.get(i));
                if (!r.text().equals(lines.get(i))) {
                    changed++;
                    r.counts().forEach((rule, c) -> rules.merge(rule, c, Integer::sum));
                    if (shown++ < EXAMPLES_PER_SYSTEM) {
                        examples.add(system + ":" + (i + 1) + ": " + r.text());
                    }
                }
            }
            rules.forEach((rule, c) -> totalRules.merge(rule, c, Integer::sum));
            totalChanged += changed;
            System.out.printf("%-12s %8d %8d %7.3f%%  %s%n", system, lines.size(), changed,
                    100.0 * changed / lines.size(), describe(rules));
        }
        System.out.printf("%-12s %8d %8d %7.3f%%  %s%n", "TOTAL", all.size(), totalChanged,
                100.0 * totalChanged / all.size(), describe(totalRules));
        System.out.println();
        System.out.println("Example changed lines (redacted form; all are false positives unless the log holds a secret):");
        if (examples.isEmpty()) {
            System.out.println("  (none)");
        }
        examples.forEach(e -> System.out.println("  " + e));
        System.out.println();
        evidenceSamples(redactor, root.resolveSibling("evidence-samples"));
        truePositives(redactor);
        throughput(redactor, all, minLines);
    }

    /** The same false-positive count over kubectl output (describe, get, logs, events), whole files at once. */
    private static void evidenceSamples(Redactor redactor, Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            System.out.println("(no kubectl evidence samples at " + dir + ")");
            System.out.println();
            return;
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("LICENSE"))
                    .sorted().toList();
        }
        int lines = 0;
        int changed = 0;
        Map<Rule, Integer> rules = new EnumMap<>(Rule.class);
        List<String> examples = new ArrayList<>();
        for (Path f : files) {
            String text = Files.readString(f, StandardCharsets.UTF_8);
            Result r = redactor.redactWithCounts(text);
            r.counts().forEach((rule, c) -> rules.merge(rule, c, Integer::sum));
            String[] in = text.split("\n", -1);
            String[] out = r.text().split("\n", -1);
            lines += in.length;
            for (int i = 0; i < Math.min(in.length, out.length); i++) {
                if (!in[i].equals(out[i])) {
                    changed++;
                    if (examples.size() < EXAMPLES_PER_SYSTEM) {
                        examples.add(dir.relativize(f) + ":" + (i + 1) + ": " + out[i]);
                    }
                }
            }
        }
        System.out.printf("kubectl evidence samples (%d files, whole-file redaction): %d lines, %d changed (%.3f%%)  %s%n",
                files.size(), lines, changed, 100.0 * changed / Math.max(1, lines), describe(rules));
        examples.forEach(e -> System.out.println("  " + e));
        System.out.println();
    }

    /** Known secrets in common shapes: a redactor that changes nothing would also score zero false positives. */
    private static final String[][] PLANTED = {
        {"2024-05-01 INFO connecting to postgres://app:Xq9vT2pL@db.shop:5432/orders", "Xq9vT2pL"},
        {"aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "bPxRfiCY"},
        {"using key AKIAIOSFODNN7EXAMPLE", "IOSFODNN7"},
        {"curl -H \"Authorization: Bearer 0a1b2c3d4e5f6a7b8c9d\" https://api", "0a1b2c3d4e5f"},
        {"token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlMTIz", "c2lnbmF0dXJl"},
        {"DB_PASSWORD=hunter2", "hunter2"},
        {"{\"password\": \"s3cr3t!\"}", "s3cr3t!"},
        {"git clone https://ghp_R2d2C3poAbCdEfGhIjKlMnOpQrStUvWx1234@github.com/o/r", "R2d2C3po"},
        {"Server=db;User ID=sa;Password=P@ssw0rd;", "P@ssw0rd"},
        {"kind: Secret\ndata:\n  tls.key: LS0tLS1CRUdJTiBQUklW\n", "LS0tLS1CRUdJTiBQUklW"},
    };

    private static void truePositives(Redactor redactor) {
        int caught = 0;
        for (String[] p : PLANTED) {
            String out = redactor.redact(p[0]);
            if (!out.contains(p[1])) {
                caught++;
            } else {
                System.out.println("  MISSED: " + out);
            }
        }
        System.out.printf("True-positive check: %d of %d planted secrets masked%n%n", caught, PLANTED.length);
    }

    private static List<Path> findLogs(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.getFileName().toString().endsWith("_2k.log")).sorted().toList();
        }
    }

    private static String describe(Map<Rule, Integer> rules) {
        if (rules.isEmpty()) {
            return "-";
        }
        StringBuilder sb = new StringBuilder();
        rules.forEach((r, c) -> sb.append(sb.length() == 0 ? "" : ", ").append(r.id()).append('=').append(c));
        return sb.toString();
    }

    /**
     * Times a plain pass (sum of characters) and the redaction pass over the same lines, after a warm-up;
     * five alternating trials, the best of each is reported (the machine may be shared).
     */
    private static void throughput(Redactor redactor, List<String> lines, long minLines) {
        int trials = 5;
        int rounds = (int) Math.max(1, (minLines / trials + lines.size() - 1) / lines.size());
        long sink = 0;
        for (int w = 0; w < 3; w++) {
            sink += plainPass(lines) + redactPass(redactor, lines);
        }
        long bestPlain = Long.MAX_VALUE;
        long bestRedact = Long.MAX_VALUE;
        for (int t = 0; t < trials; t++) {
            long t0 = System.nanoTime();
            for (int r = 0; r < rounds; r++) {
                sink += plainPass(lines);
            }
            long t1 = System.nanoTime();
            for (int r = 0; r < rounds; r++) {
                sink += redactPass(redactor, lines);
            }
            long t2 = System.nanoTime();
            bestPlain = Math.min(bestPlain, t1 - t0);
            bestRedact = Math.min(bestRedact, t2 - t1);
        }
        long n = (long) rounds * lines.size();
        double plain = n / (bestPlain / 1e9);
        double redact = n / (bestRedact / 1e9);
        System.out.printf("Throughput, one thread, best of %d trials of %,d lines (%d rounds of %,d):%n",
                trials, n, rounds, lines.size());
        System.out.printf("  plain pass (read every char): %,12.0f lines/s%n", plain);
        System.out.printf("  redactor:                     %,12.0f lines/s  (%.1fx the plain pass time)%n",
                redact, plain / redact);
        System.out.println("  (checksum " + sink + ")");
    }

    private static long plainPass(List<String> lines) {
        long sum = 0;
        for (String l : lines) {
            for (int i = 0; i < l.length(); i++) {
                sum += l.charAt(i);
            }
        }
        return sum;
    }

    private static long redactPass(Redactor redactor, List<String> lines) {
        long sum = 0;
        for (String l : lines) {
            sum += redactor.redactLine(l).length();
        }
        return sum;
    }
}
