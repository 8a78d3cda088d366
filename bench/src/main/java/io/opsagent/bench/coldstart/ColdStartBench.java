package io.opsagent.bench.coldstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opsagent.adapters.dynamodb.DynamoSessionStore;
import io.opsagent.adapters.dynamodb.LocalDynamo;
import io.opsagent.adapters.dynamodb.TableNames;
import io.opsagent.app.config.AwsSettings;
import io.opsagent.app.config.Settings;
import io.opsagent.adapters.dynamodb.TableSetup;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Cold starts of the Lambda functions without AWS: every measurement is a fresh JVM started the way the managed
 * Java runtime starts it (the real runtime interface client against a local fake of the Runtime API), or, for the
 * chat function, the way the Lambda Web Adapter starts it (the HTTP server, ready when its readiness path answers
 * 200, then the Function URL event as an HTTP request). Reports per function: jar size, init and first invocation
 * (median and min over N runs, interleaved with the hello-world baseline so machine noise hits all alike), the init
 * ratio against hello-world with the ≤ 2× target, the SnapStart priming effect, with {@code --restore} the time to
 * restore each SnapStart function from a CRIU snapshot ({@link Criu}), and what init loaded.
 *
 * <p>Usage: {@link #USAGE}.
 * Exits 1 when a built function failed to start or answer, 2 on bad arguments; missing the target is not an error.
 */
public final class ColdStartBench {
    static final String USAGE = "bench/coldstart/run [--runs N] [--only a,b] [--memory MB] [--functions FILE] "
            + "[--no-profile] [--no-runtime-cds] [--jvm-arg FLAG]... [--restore [--criu PATH]] [--no-build]";
    /** How far init may exceed hello-world's. */
    static final double TARGET_RATIO = 2.0;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One function's state in this run. */
    static final class Entry {
        final FunctionSpec spec;
        String notBuilt;
        Runnable beforeRun = () -> { };
        List<Path> jars = List.of();
        double jarMb;
        ExecutionEnvironment env;
        byte[] event;
        boolean primes;
        boolean failedEarly;
        final List<Sample> onDemand = new ArrayList<>();
        final List<Sample> snapStart = new ArrayList<>();
        final List<RestoreSample> restored = new ArrayList<>();
        ClassLoadProfile profile;

        Entry(FunctionSpec spec) {
            this.spec = spec;
        }

        boolean ready() {
            return notBuilt == null;
        }
    }

    public static void main(String[] args) throws Exception {
        BenchOptions o;
        try {
            o = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench/coldstart: " + e.getMessage() + "\nusage: " + USAGE);
            System.exit(2);
            return;
        }
        Path root = o.root().toAbsolutePath().normalize();
        Path functions = o.functions() == null ? root.resolve("bench/coldstart/functions.json") : root.resolve(o.functions());
        List<FunctionSpec> specs;
        try {
            specs = FunctionSpec.load(functions);
            if (o.only() != null) {
                specs = only(specs, o.only());
            }
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("bench/coldstart: " + functions + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        Criu criu = null;
        if (o.restore()) {
            try {
                criu = Criu.locate(root, o.criu() == null ? null : root.resolve(o.criu()));
            } catch (IOException e) {
                System.err.println("bench/coldstart: --restore: " + e.getMessage());
                System.exit(2);
                return;
            }
        }
        System.exit(new ColdStartBench(root, o.runs(), o.memory(), o.profile(), o.runtimeCds(), o.jvmArgs(), criu)
                .run(specs));
    }

    /** The baseline and the functions named in {@code names}; a name that is not in the file is an error. */
    static List<FunctionSpec> only(List<FunctionSpec> specs, List<String> names) {
        List<String> known = specs.stream().map(FunctionSpec::name).toList();
        List<String> unknown = names.stream().filter(n -> !known.contains(n)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("--only names " + unknown + ", not in the file (functions: " + known + ")");
        }
        return specs.stream().filter(s -> s.baseline() || names.contains(s.name())).toList();
    }

    private final Path root;
    private final Path work;
    private final int runs;
    private final int memory;
    private final boolean profile;
    private final boolean runtimeCds;
    private final List<String> jvmArgs;
    private final Criu criu;
    private final ColdStart coldStart = new ColdStart();
    /** JVM flags every handler run gets: the runtime's class archive when there is one. */
    private List<String> handlerJvm = List.of();

    /**
     * @param jvmArgs extra JVM flags for every measured function (not the hello-world baseline), e.g. a JDK 25
     *                {@code -XX:AOTCacheOutput=}/{@code -XX:AOTCache=} pair to see what an AOT cache would change
     * @param criu    with {@code --restore}: also measure every SnapStart function (and the baseline) restored from a
     *                CRIU snapshot taken at the snapshot point; else null
     */
    ColdStartBench(Path root, int runs, int memory, boolean profile, boolean runtimeCds, List<String> jvmArgs, Criu criu) {
        this.jvmArgs = List.copyOf(jvmArgs);
        this.criu = criu;
        this.root = root;
        this.work = root.resolve("bench/target/coldstart");
        this.runs = runs;
        this.memory = memory;
        this.profile = profile;
        this.runtimeCds = runtimeCds;
    }

    int run(List<FunctionSpec> specs) throws Exception {
        List<Entry> entries = specs.stream().map(Entry::new).toList();
        for (Entry e : entries) {
            check(e);
        }
        Entry baseline = entries.stream().filter(e -> e.spec.baseline()).findFirst().orElseThrow();
        if (!baseline.ready()) {
            System.err.println("bench/coldstart: the baseline " + baseline.spec.name() + " is not built: "
                    + baseline.notBuilt + " (run bench/coldstart/run, which builds it)");
            return 1;
        }
        Path runtimeDir = work.resolve("runtime");
        Path jni = Jars.extractJni(runtimeDir, work.resolve("jni"));
        Path logs = work.resolve("logs");
        Files.createDirectories(logs);
        boolean needDynamo = entries.stream().anyMatch(e -> e.ready() && e.spec.needs("dynamodb"));
        boolean needJwt = entries.stream().anyMatch(e -> e.ready() && e.spec.needs("jwt"));
        boolean needEks = entries.stream().anyMatch(e -> e.ready() && e.spec.needs("eks"));
        System.out.printf(Locale.ROOT, "Cold starts: %d run(s) per function, fresh JVM each (%s %s), %d MB function "
                        + "memory, managed-runtime flags (SerialGC, C1 only, CDS); %d cores here, load average %.1f.%n",
                runs, System.getProperty("java.vm.name"), System.getProperty("java.version"), memory,
                Runtime.getRuntime().availableProcessors(), loadAverage());
        try (LocalDynamo dynamo = needDynamo ? LocalDynamo.startInMemory() : null;
             JwtIssuer jwt = needJwt ? new JwtIssuer() : null;
             FakeEks eks = needEks ? new FakeEks(root.resolve(FakeEks.DUMP)) : null) {
            Map<String, String> placeholders = new HashMap<>();
            placeholders.put("root", root.toString());
            placeholders.put("jwt.audience", JwtIssuer.AUDIENCE);
            if (dynamo != null) {
                placeholders.put("dynamodb", dynamo.endpoint().toString());
            }
            if (eks != null) {
                placeholders.put("eks", eks.endpoint());
                placeholders.put("eks.cluster", FakeEks.CLUSTER);
            }
            if (jwt != null) {
                placeholders.put("jwt.issuer", jwt.issuer());
                placeholders.put("jwt.jwks", jwt.jwksUrl());
            }
            for (Entry e : entries) {
                if (!e.ready()) {
                    continue;
                }
                e.env = ExecutionEnvironment.prepare(e.spec, e.jars, work, runtimeDir, jni, memory, placeholders);
                if (dynamo != null && e.spec.needs("dynamodb")) {
                    TableNames tables = tables(e.env.functionEnv());
                    TableSetup.ensureTables(dynamo.client(), tables);
                    if (!e.spec.sessions().isEmpty()) {
                        DynamoSessionStore store = new DynamoSessionStore(dynamo.client(), tables);
                        e.beforeRun = () -> seed(store, e.spec.sessions());
                    }
                }
            }
            if (runtimeCds) {
                handlerJvm = runtimeArchive(baseline, logs);
            }
            System.out.println(handlerJvm.isEmpty()
                    ? "Handler runs: the JDK's default CDS archive only (-Xshare:auto)."
                    : "Handler runs: the JDK's CDS archive plus a runtime archive (" + handlerJvm.get(0)
                    + "), like the managed runtime's -XX:SharedArchiveFile=/var/lang/lib/server/runtime.jsa; "
                    + "web-adapter runs: default CDS (their own classpath).");
            // warm-up round (not counted): the jars into the page cache, DynamoDB Local's first requests
            for (Entry e : entries) {
                if (e.ready()) {
                    Sample warm = measure(e, jwt, logs, "warmup", false, List.of());
                    if (!warm.ok()) { // fail fast: do not wait for the same timeout N more times
                        e.onDemand.add(warm);
                        e.failedEarly = true;
                    }
                }
            }
            for (int r = 1; r <= runs; r++) {
                for (Entry e : entries) {
                    if (!e.ready() || e.failedEarly) {
                        continue;
                    }
                    e.onDemand.add(measure(e, jwt, logs, "run" + r, false, List.of()));
                    if (e.primes) {
                        e.snapStart.add(measure(e, jwt, logs, "snapstart" + r, true, List.of()));
                    }
                    if (restores(e)) {
                        e.restored.add(measureRestored(e, jwt, logs, "restore" + r));
                    }
                }
                System.out.printf(Locale.ROOT, "  round %d/%d done%n", r, runs);
            }
            if (profile) {
                for (Entry e : entries) {
                    if (e.ready() && !e.failedEarly) {
                        Path file = logs.resolve(e.spec.name() + "-classload.log");
                        Files.deleteIfExists(file);
                        Sample s = measure(e, jwt, logs, "classload", false, List.of(ClassLoadProfile.flag(file)));
                        if (s.ok() && Files.exists(file)) {
                            e.profile = ClassLoadProfile.parse(file, e.spec.entryClass());
                        }
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "Load average at the end: %.1f on %d cores%s%n", loadAverage(),
                Runtime.getRuntime().availableProcessors(), loadAverage() > Runtime.getRuntime().availableProcessors()
                        ? " (busy machine: wall times are inflated; the CPU-time ratio is the steadier one)" : "");
        return Report.print(entries, baseline, criu, System.out);
    }

    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /**
     * The managed runtime maps a class archive of its own classes (the runtime interface client and its serializer)
     * on top of the JDK's. This builds the equivalent once: a dynamic CDS archive written at exit of a hello-world
     * cold start (the runtime's classpath only; function classes come from the task root's class loader). Empty
     * when the JVM cannot write it (then every run uses the JDK's archive alone, which the report says).
     */
    private List<String> runtimeArchive(Entry baseline, Path logs) throws IOException, InterruptedException {
        Path jsa = work.resolve("cds").resolve("runtime.jsa");
        Files.createDirectories(jsa.getParent());
        Files.deleteIfExists(jsa);
        Sample s = coldStart.handler(baseline.env, baseline.event, false, logs.resolve("runtime-cds-training.log"),
                List.of("-XX:ArchiveClassesAtExit=" + jsa));
        if (!s.ok() || !Files.isRegularFile(jsa)) {
            System.out.println("  (no runtime class archive: " + (s.ok() ? "the JVM wrote none" : s.error()) + ")");
            return List.of();
        }
        return List.of("-XX:SharedArchiveFile=" + jsa);
    }

    /** The Lambda Web Adapter's SnapStart hook settings (the paths it POSTs to before the snapshot / after restore). */
    static final String LWA_BEFORE_CHECKPOINT = "AWS_LWA_SNAPSTART_BEFORE_CHECKPOINT_PATH";
    static final String LWA_AFTER_RESTORE = "AWS_LWA_SNAPSTART_AFTER_RESTORE_PATH";

    private Sample measure(Entry e, JwtIssuer jwt, Path logs, String label, boolean snapStart, List<String> extraJvm)
            throws IOException, InterruptedException {
        Path log = logs.resolve(e.spec.name() + "-" + label + ".log");
        e.beforeRun.run();
        List<String> flags = jvmFlags(e, extraJvm);
        if (e.spec.kind() == FunctionSpec.Kind.HANDLER) {
            return coldStart.handler(e.env, e.event, snapStart, log, flags);
        }
        String bearer = bearer(e, jwt);
        return snapStart
                ? coldStart.web(e.env, JSON.readTree(e.event), bearer, log, flags,
                        e.spec.env().get(LWA_BEFORE_CHECKPOINT), e.spec.env().get(LWA_AFTER_RESTORE))
                : coldStart.web(e.env, JSON.readTree(e.event), bearer, log, flags);
    }

    /**
     * The JVM flags of one run of {@code e}: for handlers the runtime's class archive first, then {@code extra},
     * then the command line's {@code --jvm-arg}s (not for the baseline).
     */
    private List<String> jvmFlags(Entry e, List<String> extra) {
        List<String> flags = new ArrayList<>(e.spec.kind() == FunctionSpec.Kind.HANDLER ? handlerJvm : List.of());
        flags.addAll(extra);
        if (!e.spec.baseline()) flags.addAll(jvmArgs);
        return flags;
    }

    /** Whether this run restores {@code e} from a snapshot: with --restore, the baseline and every SnapStart function. */
    private boolean restores(Entry e) {
        return criu != null && (e.spec.baseline() || e.spec.snapStart());
    }

    private RestoreSample measureRestored(Entry e, JwtIssuer jwt, Path logs, String label)
            throws IOException, InterruptedException {
        Path log = logs.resolve(e.spec.name() + "-" + label + ".log");
        Path images = work.resolve("criu-images").resolve(e.spec.name());
        e.beforeRun.run();
        List<String> flags = jvmFlags(e, List.of());
        if (e.spec.kind() == FunctionSpec.Kind.HANDLER) {
            return coldStart.handlerRestored(e.env, e.event, log, flags, criu, images);
        }
        return coldStart.webRestored(e.env, JSON.readTree(e.event), bearer(e, jwt), log, flags,
                e.spec.env().get(LWA_BEFORE_CHECKPOINT), e.spec.env().get(LWA_AFTER_RESTORE), criu, images);
    }

    /** A signed token with the function's claims when it needs one, else null. */
    private static String bearer(Entry e, JwtIssuer jwt) {
        if (jwt == null || !e.spec.needs("jwt")) {
            return null;
        }
        Map<String, String> claims = new LinkedHashMap<>();
        e.spec.jwtClaims().forEach((k, v) -> claims.put(k, e.env.fill(v)));
        return jwt.token(claims);
    }

    /** Creates the sessions afresh (no messages from earlier runs). */
    private static void seed(DynamoSessionStore store, List<FunctionSpec.SeedSession> sessions) {
        Instant now = Instant.now();
        for (FunctionSpec.SeedSession s : sessions) {
            store.delete(s.user(), s.id());
            store.create(new io.opsagent.core.runs.Session(s.id(), s.user(), s.workload(), "cold start bench", now, now,
                    now.plus(Duration.ofDays(1))));
        }
    }

    /** The tables the function's environment names (explicit names, else the prefix, else the default). */
    static TableNames tables(Map<String, String> env) {
        return AwsSettings.tables(Settings.fromEnvironment(env));
    }

    /** Finds the jars and event; a missing jar, class or event marks the function "not built". */
    private void check(Entry e) {
        try {
            e.jars = Jars.resolve(root, e.spec.jars());
            e.jarMb = Jars.sizeMb(e.jars);
            if (!Jars.contains(e.jars, e.spec.entryClass())) {
                e.notBuilt = e.spec.entryClass() + " is not in " + e.spec.jars();
                return;
            }
            e.event = Files.readAllBytes(eventFile(root.resolve(e.spec.event())));
            e.primes = e.spec.snapStart() && (e.spec.kind() == FunctionSpec.Kind.HANDLER
                    ? Jars.registersCracResource(e.jars, e.spec.entryClass())
                    : e.spec.env().containsKey(LWA_BEFORE_CHECKPOINT));
        } catch (IOException ex) {
            e.notBuilt = ex.getMessage();
        }
    }

    private Path eventFile(Path p) throws IOException {
        if (Files.isRegularFile(p)) {
            return p;
        }
        if (Files.isDirectory(p)) {
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(p, "*.json")) {
                ds.forEach(files::add);
            }
            if (!files.isEmpty()) {
                files.sort(null);
                return files.get(0);
            }
        }
        throw new IOException("sample event " + root.relativize(p) + " is missing");
    }
}
