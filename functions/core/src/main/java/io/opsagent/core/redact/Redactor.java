package io.opsagent.core.redact;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsagent.core.diagnosis.Diagnosis;
import io.opsagent.core.diagnosis.Evidence;
import io.opsagent.core.diagnosis.Finding;

/**
 * Removes secrets from text and JSON before evidence leaves core (to a model, to storage, to the screen).
 *
 * <p>The shape is kept, never the value: {@code AKIA****************}, {@code password=********},
 * {@code Bearer ****}, {@code eyJ****.****.****}, {@code postgres://app:********@db/orders}; see {@link Rule}
 * for every rule and the README for the mask of each. Redaction is idempotent: redacting redacted text changes
 * nothing. Instances are immutable and thread-safe; the patterns are compiled once, and a single keyword scan
 * decides which rules run, so a line without any trigger keyword costs one pass over its characters.
 */
public final class Redactor {
    private static final Redactor DEFAULT = new Redactor();

    private final JsonRedaction json = new JsonRedaction(Redactor::apply);

    /** The shared instance. */
    public static Redactor standard() {
        return DEFAULT;
    }

    /** Redacts a text of any length; PEM blocks and Secret manifests may span lines. */
    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        return apply(text, new Tally());
    }

    /**
     * Redacts one log line. Same rules as {@link #redact(String)}; a private key body split over several lines
     * is only recognised by {@link #redact(String)} or by {@link LineRedactor}, which keep the lines together.
     */
    public String redactLine(String line) {
        return redact(line);
    }

    /** Redacts and reports how many values each rule masked. */
    public Result redactWithCounts(String text) {
        if (text == null || text.isEmpty()) {
            return new Result(text, java.util.Map.of());
        }
        Tally tally = new Tally();
        String out = apply(text, tally);
        return new Result(out, tally.toMap());
    }

    /**
     * Redacts a JSON tree and returns a redacted copy (the argument is not modified): values under secret-looking
     * keys, Secret {@code data}/{@code stringData} values and secret env values become {@code "********"};
     * every other string value goes through the text rules.
     */
    public JsonNode redact(JsonNode node) {
        if (node == null) {
            return null;
        }
        JsonNode copy = node.deepCopy();
        if (copy.isTextual()) {
            return com.fasterxml.jackson.databind.node.TextNode.valueOf(redact(copy.asText()));
        }
        json.walk(copy, new Tally());
        return copy;
    }

    /** The evidence with its text redacted (source and reference kept). */
    public Evidence redact(Evidence evidence) {
        String text = redact(evidence.text());
        return text.equals(evidence.text()) ? evidence : new Evidence(evidence.source(), evidence.ref(), text);
    }

    /** The finding with its summary, evidence texts and remediation steps redacted. */
    public Finding redact(Finding f) {
        return new Finding(f.id(), f.category(), f.severity(), f.namespace(), f.kind(), f.name(), f.container(),
                redact(f.summary()), f.evidence().stream().map(this::redact).toList(),
                f.remediation().stream().map(this::redact).toList(), f.rootCause(), f.causedBy());
    }

    /** The diagnosis with every finding redacted (order, links and the neighbours' marks kept). */
    public Diagnosis redact(Diagnosis diagnosis) {
        return new Diagnosis(diagnosis.findings().stream().map(this::redact).toList(), diagnosis.alsoFailing());
    }

    /**
     * Redacts a whole document given as lines and returns exactly as many lines, each at its number: multi-line
     * secrets are treated as one unit (a PEM private key's body lines all become {@code ****}; a Secret
     * manifest's {@code data}, a container's secret env value and every other rule see the whole text), so
     * cutting a few lines out of the result never shows part of a secret. Use it before showing lines of a file
     * by number.
     */
    public java.util.List<String> redactDocument(java.util.List<String> lines) {
        LineRedactor pem = lines();
        java.util.List<String> first = new java.util.ArrayList<>(lines.size());
        for (String l : lines) {
            first.add(pem.next(l));
        }
        String whole = redact(String.join("\n", first));
        String[] out = whole.split("\n", -1);
        if (out.length != first.size()) {
            // a rule joined or split lines: never guess which line is which; keep a line only where its redacted
            // form stands as a line of the redacted whole, mask the rest
            java.util.Set<String> kept = new java.util.HashSet<>(java.util.Arrays.asList(out));
            java.util.List<String> safe = new java.util.ArrayList<>(first.size());
            for (String l : first) {
                String r = redact(l);
                safe.add(kept.contains(r) ? r : Masks.SHORT);
            }
            return safe;
        }
        return java.util.List.of(out);
    }

    /**
     * True when {@code text} holds a Kubernetes Secret manifest (YAML {@code kind: Secret}, JSON
     * {@code "kind": "Secret"}, also as an item of a List), whatever file it came from. Such a text is refused
     * whole where lines of it would be shown.
     */
    public static boolean containsSecretManifest(String text) {
        return text != null && SECRET_KIND.matcher(text).find();
    }

    private static final java.util.regex.Pattern SECRET_KIND = java.util.regex.Pattern.compile(
            "(?m)(?:^[ \\t]*(?:-[ \\t]+)?kind:[ \\t]*[\"']?Secret[\"']?[ \\t]*(?:#.*)?$)|(?:\"kind\"[ \\t]*:[ \\t]*\"Secret\")");

    /** A stateful redactor for a stream of lines that also masks private key bodies spread over lines. */
    public LineRedactor lines() {
        return new LineRedactor(this);
    }

    private static String apply(String text, Tally tally) {
        long bits = Triggers.scan(text);
        if (bits == 0) {
            return text;
        }
        return TextRules.apply(text, bits, tally);
    }
}
