package io.opsagent.bench.loghub;

import io.opsagent.core.logs.GroupingAccuracy;
import io.opsagent.core.logs.LogFormat;
import io.opsagent.core.logs.PatternMiner;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Loghub benchmark of {@link PatternMiner}: grouping accuracy per system against the original and corrected labels
 * (one configuration for all systems; each system's log_format only splits header from message), and single-thread
 * throughput on at least 1,000,000 lines against a plain line-reading pass over the same input.
 *
 * <p>Usage: {@code LoghubBench [--data DIR] [--lines N] [--mistakes SYSTEM]}.
 */
public final class LoghubBench {
    private LoghubBench() {
    }

    public static void main(String[] args) throws IOException {
        Path data = Path.of("../shared/loghub");
        long minLines = 1_000_000;
        String mistakesOf = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data" -> data = Path.of(args[++i]);
                case "--lines" -> minLines = Long.parseLong(args[++i]);
                case "--mistakes" -> mistakesOf = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (expected --data DIR, --lines N, --mistakes SYSTEM)");
            }
        }
        List<LoghubSystem> systems;
        try {
            systems = LoghubSystem.loadAll(data);
        } catch (IllegalStateException e) {
            System.err.println("bench/loghub: " + e.getMessage());
            System.exit(2);
            return;
        }
        accuracy(systems, mistakesOf);
        if (minLines > 0) {
            throughput(systems, minLines);
        }
    }

    /** Final pattern id per line of one system. */
    static List<Integer> mine(LoghubSystem s) {
        PatternMiner miner = new PatternMiner();
        LogFormat format = s.logFormat() == null ? null : LogFormat.compile(s.logFormat());
        List<Integer> ids = new ArrayList<>();
        long n = 0;
        for (String line : s.lines()) {
            ids.add(miner.addLine(line, format, ++n));
        }
        List<Integer> out = new ArrayList<>(ids.size());
        for (int id : ids) {
            out.add(miner.currentId(id));
        }
        return out;
    }

    private static void accuracy(List<LoghubSystem> systems, String mistakesOf) {
        System.out.println("Grouping accuracy (one configuration for all systems)");
        System.out.printf(Locale.ROOT, "%-10s %6s %9s %14s %8s %8s%n", "system", "lines", "patterns",
                "true (o/c)", "GA orig", "GA corr");
        double sumO = 0;
        double sumC = 0;
        for (LoghubSystem s : systems) {
            List<Integer> ids = mine(s);
            double gaO = GroupingAccuracy.of(ids, s.original());
            double gaC = GroupingAccuracy.of(ids, s.corrected());
            sumO += gaO;
            sumC += gaC;
            System.out.printf(Locale.ROOT, "%-10s %6d %9d %6d/%-7d %8.3f %8.3f%n", s.name(), s.lines().size(),
                    new HashSet<>(ids).size(), new HashSet<>(s.original()).size(),
                    new HashSet<>(s.corrected()).size(), gaO, gaC);
            if (s.name().equalsIgnoreCase(mistakesOf)) {
                printMistakes(s, ids);
            }
        }
        System.out.printf(Locale.ROOT, "%-10s %6s %9s %14s %8.3f %8.3f%n", "average", "", "", "",
                sumO / systems.size(), sumC / systems.size());
    }

    /** Prints the predicted groups that are not exactly one truth group (corrected labels), for error analysis. */
    private static void printMistakes(LoghubSystem s, List<Integer> ids) {
        Map<Object, List<Integer>> byPred = new LinkedHashMap<>();
        Map<String, List<Integer>> byTruth = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            byPred.computeIfAbsent(ids.get(i), k -> new ArrayList<>()).add(i);
            byTruth.computeIfAbsent(s.corrected().get(i) + " | " + s.original().get(i), k -> new ArrayList<>())
                    .add(i);
        }
        System.out.println("-- truth groups split or merged in " + s.name() + " (corrected | original label):");
        for (Map.Entry<String, List<Integer>> t : byTruth.entrySet()) {
            Map<Integer, Integer> preds = new LinkedHashMap<>();
            for (int i : t.getValue()) {
                preds.merge(ids.get(i), 1, Integer::sum);
            }
            boolean ok = preds.size() == 1 && byPred.get(preds.keySet().iterator().next()).size()
                    == t.getValue().size();
            if (!ok) {
                System.out.println("TRUTH " + t.getKey() + " (" + t.getValue().size() + " lines) -> groups " + preds);
                for (int p : preds.keySet()) {
                    List<Integer> members = byPred.get(p);
                    System.out.println("   group " + p + " (" + members.size() + "): "
                            + s.lines().get(members.get(0)).replace('\r', ' '));
                }
            }
        }
    }

    private static void throughput(List<LoghubSystem> systems, long minLines) throws IOException {
        long perRound = systems.stream().mapToLong(s -> s.lines().size()).sum();
        int rounds = (int) ((minLines + perRound - 1) / perRound);
        List<byte[]> inputs = new ArrayList<>();
        List<LogFormat> formats = new ArrayList<>();
        for (LoghubSystem s : systems) {
            StringBuilder sb = new StringBuilder();
            for (int r = 0; r < rounds; r++) {
                for (String line : s.lines()) {
                    sb.append(line).append('\n');
                }
            }
            inputs.add(sb.toString().getBytes(StandardCharsets.UTF_8));
            formats.add(s.logFormat() == null ? null : LogFormat.compile(s.logFormat()));
        }
        long total = perRound * rounds;
        // warm-up, then best of three timed runs of each pass
        for (int w = 0; w < 2; w++) {
            baseline(inputs);
            mined(inputs, formats, PatternMiner.DEFAULT_MESSAGE_CACHE);
            mined(inputs, formats, 0);
        }
        long baseNs = Long.MAX_VALUE;
        long minerNs = Long.MAX_VALUE;
        long uncachedNs = Long.MAX_VALUE;
        for (int r = 0; r < 3; r++) {
            baseNs = Math.min(baseNs, baseline(inputs));
            minerNs = Math.min(minerNs, mined(inputs, formats, PatternMiner.DEFAULT_MESSAGE_CACHE));
            uncachedNs = Math.min(uncachedNs, mined(inputs, formats, 0));
        }
        double base = total / (baseNs / 1e9);
        double mined = total / (minerNs / 1e9);
        double uncached = total / (uncachedNs / 1e9);
        System.out.println();
        System.out.printf(Locale.ROOT, "Throughput on %,d lines (%d systems x 2,000 lines x %d rounds), one thread:%n",
                total, systems.size(), rounds);
        System.out.printf(Locale.ROOT, "  baseline (read lines only)      %,12.0f lines/s%n", base);
        System.out.printf(Locale.ROOT, "  miner (read + header + mine)    %,12.0f lines/s%n", mined);
        System.out.printf(Locale.ROOT, "  ratio miner/baseline            %12.2f%n", mined / base);
        System.out.printf(Locale.ROOT, "  miner, message cache off        %,12.0f lines/s (every line masked; ratio %.2f)%n",
                uncached, uncached / base);
    }

    private static long baseline(List<byte[]> inputs) throws IOException {
        long t0 = System.nanoTime();
        long chars = 0;
        for (byte[] in : inputs) {
            try (BufferedReader r = reader(in)) {
                String line;
                while ((line = r.readLine()) != null) {
                    chars += line.length();
                }
            }
        }
        long t = System.nanoTime() - t0;
        if (chars < 0) {
            System.out.println(chars);
        }
        return t;
    }

    private static long mined(List<byte[]> inputs, List<LogFormat> formats, int cache) throws IOException {
        long t0 = System.nanoTime();
        long check = 0;
        for (int i = 0; i < inputs.size(); i++) {
            PatternMiner miner = new PatternMiner(cache);
            LogFormat format = formats.get(i);
            try (BufferedReader r = reader(inputs.get(i))) {
                String line;
                long n = 0;
                while ((line = r.readLine()) != null) {
                    check += miner.addLine(line, format, ++n);
                }
            }
            check += miner.patterns().size();
        }
        long t = System.nanoTime() - t0;
        if (check < 0) {
            System.out.println(check);
        }
        return t;
    }

    private static BufferedReader reader(byte[] in) {
        return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(in), StandardCharsets.UTF_8),
                1 << 16);
    }
}
