package io.opsagent.bench.coldstart;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The classes a cold start loaded, from {@code -Xlog:class+load}: how many came from the CDS archive, from the JDK
 * image, and from the function's jars (by package, the biggest first) — class loading is most of a Java init.
 *
 * @param total    every class loaded
 * @param cds      from the shared archive (cheap: mapped)
 * @param jdk      from the JDK image (jrt:/), parsed and verified
 * @param app      from jars (the runtime's and the function's), parsed and verified
 * @param packages the function's classes by top packages (3 levels), biggest first, at most 6
 * @param entryMs  JVM uptime when the handler or main class was loaded (the runtime's own start-up before it), -1
 *                 if it was not seen
 * @param lastMs   JVM uptime of the last class loaded (about the end of the first invocation)
 */
record ClassLoadProfile(int total, int cds, int jdk, int app, List<Map.Entry<String, Integer>> packages,
                        double entryMs, double lastMs) {

    /** The JVM flag writing the log to {@code file}. */
    static String flag(Path file) {
        return "-Xlog:class+load=info:file=" + file + "::filecount=0";
    }

    /** Parses a {@code -Xlog:class+load} file. */
    static ClassLoadProfile parse(Path file, String entryClass) throws IOException {
        double entryMs = -1;
        double lastMs = -1;
        int total = 0;
        int cds = 0;
        int jdk = 0;
        int app = 0;
        Map<String, Integer> byPackage = new HashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int tags = line.lastIndexOf("] ");
            int src = line.indexOf(" source: ");
            if (tags < 0 || src < tags) {
                continue;
            }
            total++;
            String cls = line.substring(tags + 2, src);
            double uptime = uptimeMs(line);
            lastMs = Math.max(lastMs, uptime);
            if (entryMs < 0 && cls.equals(entryClass)) {
                entryMs = uptime;
            }
            String source = line.substring(src + 9);
            if (source.startsWith("shared objects file")) {
                cds++;
            } else if (!source.startsWith("file:") && !source.startsWith("jar:")) {
                jdk++; // jrt:/ (the JDK image), or generated at run time (lambdas, proxies, method handles)
            } else {
                app++;
                if (!cls.startsWith("com.amazonaws.services.lambda.runtime.")) {
                    byPackage.merge(top(cls), 1, Integer::sum);
                }
            }
        }
        List<Map.Entry<String, Integer>> top = byPackage.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
                .limit(6).map(e -> Map.entry(e.getKey(), e.getValue())).collect(Collectors.toList());
        return new ClassLoadProfile(total, cds, jdk, app, top, entryMs, lastMs);
    }

    /** The {@code [0.123s]} uptime decoration, in ms; -1 if absent. */
    private static double uptimeMs(String line) {
        int end = line.indexOf("s]");
        if (!line.startsWith("[") || end < 0) {
            return -1;
        }
        try {
            return Double.parseDouble(line.substring(1, end)) * 1000;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String top(String cls) {
        String[] p = cls.split("\\.");
        int n = Math.min(3, p.length - 1);
        return n <= 0 ? "(default)" : String.join(".", java.util.Arrays.copyOf(p, n));
    }
}
