package io.opsagent.app.http;

import java.lang.System.Logger.Level;

/**
 * The server's log lines, each prefixed with {@code run=<id>} (the correlation id of a chat request: the run id)
 * or {@code req=<n>} for other requests. Uses {@link System.Logger}, so any backend can take them.
 */
final class HttpLog {
    private static final System.Logger LOG = System.getLogger("io.opsagent.http");

    private HttpLog() {
    }

    static void info(String correlation, String message) {
        LOG.log(Level.INFO, () -> correlation + " " + message);
    }

    static void warn(String correlation, String message) {
        LOG.log(Level.WARNING, () -> correlation + " " + message);
    }

    static void error(String correlation, String message, Throwable t) {
        LOG.log(Level.ERROR, correlation + " " + message, t);
    }
}
