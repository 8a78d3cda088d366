package io.opsagent.bench.coldstart;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/** What the bench needs to know about a function's jars before running it. */
final class Jars {
    private static final byte[] CRAC_RESOURCE = "org/crac/Resource".getBytes(StandardCharsets.US_ASCII);

    private Jars() {
    }

    /** The jar files named by {@code entries} (files, or directories of {@code *.jar}) under {@code root}. */
    static List<Path> resolve(Path root, List<String> entries) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String e : entries) {
            Path p = root.resolve(e).normalize();
            if (Files.isDirectory(p)) {
                List<Path> inDir = new ArrayList<>();
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(p, "*.jar")) {
                    ds.forEach(inDir::add);
                }
                if (inDir.isEmpty()) {
                    throw new IOException("no jar in " + root.relativize(p));
                }
                inDir.sort(null);
                out.addAll(inDir);
            } else if (Files.isRegularFile(p)) {
                out.add(p);
            } else {
                throw new IOException(root.relativize(p) + " is missing");
            }
        }
        return out;
    }

    /** Whether one of the jars holds {@code className}. */
    static boolean contains(List<Path> jars, String className) throws IOException {
        String entry = className.replace('.', '/') + ".class";
        for (Path jar : jars) {
            try (JarFile jf = new JarFile(jar.toFile())) {
                if (jf.getEntry(entry) != null) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Total size in MB. */
    static double sizeMb(List<Path> jars) throws IOException {
        long bytes = 0;
        for (Path jar : jars) {
            bytes += Files.size(jar);
        }
        return bytes / (1024.0 * 1024.0);
    }

    /**
     * Whether a class of the function's own code (under the entry class's top two package levels) refers to
     * {@code org.crac.Resource}: the sign that it registers a SnapStart priming hook.
     */
    static boolean registersCracResource(List<Path> jars, String entryClass) throws IOException {
        String[] parts = entryClass.split("\\.");
        String prefix = parts.length > 2 ? parts[0] + "/" + parts[1] + "/" : "";
        for (Path jar : jars) {
            try (JarFile jf = new JarFile(jar.toFile())) {
                Enumeration<JarEntry> entries = jf.entries();
                while (entries.hasMoreElements()) {
                    JarEntry e = entries.nextElement();
                    if (e.getName().endsWith(".class") && e.getName().startsWith(prefix)
                            && !e.getName().startsWith("org/crac/")) {
                        try (InputStream in = jf.getInputStream(e)) {
                            if (indexOf(in.readAllBytes(), CRAC_RESOURCE) >= 0) {
                                return true;
                            }
                        }
                    }
                }
            }
        }
        return false;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * Extracts the runtime interface client's JNI library for this platform (glibc or musl, x86_64 or aarch64) to
     * {@code dir}, as the managed runtime ships it in /var/runtime/lib/jni.
     */
    static Path extractJni(Path runtimeDir, Path dir) throws IOException {
        String arch = System.getProperty("os.arch").equals("aarch64") ? "aarch_64" : "x86_64";
        boolean musl;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/lib"), "ld-musl-*")) {
            musl = ds.iterator().hasNext();
        } catch (IOException e) {
            musl = false;
        }
        String name = "libaws-lambda-jni.linux" + (musl ? "_musl-" : "-") + arch + ".so";
        List<Path> rics = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(runtimeDir, "aws-lambda-java-runtime-interface-client-*.jar")) {
            ds.forEach(rics::add);
        }
        if (rics.size() != 1) {
            throw new IOException("expected one runtime interface client jar in " + runtimeDir + ", found " + rics);
        }
        try (JarFile jf = new JarFile(rics.get(0).toFile())) {
            JarEntry e = jf.getJarEntry("jni/" + name);
            if (e == null) {
                throw new IOException(rics.get(0) + " has no jni/" + name);
            }
            Files.createDirectories(dir);
            Path out = dir.resolve(name);
            try (InputStream in = jf.getInputStream(e)) {
                Files.copy(in, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            return out;
        }
    }
}
