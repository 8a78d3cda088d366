package io.opsagent.core.diagnosis;

import java.util.Objects;

/**
 * One piece of evidence behind a finding.
 *
 * @param source where it was read
 * @param ref    a reference a person (or the UI) can follow: {@code default/pods.json:items[3].status.phase},
 *               {@code default/api-7d9/logs.txt:412}, {@code kubectl_describe.txt:34}
 * @param text   the exact text that was read (already redacted when it leaves core)
 */
public record Evidence(EvidenceSource source, String ref, String text) {
    public Evidence {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(text, "text");
    }
}
