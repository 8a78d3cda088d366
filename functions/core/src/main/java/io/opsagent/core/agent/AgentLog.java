package io.opsagent.core.agent;

import java.lang.System.Logger.Level;

/**
 * The engine's log lines, each prefixed with {@code run=<id>} (the correlation id). Uses
 * {@link System.Logger}, so any backend (java.util.logging by default, log4j/Powertools in Lambda) can take them.
 */
final class AgentLog {
    private static final System.Logger LOG = System.getLogger("io.opsagent.agent");

    private AgentLog() {
    }

    static void info(String runId, String message) {
        LOG.log(Level.INFO, () -> "run=" + runId + " " + message);
    }

    static void debug(String runId, String message) {
        LOG.log(Level.DEBUG, () -> "run=" + runId + " " + message);
    }

    static void warn(String runId, String message) {
        LOG.log(Level.WARNING, () -> "run=" + runId + " " + message);
    }
}
