package io.opsagent.core.input.text;

/**
 * A file (or part of a file) of the evidence that yielded nothing, and why: a recorded command error, "no resources
 * found", or text in a format the reader does not know.
 *
 * @param file   the file, relative to the evidence folder
 * @param line   the first line of the part concerned (1-based)
 * @param reason why it was skipped, in words
 */
public record SkippedInput(String file, int line, String reason) {
    @Override
    public String toString() {
        return file + ":" + line + ": " + reason;
    }
}
