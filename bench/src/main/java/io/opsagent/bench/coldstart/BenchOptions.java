package io.opsagent.bench.coldstart;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The command line of {@code bench/coldstart/run} ({@link ColdStartBench#USAGE}).
 *
 * @param root       the repository root
 * @param functions  the functions file (null: {@code bench/coldstart/functions.json})
 * @param runs       fresh JVMs per function
 * @param memory     the function memory in MB
 * @param profile    whether to add a class-load profile run
 * @param runtimeCds whether handler runs map the runtime's class archive
 * @param only       the functions to measure besides the baseline (null: all)
 * @param jvmArgs    extra JVM flags for the measured functions
 * @param restore    whether to measure SnapStart restores from CRIU snapshots
 * @param criu       the CRIU binary to use (null: found by {@link Criu#locate})
 */
record BenchOptions(Path root, Path functions, int runs, int memory, boolean profile, boolean runtimeCds,
                    List<String> only, List<String> jvmArgs, boolean restore, Path criu) {

    /** Parses the arguments; IllegalArgumentException naming what was wrong. */
    static BenchOptions parse(String... args) {
        Path root = Path.of(".");
        Path functions = null;
        int runs = 5;
        int memory = 1024;
        boolean profile = true;
        boolean runtimeCds = true;
        List<String> only = null;
        List<String> jvmArgs = new ArrayList<>();
        boolean restore = false;
        Path criu = null;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            switch (option) {
                case "--no-profile" -> profile = false;
                case "--no-runtime-cds" -> runtimeCds = false;
                case "--restore" -> restore = true;
                case "--root", "--functions", "--runs", "--memory", "--only", "--jvm-arg", "--criu" -> {
                    if (i + 1 >= args.length || args[i + 1].isBlank()) {
                        throw new IllegalArgumentException(option + " needs a value");
                    }
                    String value = args[++i];
                    switch (option) {
                        case "--root" -> root = Path.of(value);
                        case "--functions" -> functions = Path.of(value);
                        case "--runs" -> runs = number(option, value);
                        case "--memory" -> memory = number(option, value);
                        case "--only" -> only = Arrays.asList(value.split(","));
                        case "--jvm-arg" -> jvmArgs.add(value);
                        default -> criu = Path.of(value);
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (runtimeCds && jvmArgs.stream().anyMatch(ExecutionEnvironment::isAotFlag)) {
            throw new IllegalArgumentException("an -XX:AOT... flag needs --no-runtime-cds (a JVM maps one class"
                    + " archive: the AOT cache or the runtime's, not both)");
        }
        if (criu != null && !restore) {
            throw new IllegalArgumentException("--criu only goes with --restore");
        }
        if (runs < 1 || memory < 128) {
            throw new IllegalArgumentException("--runs must be ≥ 1 and --memory ≥ 128");
        }
        return new BenchOptions(root, functions, runs, memory, profile, runtimeCds, only, List.copyOf(jvmArgs), restore,
                criu);
    }

    private static int number(String option, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + value + "' is not a whole number");
        }
    }
}
