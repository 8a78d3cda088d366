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

    /** The diagnosis with every finding redacted (order and links kept). */
    public Diagnosis redact(Diagnosis diagnosis) {
        return new Diagnosis(diagnosis.findings().stream().map(this::redact).toList());
    }

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
