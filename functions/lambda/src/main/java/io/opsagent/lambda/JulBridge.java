package io.opsagent.lambda;

import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.slf4j.LoggerFactory;

/**
 * Sends {@code java.util.logging} records (and so {@link System.Logger}, which the core and the HTTP application
 * log through) to SLF4J, i.e. to log4j with the Powertools JSON layout, so every line a Lambda function writes is
 * one structured JSON object carrying the correlation id. Installed once per JVM by {@link Telemetry}.
 */
final class JulBridge extends Handler {
    private static final Formatter MESSAGES = new SimpleFormatter();
    private static volatile boolean installed;

    private JulBridge() {
    }

    /** Replaces the root logger's handlers (the console) with this bridge; idempotent. */
    static synchronized void install() {
        if (installed) return;
        Logger root = LogManager.getLogManager().getLogger("");
        for (Handler h : root.getHandlers()) root.removeHandler(h);
        root.addHandler(new JulBridge());
        if (root.getLevel() == null || root.getLevel().intValue() > Level.INFO.intValue()) root.setLevel(Level.INFO);
        installed = true;
    }

    @Override
    public void publish(LogRecord record) {
        if (record == null) return;
        org.slf4j.Logger log = LoggerFactory.getLogger(record.getLoggerName() == null ? "jul" : record.getLoggerName());
        String message = MESSAGES.formatMessage(record);
        Throwable t = record.getThrown();
        int level = record.getLevel().intValue();
        if (level >= Level.SEVERE.intValue()) log.error(message, t);
        else if (level >= Level.WARNING.intValue()) log.warn(message, t);
        else if (level >= Level.INFO.intValue()) log.info(message, t);
        else if (level >= Level.FINE.intValue()) log.debug(message, t);
        else log.trace(message, t);
    }

    @Override
    public void flush() {
        // log4j flushes its own appenders
    }

    @Override
    public void close() {
        // nothing held
    }
}
