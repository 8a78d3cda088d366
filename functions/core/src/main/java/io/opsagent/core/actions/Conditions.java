package io.opsagent.core.actions;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * Conditions an approver may attach to an approval; they only ever narrow what was asked, never widen it:
 * {@code params}, a smaller value of the same action (replicas nearer the current count; requests and limits
 * nearer the current ones), which becomes an action of its own with its own hash; and an execution window
 * ({@code notBefore}, {@code notAfter}) for a change, outside which its chain does not execute it.
 *
 * @param params    the narrowed action's parameters (the same kind, target and container), or null
 * @param notBefore execute no earlier than this, or null
 * @param notAfter  execute no later than this, or null
 */
public record Conditions(JsonNode params, Instant notBefore, Instant notAfter) {
    public boolean isEmpty() {
        return params == null && notBefore == null && notAfter == null;
    }

    public boolean hasWindow() {
        return notBefore != null || notAfter != null;
    }

    /**
     * Why {@code narrowed} does not only narrow {@code asked} on an object that is {@code live} now; null when it
     * does. Only a scale and a resources change have a value to narrow.
     */
    public static String widens(Action asked, Action narrowed, JsonNode live) {
        if (!asked.target().equals(narrowed.target()) || asked.kind() != narrowed.kind()) {
            return "a narrowed action must be the same action on the same target";
        }
        if (narrowed.hash().equals(asked.hash())) return "the narrowed action is the action asked: approve it without conditions";
        switch (asked.kind()) {
            case SCALE -> {
                int now = live == null ? 0 : live.path("spec").path("replicas").asInt(1);
                int want = asked.params().path("replicas").asInt();
                int n = narrowed.params().path("replicas").asInt();
                if (n < Math.min(now, want) || n > Math.max(now, want)) {
                    return "replicas " + n + " does not narrow the change from " + now + " to " + want
                            + ": a narrowed value lies between them";
                }
                return null;
            }
            case SET_RESOURCES -> {
                if (!asked.params().path("container").equals(narrowed.params().path("container"))) {
                    return "a narrowed resources change must be of the same container";
                }
                JsonNode current = container(live, asked.params().path("container").asText());
                for (String part : new String[] {"requests", "limits"}) {
                    JsonNode n = narrowed.params().path(part);
                    var names = n.fieldNames();
                    while (names.hasNext()) {
                        String r = names.next();
                        JsonNode want = asked.params().path(part).path(r);
                        if (!want.isTextual()) return part + "." + r + " was not asked for: a narrowed change cannot add to it";
                        BigDecimal w = amount(want.asText());
                        BigDecimal v = amount(n.path(r).asText());
                        JsonNode cur = current.path("resources").path(part).path(r);
                        BigDecimal c = cur.isTextual() ? amount(cur.asText()) : BigDecimal.ZERO;
                        if (v.compareTo(w.min(c)) < 0 || v.compareTo(w.max(c)) > 0) {
                            return part + "." + r + " " + n.path(r).asText() + " does not narrow the change from "
                                    + (cur.isTextual() ? cur.asText() : "unset") + " to " + want.asText()
                                    + ": a narrowed value lies between them";
                        }
                    }
                    // what was asked and is left out stays as asked: not a narrowing of it, so it must be kept
                    var asked1 = asked.params().path(part).fieldNames();
                    while (asked1.hasNext()) {
                        String r = asked1.next();
                        if (!n.has(r)) return part + "." + r + " is left out: give every asked value, narrowed or as asked";
                    }
                }
                return null;
            }
            default -> {
                return "a " + asked.kind().id() + " has no value to narrow: approve it as asked (an execution window "
                        + "can still be set on a change)";
            }
        }
    }

    private static JsonNode container(JsonNode live, String name) {
        if (live != null) {
            for (JsonNode c : live.path("spec").path("template").path("spec").path("containers")) {
                if (name.equals(c.path("name").asText())) return c;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static BigDecimal amount(String q) {
        return Quantity.getAmountInBytes(new Quantity(q));
    }
}
