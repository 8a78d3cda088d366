package io.opsagent.bench.diagnosis;

import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.diagnosis.Diagnosis;
import io.opsagent.core.diagnosis.DiagnosisEngine;
import io.opsagent.core.diagnosis.Finding;
import io.opsagent.core.diagnosis.Severity;
import io.opsagent.core.input.ClusterDumpReader;
import io.opsagent.core.input.text.TextEvidenceReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** See bench/diagnosis/run. */
public final class DiagnosisBench {
    /** One labelled case of expected.tsv. */
    record Case(String folder, String namespace, String workload, Pattern categories, Pattern keyword, boolean healthy) {
    }

    public static void main(String[] args) throws Exception {
        Path root = null;
        Path samples = null;
        int runs = 20;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--root" -> root = Path.of(args[++i]);
                case "--samples" -> samples = Path.of(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; usage: bench/diagnosis/run [--runs N]");
            }
        }
        List<Case> cases = cases(samples.resolve("expected.tsv"));
        DiagnosisEngine engine = DiagnosisEngine.standard();
        int passWithout = 0;
        int passWith = 0;
        List<String[]> results = new ArrayList<>();
        System.out.printf("evidence samples (%s): %d labelled cases, each diagnosed without and with its subject%n",
                samples, cases.size());
        for (Case c : cases) {
            ClusterSnapshot s;
            String without;
            String with;
            try {
                s = new TextEvidenceReader().read(samples.resolve(c.folder()));
                without = verdict(c, engine.diagnose(s));
                with = c.namespace() == null ? without : verdict(c, engine.diagnose(s, c.namespace(), c.workload()));
            } catch (Exception e) {
                without = "FAIL (" + e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()) + ")";
                with = without;
            }
            results.add(new String[] {c.healthy() ? "healthy" : "broken", without, with});
            if (without.startsWith("pass")) passWithout++;
            if (with.startsWith("pass")) passWith++;
            System.out.printf("  %-52s without: %s%n  %-52s with:    %s%n", c.folder(), without, "", with);
        }
        System.out.printf("  passed: %d of %d without the subject, %d of %d with it%n", passWithout, cases.size(),
                passWith, cases.size());

        // the repository's own labelled cases: the demo's answer key (broken and healthy workloads) and the healthy
        // controls, each asked about by name
        Path demo = root.resolve("events/clusters/demo");
        ClusterSnapshot dump = new ClusterDumpReader().read(demo);
        Score demoScore = answerKey(engine, "demo", dump, root.resolve("events/clusters/demo.expected.json"));
        Path controls = root.resolve("events/clusters/controls");
        Score controlScore = answerKey(engine, "healthy controls", new ClusterDumpReader().read(controls),
                root.resolve("events/clusters/controls.expected.json"));
        // false alarms on the whole demo dump, diagnosed at once: critical root causes on its healthy workloads
        List<String> healthy = healthyWorkloads(root.resolve("events/clusters/demo.expected.json"));
        List<String> alarms = new ArrayList<>();
        for (Finding f : engine.diagnose(dump).findings()) {
            if (f.severity() == Severity.CRITICAL && f.rootCause() && healthy.contains(f.namespace() + "/" + f.name())) {
                alarms.add(f.namespace() + "/" + f.name() + " " + f.category());
            }
        }
        System.out.printf("false alarms on the whole demo dump (critical root causes on its %d healthy workloads): %d %s%n",
                healthy.size(), alarms.size(), alarms);

        Score samplesWithout = new Score();
        Score samplesWith = new Score();
        for (String[] r : results) {
            samplesWithout.add(r[0], r[1]);
            samplesWith.add(r[0], r[2]);
        }
        Score all = new Score().plus(samplesWith).plus(demoScore).plus(controlScore);
        System.out.println("root causes (precision = right root causes / root causes named; recall = right root causes "
                + "/ broken cases; a false alarm is a critical finding, or a warning root cause about the workload, on a healthy case):");
        samplesWithout.print("evidence samples, without the subject");
        samplesWith.print("evidence samples, with the subject");
        demoScore.print("demo answer key, per workload");
        controlScore.print("healthy controls, per workload");
        all.print("every labelled case, with the subject");

        // time per diagnosis, against reading the same input
        String biggest = dump.namespaceNames().stream().max(java.util.Comparator.comparingLong(ns ->
                dump.pods().stream().filter(p -> ns.equals(p.getMetadata().getNamespace())).count())).orElse("shop");
        timing("demo namespace " + biggest + " (dump read + diagnose)", runs, () -> new ClusterDumpReader().read(demo),
                s -> engine.diagnose(s, biggest, null));
        Path logs = samples.resolve("test_ask_holmes__43_slack_deployment_logs");
        timing(String.format(Locale.ROOT, "%.0f KB of recorded output (read + diagnose)", size(logs) / 1024.0), runs,
                () -> new TextEvidenceReader().read(logs), engine::diagnose);
        // the same case with one of its two ~700 KB logs: the size the issue names
        Path one = Files.createTempDirectory("opsagent-bench-log");
        try (var files = Files.list(logs)) {
            for (Path f : files.filter(f -> !f.getFileName().toString().startsWith("fetch_pod_logs_relative")).toList()) {
                Files.copy(f, one.resolve(f.getFileName()));
            }
        }
        try {
            timing(String.format(Locale.ROOT, "%.0f KB: the same with one log (read + diagnose)", size(one) / 1024.0),
                    runs, () -> new TextEvidenceReader().read(one), engine::diagnose);
        } finally {
            try (var files = Files.list(one)) {
                for (Path f : files.toList()) Files.delete(f);
            }
            Files.delete(one);
        }
    }

    private static long size(Path dir) throws java.io.IOException {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /** Right, wrong and missed root causes over a set of cases. */
    static final class Score {
        int broken;
        int healthy;
        int right;
        int named; // root causes named on broken cases (right or wrong)
        int falseAlarms; // critical or warning root causes on healthy cases

        void add(String kind, String verdict) {
            if (kind.equals("healthy")) {
                healthy++;
                if (!verdict.startsWith("pass")) falseAlarms++;
                return;
            }
            broken++;
            if (verdict.startsWith("pass")) {
                right++;
                named++;
            } else if (!verdict.startsWith("FAIL: no root cause")) {
                named++;
            }
        }

        Score plus(Score o) {
            broken += o.broken;
            healthy += o.healthy;
            right += o.right;
            named += o.named;
            falseAlarms += o.falseAlarms;
            return this;
        }

        void print(String what) {
            int claims = named + falseAlarms;
            System.out.printf(Locale.ROOT, "  %-42s %3d broken, %2d healthy: precision %5.1f%% (%d/%d), recall %5.1f%% "
                    + "(%d/%d), false alarms %d%n", what, broken, healthy, claims == 0 ? 100.0 : 100.0 * right / claims,
                    right, claims, broken == 0 ? 100.0 : 100.0 * right / broken, right, broken, falseAlarms);
        }
    }

    /** Every workload of an answer key (demo.expected.json's format), asked about by name. */
    private static Score answerKey(DiagnosisEngine engine, String name, ClusterSnapshot s, Path key) throws Exception {
        Score score = new Score();
        List<String> failures = new ArrayList<>();
        for (var w : new com.fasterxml.jackson.databind.ObjectMapper().readTree(key.toFile()).path("workloads")) {
            String ns = w.path("namespace").isNull() ? null : w.path("namespace").asText();
            String wl = w.path("name").asText();
            Diagnosis d = engine.diagnose(s, ns, wl);
            List<Finding> roots = d.findings().stream().filter(Finding::rootCause).toList();
            String verdict;
            if (w.path("healthy").asBoolean()) {
                // a critical finding, or a warning root cause about the workload itself (a node it runs on may
                // truly have a problem: that is context, not an alarm about this workload)
                boolean alarm = d.findings().stream().anyMatch(f -> f.severity() == Severity.CRITICAL
                        || f.rootCause() && f.severity() == Severity.WARNING && wl.equals(f.name()));
                verdict = alarm ? "FAIL: alarm" : "pass";
                score.add("healthy", verdict);
            } else {
                var expected = java.util.stream.StreamSupport.stream(w.path("expect").spliterator(), false)
                        .filter(e -> e.path("rootCause").asBoolean()).findFirst().orElse(null);
                if (roots.isEmpty()) {
                    verdict = "FAIL: no root cause";
                } else if (expected == null) {
                    verdict = "pass";
                } else {
                    Finding top = roots.get(0);
                    StringBuilder text = new StringBuilder(top.summary());
                    top.evidence().forEach(e -> text.append('\n').append(e.text()));
                    boolean ok = top.category().name().equals(expected.path("category").asText());
                    for (var q : expected.path("evidenceContains")) ok &= text.indexOf(q.asText()) >= 0;
                    verdict = ok ? "pass" : "FAIL: " + top.category();
                }
                score.add("broken", verdict);
            }
            if (!verdict.startsWith("pass")) failures.add((ns == null ? "" : ns + "/") + wl + " " + verdict);
        }
        System.out.printf("%s (%s): %d workloads, %d wrong %s%n", name, key.getFileName(), score.broken + score.healthy,
                failures.size(), failures);
        return score;
    }

    interface Reader {
        ClusterSnapshot read() throws Exception;
    }

    interface Diagnose {
        Diagnosis diagnose(ClusterSnapshot s) throws Exception;
    }

    private static void timing(String what, int runs, Reader read, Diagnose diagnose) throws Exception {
        List<Double> readMs = new ArrayList<>();
        List<Double> allMs = new ArrayList<>();
        for (int i = 0; i < runs + 3; i++) {
            long t0 = System.nanoTime();
            ClusterSnapshot s = read.read();
            long t1 = System.nanoTime();
            diagnose.diagnose(s);
            long t2 = System.nanoTime();
            if (i < 3) continue; // warm-up
            readMs.add((t1 - t0) / 1e6);
            allMs.add((t2 - t0) / 1e6);
        }
        System.out.printf("  %-60s p50 %7.1f ms  p95 %7.1f ms   (reading alone: p50 %.1f ms; ratio %.2fx)%n", what,
                pct(allMs, .5), pct(allMs, .95), pct(readMs, .5), pct(allMs, .5) / pct(readMs, .5));
    }

    private static double pct(List<Double> xs, double p) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(Math.min(s.size() - 1, (int) Math.ceil(p * s.size()) - 1));
    }

    /** "pass: OOMKilled …" or "FAIL: …" for one diagnosis of a case. */
    static String verdict(Case c, Diagnosis d) {
        List<Finding> roots = d.findings().stream().filter(Finding::rootCause).toList();
        List<Finding> critical = roots.stream().filter(f -> f.severity() == Severity.CRITICAL).toList();
        if (c.healthy()) {
            return critical.isEmpty() ? "pass (healthy: no critical root cause)"
                    : "FAIL: expected healthy, got " + critical.get(0).category() + " on " + critical.get(0).name();
        }
        if (roots.isEmpty()) return "FAIL: no root cause (" + d.findings().size() + " findings)";
        Finding top = roots.get(0);
        StringBuilder text = new StringBuilder(top.summary());
        top.evidence().forEach(e -> text.append('\n').append(e.text()));
        boolean category = c.categories().matcher(top.category().name()).matches();
        boolean keyword = c.keyword() == null || c.keyword().matcher(text).find();
        String got = top.category() + " on " + top.namespace() + "/" + top.name();
        if (category && keyword) return "pass: " + got;
        return "FAIL: " + got + (category ? " without the keyword" : " (expected " + c.categories().pattern() + ")");
    }

    private static List<Case> cases(Path tsv) throws java.io.IOException {
        List<Case> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(tsv, StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) continue;
            String[] f = line.split("\t");
            String subject = f[1].strip();
            String ns = null;
            String name = null;
            if (!subject.equals("-")) {
                int slash = subject.indexOf('/');
                ns = subject.substring(0, slash);
                name = subject.substring(slash + 1);
            }
            boolean healthy = f[2].strip().equals("HEALTHY");
            Pattern cat = Pattern.compile(f[2].strip());
            Pattern kw = f[3].strip().equals("-") ? null : Pattern.compile(f[3].strip(), Pattern.CASE_INSENSITIVE);
            out.add(new Case(f[0].strip(), ns, name, cat, kw, healthy));
        }
        return out;
    }

    /** The workloads the demo's answer key says are healthy ({@code namespace/name}). */
    private static List<String> healthyWorkloads(Path answers) throws java.io.IOException {
        List<String> out = new ArrayList<>();
        for (var w : new com.fasterxml.jackson.databind.ObjectMapper().readTree(answers.toFile()).path("workloads")) {
            if (w.path("healthy").asBoolean() && !w.path("namespace").isNull()) {
                out.add(w.path("namespace").asText() + "/" + w.path("name").asText());
            }
        }
        return out;
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

}
