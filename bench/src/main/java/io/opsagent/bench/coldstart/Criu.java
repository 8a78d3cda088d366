package io.opsagent.bench.coldstart;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * CRIU (checkpoint/restore in user space), the mechanism under OpenJDK CRaC, as a local stand-in for a SnapStart
 * snapshot: the function's JVM is dumped at Lambda's snapshot point (after the {@code beforeCheckpoint} hooks) and
 * later restored from the image, as a SnapStart version's execution environment is resumed from its snapshot. It is
 * a process snapshot, not Firecracker's microVM snapshot, and the image is read from this machine's page cache, not
 * fetched from Lambda's snapshot cache, so a restore here is a lower bound for Lambda's.
 *
 * <p>Needs CRIU 4 or later (Debian bookworm's 3.17 fails {@code criu check} on this machine's kernel 6.18:
 * "Unexpected rt vDSO area bounds") and root. {@code bench/coldstart/criu-build} builds 4.1.1, patched to dump TCP
 * sockets on that kernel, into {@code bench/target/criu/criu}. Established TCP connections (the
 * Runtime API's held {@code restore/next}, pooled HTTP connections) are dumped and restored as they are
 * ({@code --tcp-established}); nothing sends on them while the process is down, so no network lock is needed.
 */
final class Criu {
    /** Where {@code bench/coldstart/criu-build} puts the binary, relative to the repository root. */
    static final String BUILT = "bench/target/criu/criu";
    private static final Pattern VERSION = Pattern.compile("Version:\\s*(\\d+)\\.(\\d+)");
    private static final long TIMEOUT_S = 60;

    private final Path binary;
    private final String version;

    private Criu(Path binary, String version) {
        this.binary = binary;
        this.version = version;
    }

    /** What a dump wrote. */
    record Image(Path dir, double dumpMs, double mb) {
    }

    /**
     * The CRIU to use: {@code explicit} if given, else {@link #BUILT} under {@code root}, else {@code criu} on the
     * PATH; checked with {@code criu check}. Fails with what to do when there is none, it is too old, or it cannot
     * run here (not root, kernel without the features).
     */
    static Criu locate(Path root, Path explicit) throws IOException, InterruptedException {
        Path binary = explicit != null ? explicit
                : Files.isExecutable(root.resolve(BUILT)) ? root.resolve(BUILT) : onPath("criu");
        if (binary == null || !Files.isExecutable(binary)) {
            throw new IOException((explicit != null ? explicit + " is not an executable" : "no criu found (looked at "
                    + BUILT + " and the PATH)") + "; bench/coldstart/criu-build builds CRIU 4.1.1 into " + BUILT);
        }
        Result v = run(List.of(binary.toString(), "--version"));
        String version = parseVersion(v.output());
        if (version == null) {
            throw new IOException(binary + " --version printed no version: " + ColdStart.abbreviate(v.output()));
        }
        if (Integer.parseInt(version.substring(0, version.indexOf('.'))) < 4) {
            throw new IOException(binary + " is CRIU " + version + "; CRIU 4 or later is needed (3.17 fails on recent "
                    + "kernels); bench/coldstart/criu-build builds 4.1.1 into " + BUILT);
        }
        Result check = run(List.of(binary.toString(), "check"));
        if (check.exit() != 0) {
            throw new IOException(binary + " check failed (CRIU needs root and a kernel with checkpoint/restore): "
                    + ColdStart.abbreviate(check.output()));
        }
        return new Criu(binary, version);
    }

    /** "4.1" from {@code criu --version} output, or null. */
    static String parseVersion(String output) {
        Matcher m = VERSION.matcher(output);
        return m.find() ? m.group(1) + "." + m.group(2) : null;
    }

    /** The version, e.g. "4.1". */
    String version() {
        return version;
    }

    /**
     * Prepares a function's process for a dump: its own session ({@code setsid}, so the dumped tree holds its session
     * leader) and no pipes to this JVM (stdin from /dev/null; the caller sends output to a file), which CRIU could not
     * restore without the other end.
     */
    static ProcessBuilder detached(ProcessBuilder pb) {
        List<String> cmd = new ArrayList<>(pb.command());
        cmd.add(0, "setsid");
        return pb.command(cmd).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    }

    /** The {@code criu dump} command line for {@code pid} into {@code dir} (the process is killed after the dump). */
    List<String> dumpCommand(long pid, Path dir) {
        return List.of(binary.toString(), "dump", "--tree", Long.toString(pid), "--images-dir", dir.toString(),
                "--tcp-established", "--network-lock", "skip", "--log-file", "dump.log", "-v4");
    }

    /** The {@code criu restore} command line: detached, the restored pid written to {@code restored.pid}. */
    List<String> restoreCommand(Path dir) {
        return List.of(binary.toString(), "restore", "--images-dir", dir.toString(), "--restore-detached",
                "--tcp-established", "--network-lock", "skip", "--pidfile", dir.resolve("restored.pid").toString(),
                "--log-file", "restore.log", "-v2");
    }

    /** Dumps (and so ends) the process tree of {@code pid} into an empty {@code dir}. */
    Image dump(long pid, Path dir) throws IOException, InterruptedException {
        ExecutionEnvironment.emptyDir(dir);
        long t0 = System.nanoTime();
        Result r = run(dumpCommand(pid, dir));
        double ms = Sample.ms(t0, System.nanoTime());
        if (r.exit() != 0) {
            throw new IOException("criu dump of pid " + pid + " failed (exit " + r.exit() + ")" + logTail(dir, "dump.log"));
        }
        return new Image(dir, ms, sizeMb(dir));
    }

    /** Restores the image in {@code dir}; returns the restored process's pid once it runs again. */
    long restore(Path dir) throws IOException, InterruptedException {
        Path pidFile = dir.resolve("restored.pid");
        Files.deleteIfExists(pidFile);
        Result r = run(restoreCommand(dir));
        if (r.exit() != 0) {
            throw new IOException("criu restore from " + dir + " failed (exit " + r.exit() + ")" + logTail(dir, "restore.log"));
        }
        return Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).trim());
    }

    /** Kills a restored process (not a child of this JVM, so no {@link Process} to stop). */
    static void kill(long pid) throws InterruptedException {
        var handle = ProcessHandle.of(pid);
        if (handle.isPresent()) {
            handle.get().destroyForcibly();
            handle.get().onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(t -> null).join();
        }
    }

    /** Whether a restored process is still running. */
    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static double sizeMb(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            long bytes = 0;
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                bytes += Files.size(p);
            }
            return bytes / 1_048_576.0;
        }
    }

    private static String logTail(Path dir, String name) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve(name), StandardCharsets.UTF_8).stream()
                    .filter(l -> l.contains("Error") || l.contains("Warn")).toList();
            return lines.isEmpty() ? "; see " + dir.resolve(name)
                    : ": " + String.join(" | ", lines.subList(Math.max(0, lines.size() - 4), lines.size()))
                    + "; see " + dir.resolve(name);
        } catch (IOException e) {
            return "; no " + dir.resolve(name);
        }
    }

    private static Path onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " did not finish in " + TIMEOUT_S + " s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
