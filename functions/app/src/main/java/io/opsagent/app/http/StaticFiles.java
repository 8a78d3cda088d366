package io.opsagent.app.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Serves the web UI's files from one directory: {@code /} is {@code index.html}; paths with {@code ..}, hidden
 * segments or that leave the directory after normalisation (also when percent-encoded) are refused with 404.
 * Only the UI's own files are served: {@code index.html} at the top, and under {@link #UI_DIRS} files of the
 * types in {@link #UI_TYPES}; the directory's other files (README.md, package.json, tests, node_modules) are 404.
 */
final class StaticFiles {
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"), Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"), Map.entry("json", "application/json; charset=utf-8"),
            Map.entry("map", "application/json; charset=utf-8"), Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"), Map.entry("ico", "image/x-icon"), Map.entry("webp", "image/webp"),
            Map.entry("woff", "font/woff"), Map.entry("woff2", "font/woff2"), Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("md", "text/markdown; charset=utf-8"), Map.entry("wasm", "application/wasm"));
    private static final String NO_UI = "<!doctype html><meta charset=utf-8><title>OpsAgent</title>"
            + "<h1>OpsAgent</h1><p>The web UI is not installed (no <code>web/</code> directory next to the launcher). "
            + "The API is up: try <a href=\"/api/workloads\">/api/workloads</a>; see docs/api.md.</p>";

    private final Path root;
    /** The folders that hold the UI's files. */
    static final java.util.Set<String> UI_DIRS = java.util.Set.of("css", "js", "vendor", "assets");
    /** The file types the UI is made of. */
    static final java.util.Set<String> UI_TYPES = java.util.Set.of("html", "js", "mjs", "css", "svg", "png", "jpg",
            "jpeg", "gif", "ico", "webp", "woff", "woff2", "map");

    StaticFiles(Path root) {
        this.root = root == null ? null : root.toAbsolutePath().normalize();
    }

    void serve(Request r) throws IOException {
        String path = decodedPath(r.exchange().getRequestURI().getRawPath());
        if (root == null) {
            if (path.equals("/") || path.equals("/index.html")) {
                r.exchange().getResponseHeaders().set("Content-Type", TYPES.get("html"));
                r.send(200, NO_UI.getBytes(StandardCharsets.UTF_8));
                return;
            }
            throw ApiError.notFound("no such file: " + path);
        }
        Path file = resolve(path);
        if (file == null) throw ApiError.notFound("no such file: " + path);
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String type = TYPES.getOrDefault(dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT), "application/octet-stream");
        r.exchange().getResponseHeaders().set("Content-Type", type);
        r.exchange().getResponseHeaders().set("Cache-Control", "no-cache");
        r.exchange().getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        r.send(200, Files.readAllBytes(file));
    }

    /** The file for a decoded URL path, or null if it does not exist or is not allowed. */
    Path resolve(String path) throws IOException {
        if (!path.startsWith("/") || path.indexOf('\0') >= 0 || path.contains("\\")) return null;
        String rel = path.substring(1);
        if (rel.isEmpty() || rel.endsWith("/")) rel = rel + "index.html";
        String[] segs = rel.split("/");
        for (String seg : segs) {
            if (seg.isEmpty() || seg.equals("..") || seg.equals(".") || seg.startsWith(".")) return null;
        }
        if (!isUiFile(segs)) return null;
        Path file;
        try {
            file = root.resolve(rel).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
        if (!file.startsWith(root)) return null;
        if (Files.isDirectory(file)) file = file.resolve("index.html");
        if (!Files.isRegularFile(file)) return null;
        if (!file.toRealPath().startsWith(root.toRealPath())) return null;
        return file;
    }

    /** True for the UI's own files: the top-level index.html/favicon.ico, or a UI type under a UI folder. */
    static boolean isUiFile(String[] segs) {
        String name = segs[segs.length - 1].toLowerCase(Locale.ROOT);
        if (segs.length == 1) return name.equals("index.html") || name.equals("favicon.ico");
        if (!UI_DIRS.contains(segs[0])) return false;
        int dot = name.lastIndexOf('.');
        return dot > 0 && UI_TYPES.contains(name.substring(dot + 1));
    }

    private static String decodedPath(String raw) {
        return raw == null || raw.isEmpty() ? "/" : decode(raw);
    }

    private static String decode(String raw) {
        try {
            return java.net.URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("path", "malformed percent-encoding in the path: " + raw);
        }
    }
}
