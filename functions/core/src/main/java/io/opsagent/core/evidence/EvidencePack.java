package io.opsagent.core.evidence;

import java.util.List;

/**
 * What a model is given about a workload: findings, decisive log lines, a pattern summary of its logs, events and
 * status, rendered as compact markdown within a token budget. Root-cause evidence is always kept.
 *
 * @param subject      {@code Kind namespace/name} of the workload
 * @param text         the pack, redacted, ready to put in a prompt
 * @param tokens       estimated tokens of {@code text}
 * @param budget       the budget it was built for
 * @param rawTokens    estimated tokens of the raw material it summarises (the pods' logs and the events)
 * @param rawLogLines  log lines of the workload's pods
 * @param rawEvents    events about the workload and its pods
 * @param omitted      what did not fit, by section (e.g. "events: 12"), empty when everything fit
 */
public record EvidencePack(String subject, String text, int tokens, int budget, int rawTokens, int rawLogLines,
                           int rawEvents, List<String> omitted) {
    public EvidencePack {
        omitted = List.copyOf(omitted);
    }

    /** Size of the pack relative to the raw material (0.05 means the pack is 5% of it). */
    public double ratio() {
        return rawTokens == 0 ? 1.0 : (double) tokens / rawTokens;
    }
}
