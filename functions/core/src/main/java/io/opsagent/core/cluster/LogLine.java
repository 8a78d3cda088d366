package io.opsagent.core.cluster;

/**
 * One line of a container log.
 *
 * @param number the 1-based line number in the file it was read from (so {@code file:number} is a citation)
 * @param text   the line without its line terminator
 */
public record LogLine(int number, String text) {
}
