package io.opsagent.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsagent.core.redact.Redactor;
import io.opsagent.core.tools.SnapshotProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves a citation ({@code ns/pods.json:items[3].status.phase}, {@code ns/pod/logs.txt:412},
 * {@code kubectl_describe.txt:34}) to text the UI can show: a line with context, or an object's field. Reads only
 * files under the input directory, never Secrets, and redacts everything it returns.
 *
 * <p>A live cluster's citations ({@code api:/api/v1/namespaces/shop/pods/web-1:status.phase},
 * {@code api:/api/v1/namespaces/shop/pods/web-1/log?container=app:12}) are opened from the caller's current view of
 * the cluster: the object as the cluster holds it now (redacted; Secrets never), or the pod log line. An object
 * that is gone is a 404 saying so.
 */
final class EvidenceResolver {
    static final int DEFAULT_CONTEXT = 5;
    static final int MAX_CONTEXT = 50;
    private static final int MAX_TEXT = 20_000;
    static final Pattern LINE = Pattern.compile("\\d{1,9}");
    private static final Pattern TOKEN = Pattern.compile("\\[(\\d+)]|([^.\\[\\]]+)");

    private final Path root;
    private final Redactor redactor;
    private final Map<Path, JsonDoc> jsonCache = new ConcurrentHashMap<>();
    private static final int MAX_CACHED_DOCS = 64;
    private final Map<Path, Doc> docCache = new ConcurrentHashMap<>();

    EvidenceResolver(Path root, Redactor redactor) {
        this.root = root;
        this.redactor = redactor;
    }

    ObjectNode resolve(String ref, int context) throws IOException {
        return resolve(ref, context, null);
    }

    /** As {@link #resolve(String, int)}, opening {@code api:} references in {@code cluster} (may be null). */
    ObjectNode resolve(String ref, int context, SnapshotProvider cluster) throws IOException {
        if (ref == null || ref.isBlank()) throw ApiError.badRequest("ref", "'ref' is required, e.g. shop/pods.json:items[0].status");
        if (ref.length() > 1000) throw ApiError.badRequest("ref", "'ref' is longer than 1000 characters");
        if (context < 0 || context > MAX_CONTEXT) {
            throw ApiError.badRequest("context", "'context' must be between 0 and " + MAX_CONTEXT + ", got " + context);
        }
        if (ref.startsWith(ApiEvidence.PREFIX)) {
            if (cluster == null) throw ApiError.notFound("no live cluster is connected, so " + ref + " cannot be opened");
            return new ApiEvidence(cluster, redactor).resolve(ref, context);
        }
        if (ref.startsWith("cwl:")) {
            throw ApiError.notFound("CloudWatch log lines are not opened here: the line's text is in the answer; "
                    + "find it in CloudWatch Logs (log group/stream in the reference)");
        }
        if (root == null) throw ApiError.notFound("no input directory is loaded, so evidence cannot be opened");
        int colon = ref.indexOf(':');
        String file = colon < 0 ? ref : ref.substring(0, colon);
        String location = colon < 0 ? "" : ref.substring(colon + 1);
        Path path = safePath(file);
        if (location.isEmpty()) throw ApiError.badRequest("ref", "'ref' has no location after the file name: " + ref);
        ObjectNode out = Json.object().put("ref", ref).put("file", file);
        if (LINE.matcher(location).matches()) {
            return lines(out, path, Integer.parseInt(location), context);
        }
        return field(out, path, location);
    }

    private Path safePath(String file) throws IOException {
        Path rootReal = root.toRealPath();
        Path p;
        try {
            p = rootReal.resolve(file).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw ApiError.badRequest("ref", "not a file reference: " + file);
        }
        if (!p.startsWith(rootReal) || file.startsWith("/") || file.contains("..")) {
            throw ApiError.badRequest("ref", "the reference points outside the input directory: " + file);
        }
        if (p.getFileName() != null && p.getFileName().toString().equalsIgnoreCase("secrets.json")) {
            throw new ApiError(403, "Secrets are never shown", "ref");
        }
        if (!Files.isRegularFile(p) || !p.toRealPath().startsWith(rootReal)) {
            throw ApiError.notFound("no such evidence file: " + file);
        }
        return p;
    }

    private ObjectNode lines(ObjectNode out, Path path, int line, int context) throws IOException {
        return lines(out, document(path), line, context);
    }

    /**
     * The file's lines, refused whole (403) when it holds a Secret manifest whatever its name, e.g. a copy of
     * {@code secrets.json} or a pasted {@code kubectl get secret -o yaml}.
     */
    private List<String> document(Path path) throws IOException {
        Object stamp = Files.getLastModifiedTime(path).toMillis() + ":" + Files.size(path);
        Doc d = docCache.get(path);
        if (d == null || !d.stamp().equals(stamp)) {
            String text = Files.readString(path, StandardCharsets.UTF_8);
            d = new Doc(stamp, Redactor.containsSecretManifest(text), redactor.redactDocument(text.lines().toList()));
            if (docCache.size() >= MAX_CACHED_DOCS) docCache.clear();
            docCache.put(path, d);
        }
        if (d.secret()) {
            throw new ApiError(403, "Secrets are never shown: " + root.toRealPath().relativize(path.toRealPath())
                    + " holds a Secret manifest", "ref");
        }
        return d.redacted();
    }

    /** A parsed JSON file and whether it holds a Secret (checked once, when it is parsed). */
    private record JsonDoc(JsonNode doc, boolean secret) {
    }

    /** A file's lines, redacted as a whole document, and whether it holds a Secret; keyed by mtime and size. */
    private record Doc(Object stamp, boolean secret, List<String> redacted) {
    }

    /**
     * Line {@code line} (from 1) of {@code all} with {@code context} lines either side. {@code all} is already
     * redacted as a whole document ({@link Redactor#redactDocument}), so a multi-line secret (a PEM key, a Secret's
     * data, a secret env value) is masked whole even when only some of its lines are shown.
     */
    static ObjectNode lines(ObjectNode out, List<String> all, int line, int context) {
        if (line < 1 || line > all.size()) {
            throw ApiError.notFound("line " + line + " is not in " + out.get("file").asText() + " (" + all.size() + " lines)");
        }
        out.put("kind", "line").put("line", line);
        ArrayNode arr = out.putArray("lines");
        int from = Math.max(1, line - context);
        int to = Math.min(all.size(), line + context);
        for (int i = from; i <= to; i++) {
            arr.add(Json.object().put("number", i).put("text", all.get(i - 1)).put("match", i == line));
        }
        return out.put("text", all.get(line - 1));
    }

    private ObjectNode field(ObjectNode out, Path path, String location) throws IOException {
        JsonDoc d = jsonCache.get(path);
        if (d == null) {
            try {
                JsonNode doc = Json.MAPPER.readTree(path.toFile());
                d = new JsonDoc(doc, Redactor.containsSecretManifest(doc.toString()));
            } catch (IOException e) {
                throw ApiError.badRequest("ref", out.get("file").asText() + " is not JSON, so '" + location
                        + "' cannot be resolved; cite a line number instead");
            }
            jsonCache.put(path, d);
        }
        if (d.secret()) {
            throw new ApiError(403, "Secrets are never shown: " + out.get("file").asText() + " holds a Secret", "ref");
        }
        return field(out, d.doc(), location, redactor);
    }

    /** An array index of a field path; an index no array can have is a clear 400, not a parse error. */
    private static int index(String digits, String location) {
        if (digits.length() > 9) {
            throw ApiError.badRequest("ref", "array index " + Params.clip(digits, 20)
                    + " in '" + Params.clip(location, 80) + "' is too large");
        }
        return Integer.parseInt(digits);
    }

    /** The field at {@code location} of {@code doc} (a List file or one object), redacted. */
    static ObjectNode field(ObjectNode out, JsonNode doc, String location, Redactor redactor) throws IOException {
        JsonNode node = doc;
        JsonNode item = null;
        StringBuilder resolved = new StringBuilder();
        Matcher m = TOKEN.matcher(location);
        while (m.find()) {
            JsonNode next = m.group(1) != null ? node.path(index(m.group(1), location)) : node.path(m.group(2));
            if (next.isMissingNode()) break;
            if (resolved.length() > 0 && m.group(2) != null) resolved.append('.');
            resolved.append(m.group(1) != null ? "[" + m.group(1) + "]" : m.group(2));
            node = next;
            if (item == null && node != doc && node.has("kind") && node.has("metadata")) item = node;
        }
        if (item == null && doc.has("kind") && doc.has("metadata")) item = doc;
        if (resolved.length() == 0 && !location.isEmpty()) throw ApiError.notFound("'" + location + "' is not in " + out.get("file").asText());
        JsonNode value = redactor.redact(node);
        String text = value.isValueNode() ? value.asText() : Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        if (text.length() > MAX_TEXT) text = text.substring(0, MAX_TEXT) + "\n… (cut at " + MAX_TEXT + " characters)";
        out.put("kind", "field").put("path", location).put("resolved", resolved.toString())
                .put("exact", resolved.toString().equals(location));
        if (item != null) {
            out.put("object", item.path("kind").asText() + " " + (item.path("metadata").has("namespace")
                    ? item.path("metadata").path("namespace").asText() + "/" : "") + item.path("metadata").path("name").asText());
        }
        out.set("value", value);
        return out.put("text", text);
    }
}
