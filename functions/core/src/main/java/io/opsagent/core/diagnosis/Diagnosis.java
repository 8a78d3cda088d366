package io.opsagent.core.diagnosis;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The result of a diagnosis: findings ordered root causes first, then by severity. When the input is about one
 * workload among broken neighbours (pasted evidence that lists a namespace but describes and logs one workload), the
 * findings about that workload come first and the neighbours' are {@code alsoFailing}: reported, but not the answer.
 *
 * @param alsoFailing ids of the findings about neighbours, not about the subject (empty without a subject)
 */
public record Diagnosis(List<Finding> findings, Set<String> alsoFailing) {
    public Diagnosis {
        findings = List.copyOf(findings);
        alsoFailing = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(alsoFailing));
    }

    public Diagnosis(List<Finding> findings) {
        this(findings, Set.of());
    }

    public boolean hasCritical() {
        return findings.stream().anyMatch(f -> f.severity() == Severity.CRITICAL);
    }

    /** Whether this finding is about a neighbour of the subject, not about the subject. */
    public boolean alsoFailing(Finding f) {
        return alsoFailing.contains(f.id());
    }
}
