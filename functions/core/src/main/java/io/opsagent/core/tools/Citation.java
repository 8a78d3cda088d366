package io.opsagent.core.tools;

import java.util.Objects;

/**
 * A reference to the evidence a tool read, which the UI can open: an object field
 * ({@code shop/pods.json:items[3].status.phase}), a log line ({@code shop/cart-x/logs.txt:412}), an event.
 *
 * @param ref   the reference
 * @param label a short description (e.g. "log line", "event BackOff", "pod cart-x"), may be empty
 */
public record Citation(String ref, String label) {
    public Citation {
        Objects.requireNonNull(ref, "ref");
        label = label == null ? "" : label;
    }
}
