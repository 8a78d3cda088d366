package io.opsagent.core.logs.search;

import io.opsagent.core.logs.LogLevel;
import java.time.Instant;

/**
 * One matching log line.
 *
 * @param ref        {@code file:line}, a citation of the line
 * @param namespace  namespace of the pod (may be null when the source does not know it)
 * @param pod        pod name
 * @param container  container name
 * @param previous   true when the line comes from the previous (terminated) instance's log
 * @param lineNumber 1-based line number in its file
 * @param timestamp  the line's time (its own, or inherited from the line above for continuation lines); null if none
 * @param level      the line's level (stack-trace continuation lines inherit the level of the line above)
 * @param text       the line, cut after {@link LogSearch#MAX_LINE_CHARS} characters with a {@code … [+N chars]} marker
 * @param patternId  id of the pattern of {@link LogSearchResult#patterns()} this line belongs to
 */
public record LogMatch(String ref, String namespace, String pod, String container, boolean previous, int lineNumber,
                       Instant timestamp, LogLevel level, String text, int patternId) {
}
