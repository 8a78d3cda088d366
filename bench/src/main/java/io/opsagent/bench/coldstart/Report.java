package io.opsagent.bench.coldstart;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Prints the cold-start tables; returns the exit code (1 when a built function failed). */
final class Report {
    private Report() {
    }

    static int print(List<ColdStartBench.Entry> entries, ColdStartBench.Entry baseline, Criu criu, PrintStream out) {
        int exit = 0;
        double helloInit = median(baseline.onDemand, Sample::initMs);
        out.println();
        double helloCpu = median(baseline.onDemand, Sample::initCpuMs);
        out.println("| function | kind | jar MB | init ms median (min) | init CPU ms median | first invocation ms "
                + "median (min) | total ms median | init / hello-world (CPU) | ≤ 2× target |");
        out.println("|---|---|---:|---:|---:|---:|---:|---:|---|");
        for (ColdStartBench.Entry e : entries) {
            String kind = e.spec.kind() == FunctionSpec.Kind.HANDLER ? "handler" : "web adapter";
            if (!e.ready()) {
                out.printf(Locale.ROOT, "| %s | %s | %s | not built | | | | | |%n", e.spec.name(), kind,
                        e.jars.isEmpty() ? "-" : mb(e.jarMb));
                continue;
            }
            List<Sample> failed = e.onDemand.stream().filter(s -> !s.ok()).toList();
            if (!failed.isEmpty() || e.snapStart.stream().anyMatch(s -> !s.ok())) {
                exit = 1;
            }
            if (failed.size() == e.onDemand.size()) {
                out.printf(Locale.ROOT, "| %s | %s | %s | FAILED | | | | | |%n", e.spec.name(), kind, mb(e.jarMb));
                continue;
            }
            double init = median(e.onDemand, Sample::initMs);
            double ratio = init / helloInit;
            String first = fmt(median(e.onDemand, Sample::firstInvokeMs), 0) + " ("
                    + fmt(min(e.onDemand, Sample::firstInvokeMs), 0) + ")";
            double ttfb = median(e.onDemand, Sample::firstByteMs);
            if (ttfb >= 0) {
                first += ", first byte " + fmt(ttfb, 0);
            }
            double cpu = median(e.onDemand, Sample::initCpuMs);
            out.printf(Locale.ROOT, "| %s | %s | %s | %s (%s) | %s | %s | %s | %s× (%s×) | %s |%n", e.spec.name(), kind,
                    mb(e.jarMb), fmt(init, 0), fmt(min(e.onDemand, Sample::initMs), 0), fmt(cpu, 0), first,
                    fmt(median(e.onDemand, Sample::totalMs), 0), fmt(ratio, 2), fmt(cpu / helloCpu, 2),
                    e == baseline ? "baseline" : ratio <= ColdStartBench.TARGET_RATIO ? "yes" : "NO");
        }
        printSnapStart(entries, out);
        if (criu != null) {
            if (printRestores(entries, baseline, criu, out)) {
                exit = 1;
            }
        }
        printProfiles(entries, out);
        printProblems(entries, out);
        return exit;
    }

    private static void printSnapStart(List<ColdStartBench.Entry> entries, PrintStream out) {
        out.println();
        out.println("SnapStart priming (handlers: AWS_LAMBDA_INITIALIZATION_TYPE=snap-start, the runtime interface client "
                + "runs the CRaC beforeCheckpoint hooks, then calls restore/next, where Lambda takes the snapshot; web "
                + "adapter: the adapter's before-checkpoint and after-restore HTTP hooks are called once ready):");
        out.println("| function | first invocation ms, on-demand | first invocation ms, after priming | change "
                + "| init up to the snapshot ms (not paid on restore) |");
        out.println("|---|---:|---:|---:|---:|");
        for (ColdStartBench.Entry e : entries) {
            if (!e.ready() || e.spec.baseline()) {
                continue;
            }
            if (!e.primes || e.snapStart.stream().noneMatch(Sample::ok)) {
                String why = e.spec.kind() == FunctionSpec.Kind.WEB && !e.primes
                        ? "n/a (no AWS_LWA_SNAPSTART_BEFORE_CHECKPOINT_PATH in its env)"
                        : !e.spec.snapStart() ? "n/a (not asked)" : !e.primes ? "n/a (registers no org.crac.Resource)"
                        : "FAILED";
                out.printf(Locale.ROOT, "| %s | %s | %s | | |%n", e.spec.name(),
                        fmt(median(e.onDemand, Sample::firstInvokeMs), 0), why);
                continue;
            }
            double cold = median(e.onDemand, Sample::firstInvokeMs);
            double primed = median(e.snapStart, Sample::firstInvokeMs);
            out.printf(Locale.ROOT, "| %s | %s | %s | %s%% | %s |%n", e.spec.name(), fmt(cold, 0), fmt(primed, 0),
                    fmt(100 * (primed - cold) / cold, 0), fmt(median(e.snapStart, Sample::snapshotMs), 0));
        }
    }

    /** The restores from CRIU snapshots; true when one failed. */
    private static boolean printRestores(List<ColdStartBench.Entry> entries, ColdStartBench.Entry baseline, Criu criu,
                                         PrintStream out) {
        double helloInit = median(baseline.onDemand, Sample::initMs);
        double helloRestore = medianRestore(baseline.restored, RestoreSample::restoreMs);
        boolean failed = false;
        out.println();
        out.println("SnapStart restore, CRIU " + criu.version() + " stand-in (the JVM dumped at the snapshot point, "
                + "after the beforeCheckpoint hooks, and restored from this machine's page cache; Lambda resumes a "
                + "microVM snapshot fetched from its snapshot cache, so these restores are a lower bound). "
                + "restore = start of the restore to the end of the afterRestore hooks (Lambda's Restore Duration):");
        out.println("| function | snapshot MB | dump ms | restore ms median (min) | first invocation ms median "
                + "| restore + first invocation ms | restore / hello-world init | restore / hello-world restore "
                + "| ≤ 2× target |");
        out.println("|---|---:|---:|---:|---:|---:|---:|---:|---|");
        for (ColdStartBench.Entry e : entries) {
            if (!e.ready() || e.restored.isEmpty()) {
                continue;
            }
            if (e.restored.stream().anyMatch(r -> !r.ok())) {
                failed = true;
            }
            if (e.restored.stream().noneMatch(RestoreSample::ok)) {
                out.printf(Locale.ROOT, "| %s | | | FAILED | | | | | |%n", e.spec.name());
                continue;
            }
            double restore = medianRestore(e.restored, RestoreSample::restoreMs);
            String first = fmt(medianRestore(e.restored, RestoreSample::firstInvokeMs), 0);
            double ttfb = medianRestore(e.restored, RestoreSample::firstByteMs);
            if (ttfb >= 0) {
                first += ", first byte " + fmt(ttfb, 0);
            }
            double ratio = restore / helloInit;
            out.printf(Locale.ROOT, "| %s | %s | %s | %s (%s) | %s | %s | %s× | %s× | %s |%n", e.spec.name(),
                    fmt(medianRestore(e.restored, RestoreSample::imageMb), 1),
                    fmt(medianRestore(e.restored, RestoreSample::dumpMs), 0), fmt(restore, 0),
                    fmt(minRestore(e.restored, RestoreSample::restoreMs), 0), first,
                    fmt(medianRestore(e.restored, RestoreSample::totalMs), 0), fmt(ratio, 2),
                    fmt(restore / helloRestore, 2),
                    e == baseline ? "baseline" : ratio <= ColdStartBench.TARGET_RATIO ? "yes" : "NO");
        }
        for (ColdStartBench.Entry e : entries) {
            e.restored.stream().filter(r -> !r.ok()).findFirst()
                    .ifPresent(r -> out.println("- " + e.spec.name() + " restore: " + r.error()));
        }
        return failed;
    }

    static double medianRestore(List<RestoreSample> samples, ToDoubleFunction<RestoreSample> f) {
        return median(samples.stream().filter(RestoreSample::ok).mapToDouble(f).toArray());
    }

    static double minRestore(List<RestoreSample> samples, ToDoubleFunction<RestoreSample> f) {
        return samples.stream().filter(RestoreSample::ok).mapToDouble(f).min().orElse(Double.NaN);
    }

    private static void printProfiles(List<ColdStartBench.Entry> entries, PrintStream out) {
        if (entries.stream().noneMatch(e -> e.profile != null)) {
            return;
        }
        out.println();
        out.println("Classes loaded up to the first response (-Xlog:class+load): from the CDS archive / the JDK image "
                + "or generated / jars; the function's biggest packages:");
        out.println("| function | classes | CDS | JDK | jars | entry class loaded at ms | last class at ms "
                + "| top packages from jars |");
        out.println("|---|---:|---:|---:|---:|---:|---:|---|");
        for (ColdStartBench.Entry e : entries) {
            if (e.profile == null) {
                continue;
            }
            StringBuilder top = new StringBuilder();
            for (Map.Entry<String, Integer> p : e.profile.packages()) {
                top.append(top.length() == 0 ? "" : ", ").append(p.getKey()).append(' ').append(p.getValue());
            }
            out.printf(Locale.ROOT, "| %s | %d | %d | %d | %d | %s | %s | %s |%n", e.spec.name(), e.profile.total(),
                    e.profile.cds(), e.profile.jdk(), e.profile.app(), fmt(e.profile.entryMs(), 0),
                    fmt(e.profile.lastMs(), 0), top);
        }
    }

    private static void printProblems(List<ColdStartBench.Entry> entries, PrintStream out) {
        boolean header = false;
        for (ColdStartBench.Entry e : entries) {
            String first = null;
            if (!e.ready()) {
                first = "not built: " + e.notBuilt;
            } else {
                for (List<Sample> list : List.of(e.onDemand, e.snapStart)) {
                    for (Sample s : list) {
                        if (!s.ok() && first == null) {
                            first = s.error();
                        }
                    }
                }
            }
            if (first != null) {
                if (!header) {
                    out.println();
                    out.println("Notes:");
                    header = true;
                }
                out.println("- " + e.spec.name() + ": " + first);
            }
        }
    }

    static double median(List<Sample> samples, ToDoubleFunction<Sample> f) {
        return median(samples.stream().filter(Sample::ok).mapToDouble(f).toArray());
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    static double min(List<Sample> samples, ToDoubleFunction<Sample> f) {
        return Arrays.stream(samples.stream().filter(Sample::ok).mapToDouble(f).toArray()).min().orElse(Double.NaN);
    }

    static String mb(double v) {
        return fmt(v, v < 0.1 ? 3 : 1);
    }

    static String fmt(double v, int decimals) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
