package io.opsagent.bench.coldstart;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What Lambda gives a function: a task root holding the function's jars in {@code lib/} (the zip layout), a fresh
 * JVM with the managed Java runtime's flags, and the reserved environment variables plus the function's own.
 * The command line follows the java17/21 managed runtime's (UseSerialGC, C1 only, CDS, the CRaC compat property,
 * the runtime interface client's JNI library given by path), minus its log4j hot-patch agent.
 */
public final class ExecutionEnvironment {
    /** The runtime interface client's entry point. */
    public static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    private static final String JNI_PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";

    private final FunctionSpec spec;
    private final Path taskRoot;
    private final List<Path> jars;
    private final Path runtimeDir;
    private final Path jni;
    private final int memoryMb;
    private final Map<String, String> placeholders;

    private ExecutionEnvironment(FunctionSpec spec, Path taskRoot, List<Path> jars, Path runtimeDir, Path jni,
                                 int memoryMb, Map<String, String> placeholders) {
        this.spec = spec;
        this.taskRoot = taskRoot;
        this.jars = jars;
        this.runtimeDir = runtimeDir;
        this.jni = jni;
        this.memoryMb = memoryMb;
        this.placeholders = placeholders;
    }

    /**
     * Lays out {@code work/task/<name>/lib} with links to the function's jars.
     *
     * @param jars         the function's jars (resolved, existing)
     * @param runtimeDir   the managed runtime's own jars (RIC, core, serialization)
     * @param jni          the RIC's JNI library for this platform, extracted once
     * @param placeholders values for {@code ${...}} in the function's environment
     */
    public static ExecutionEnvironment prepare(FunctionSpec spec, List<Path> jars, Path work, Path runtimeDir, Path jni,
                                               int memoryMb, Map<String, String> placeholders) throws IOException {
        Path taskRoot = work.resolve("task").resolve(spec.name());
        Path lib = taskRoot.resolve("lib");
        emptyDir(taskRoot);
        Files.createDirectories(lib);
        List<Path> linked = new ArrayList<>();
        for (Path jar : jars) {
            Path link = lib.resolve(jar.getFileName());
            Files.createSymbolicLink(link, jar.toAbsolutePath());
            linked.add(link);
        }
        return new ExecutionEnvironment(spec, taskRoot, linked, runtimeDir, jni, memoryMb, Map.copyOf(placeholders));
    }

    /** Deletes what {@code dir} holds (links are removed, not followed) and leaves it there, empty. */
    static void emptyDir(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted((a, b) -> b.compareTo(a)).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
    }

    /** A JDK 24+ AOT cache flag ({@code -XX:AOTCache=}, {@code -XX:AOTCacheOutput=}, {@code -XX:AOTMode=}...). */
    static boolean isAotFlag(String flag) {
        return flag.startsWith("-XX:AOT");
    }

    /** The function. */
    public FunctionSpec spec() {
        return spec;
    }

    /** The task root ({@code LAMBDA_TASK_ROOT}). */
    public Path taskRoot() {
        return taskRoot;
    }

    /** The JVM flags of the managed runtime for this memory size, plus {@code extra}. */
    List<String> jvm(List<String> extra) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // not a runtime flag: the machine. Lambda's microVM has about the function's memory, and the JVM sizes its
        // initial heap and young generation from that (1/64: 16 MB at 1024 MB); without this it would size them from
        // this machine's memory (384 MB on 24 GiB), which hides the GCs a Lambda init does and bloats a snapshot
        cmd.add("-XX:MaxRAM=" + memoryMb + "m");
        cmd.add("-XX:MaxHeapSize=" + (memoryMb * 1024L * 85 / 100) + "k");
        cmd.add("-XX:+UseSerialGC");
        if (extra.stream().noneMatch(ExecutionEnvironment::isAotFlag)) {
            cmd.add("-Xshare:auto"); // the JVM refuses -Xshare with an AOT cache flag (JDK 24+)
        }
        cmd.add("-XX:+TieredCompilation");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("--add-opens=java.base/java.io=ALL-UNNAMED");
        cmd.add("-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac");
        cmd.add("-XX:+ErrorFileToStderr");
        cmd.addAll(extra);
        return cmd;
    }

    /** The runtime interface client calling the handler, talking to the Runtime API at {@code runtimeApi}. */
    public ProcessBuilder handlerProcess(String runtimeApi, boolean snapStart, List<String> extraJvm) throws IOException {
        List<String> cmd = jvm(extraJvm);
        cmd.add("-D" + JNI_PROPERTY + "=" + jni);
        cmd.add("-classpath");
        cmd.add(String.join(":", runtimeJars()));
        cmd.add(RIC_MAIN);
        cmd.add(spec.handler());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(taskRoot.toFile());
        Map<String, String> env = baseEnv(pb);
        env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        env.put("_HANDLER", spec.handler());
        env.put("LAMBDA_RUNTIME_DIR", runtimeDir.toString());
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", snapStart ? "snap-start" : "on-demand");
        env.putAll(functionEnv());
        return pb;
    }

    /** The HTTP server the Lambda Web Adapter would start, listening on {@code port}. */
    public ProcessBuilder webProcess(int port, List<String> extraJvm) {
        List<String> cmd = jvm(extraJvm);
        cmd.add("-classpath");
        cmd.add(String.join(":", jars.stream().map(Path::toString).toList()));
        cmd.add(spec.mainClass());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(taskRoot.toFile());
        Map<String, String> env = baseEnv(pb);
        env.put("AWS_LAMBDA_EXEC_WRAPPER", "/opt/bootstrap");
        env.put("AWS_LWA_INVOKE_MODE", "response_stream");
        env.put("AWS_LWA_READINESS_CHECK_PATH", spec.readinessPath());
        env.put("AWS_LWA_PORT", Integer.toString(port));
        env.put("PORT", Integer.toString(port));
        env.put("_HANDLER", "run.sh");
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.putAll(functionEnv());
        return pb;
    }

    private List<String> runtimeJars() throws IOException {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(runtimeDir, "*.jar")) {
            ds.forEach(p -> out.add(p.toString()));
        }
        out.sort(null);
        return out;
    }

    /** A clean environment as Lambda sets it (nothing inherited but PATH), with dummy credentials. */
    private Map<String, String> baseEnv(ProcessBuilder pb) {
        Map<String, String> env = pb.environment();
        String path = env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.clear();
        env.put("PATH", path);
        env.put("LANG", "en_US.UTF-8");
        env.put("TZ", ":UTC");
        env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java17");
        env.put("AWS_LAMBDA_FUNCTION_NAME", "opsagent-" + spec.name());
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(memoryMb));
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/opsagent-" + spec.name());
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "2026/11/21/[$LATEST]coldstartbench");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_SESSION_TOKEN", "local");
        return env;
    }

    /** The function's own environment with the placeholders filled in. */
    public Map<String, String> functionEnv() {
        Map<String, String> out = new LinkedHashMap<>();
        spec.env().forEach((k, v) -> out.put(k, fill(v)));
        return out;
    }

    /** Replaces {@code ${name}} with its value; an unknown placeholder is an error naming it. */
    public String fill(String value) {
        return fill(value, placeholders, spec.name());
    }

    static String fill(String value, Map<String, String> values, String function) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < value.length()) {
            int start = value.indexOf("${", i);
            if (start < 0) {
                out.append(value, i, value.length());
                break;
            }
            int end = value.indexOf('}', start);
            if (end < 0) {
                throw new IllegalArgumentException("function " + function + ": unclosed ${ in '" + value + "'");
            }
            String key = value.substring(start + 2, end);
            String v = values.get(key);
            if (v == null) {
                throw new IllegalArgumentException("function " + function + ": unknown placeholder ${" + key
                        + "} (known: " + new TreeMap<>(values).keySet() + ")");
            }
            out.append(value, i, start).append(v);
            i = end + 1;
        }
        return out.toString();
    }
}
