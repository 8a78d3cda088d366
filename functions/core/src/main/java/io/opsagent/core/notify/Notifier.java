package io.opsagent.core.notify;

import io.opsagent.core.redact.Redactor;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Port: tells people (an SNS topic, a Slack incoming webhook). Sending is best effort: a notification that cannot be
 * delivered is logged, never a reason for the work that sent it to fail.
 */
@FunctionalInterface
public interface Notifier {
    /** @throws RuntimeException when it could not be delivered (callers go through {@link #all}, which logs it) */
    void send(Notification n);

    Notifier NONE = n -> { };

    /**
     * Routes by the notification's namespace (the part of its workload before the first {@code /}): the sink of that
     * namespace in {@code routes}, else {@code fallback} (which may be {@link #NONE}).
     */
    static Notifier byNamespace(java.util.Map<String, Notifier> routes, Notifier fallback) {
        java.util.Map<String, Notifier> to = java.util.Map.copyOf(routes);
        return n -> {
            String ns = n.workload() == null ? null : n.workload().split("/", 2)[0];
            (ns == null ? fallback : to.getOrDefault(ns, fallback)).send(n);
        };
    }

    /**
     * Every one of {@code targets}, each after {@code redactor} masked the subject and text (every text that leaves core
     * is redacted); a target that fails is logged and the others still get it; then the failures are thrown together
     * (callers record them and go on).
     */
    static Notifier all(Redactor redactor, List<Notifier> targets) {
        List<Notifier> to = List.copyOf(targets);
        if (to.isEmpty()) return NONE;
        Logger log = Logger.getLogger(Notifier.class.getName());
        return n -> {
            Notification safe = new Notification(n.event(), redactor.redact(n.subject()), redactor.redact(n.text()),
                    n.link(), n.workload(), n.correlationId());
            java.util.List<String> failed = new java.util.ArrayList<>();
            for (Notifier t : to) {
                try {
                    t.send(safe);
                } catch (RuntimeException e) {
                    failed.add(e.getMessage());
                    log.log(Level.WARNING, "notification " + n.event() + " (" + n.correlationId() + ") not delivered: "
                            + e.getMessage());
                }
            }
            // the others got it; the caller learns what did not (to record it), and never fails for it
            if (!failed.isEmpty()) throw new IllegalStateException(String.join("; ", failed));
        };
    }
}
