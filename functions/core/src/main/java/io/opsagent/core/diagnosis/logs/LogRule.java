package io.opsagent.core.diagnosis.logs;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One recognition rule: a line is of {@code kind} when its lower-cased text contains one of the cheap
 * {@code triggers} and, if given, {@code confirm} finds a match in the original text.
 *
 * @param kind     the kind of signal the rule recognises
 * @param base     the base score of a match (before level, position and recovery adjustments)
 * @param triggers lower-case substrings, any of which must be present (cheap pre-check before the regex)
 * @param confirm  an optional regex that must also be found in the line; null to accept any trigger hit
 * @param explain  builds the plain-English explanation from the line and the confirm match (null when no regex);
 *                 it may return null to reject the line after a closer look
 */
record LogRule(LogSignal.Kind kind, double base, String[] triggers, Pattern confirm, Explainer explain) {

    /** Builds the explanation of a matching line. */
    @FunctionalInterface
    interface Explainer {
        String explain(String line, String lower, Matcher match);
    }

    /** The explanation when the line matches, else null. */
    String apply(String line, String lower) {
        boolean hit = false;
        for (String t : triggers) {
            if (lower.contains(t)) {
                hit = true;
                break;
            }
        }
        if (!hit) {
            return null;
        }
        Matcher m = null;
        if (confirm != null) {
            m = confirm.matcher(line);
            if (!m.find()) {
                return null;
            }
        }
        return explain.explain(line, lower, m);
    }
}
