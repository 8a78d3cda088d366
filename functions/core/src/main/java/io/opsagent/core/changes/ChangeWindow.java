package io.opsagent.core.changes;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;

/**
 * A change window or a freeze, with Argo CD's sync-window semantics: {@code allow} or {@code deny}, a cron schedule
 * (standard five fields) that opens it, a duration it stays open, a time zone, and the namespaces it applies to
 * ({@code *} for all, or a trailing {@code *} as a prefix). A deny window that is open refuses a change (deny
 * overrides allow); when allow windows apply to a namespace, a change is allowed only while one of them is open;
 * with no windows, always.
 */
public record ChangeWindow(String kind, String schedule, Duration duration, ZoneId zone, List<String> namespaces) {
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    public ChangeWindow {
        if (!"allow".equals(kind) && !"deny".equals(kind)) {
            throw new IllegalArgumentException("change window kind must be allow or deny, not '" + kind + "'");
        }
        try {
            PARSER.parse(schedule).validate();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("change window schedule '" + schedule + "' is not a cron expression "
                    + "(minute hour day-of-month month day-of-week): " + e.getMessage());
        }
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("change window '" + schedule + "' needs a positive duration");
        }
        zone = zone == null ? ZoneId.of("UTC") : zone;
        namespaces = namespaces == null || namespaces.isEmpty() ? List.of("*") : List.copyOf(namespaces);
    }

    public boolean appliesTo(String namespace) {
        for (String n : namespaces) {
            if (n.equals("*") || n.equals(namespace) || n.endsWith("*") && namespace.startsWith(n.substring(0, n.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    /** Open at {@code now}: the schedule fired at most {@code duration} ago (or fires exactly now). */
    public boolean openAt(Instant now) {
        Cron cron = PARSER.parse(schedule);
        ExecutionTime t = ExecutionTime.forCron(cron);
        ZonedDateTime at = now.atZone(zone);
        if (t.isMatch(at.withSecond(0).withNano(0))) return true;
        Optional<ZonedDateTime> last = t.lastExecution(at);
        return last.isPresent() && !last.get().plus(duration).isBefore(at) && last.get().plus(duration).isAfter(at);
    }

    /** "deny window '0 22 * * *' for 8h (Europe/Paris)" */
    public String describe() {
        return kind + " window '" + schedule + "' for " + duration.toString().substring(2).toLowerCase() + " (" + zone + ")";
    }
}
