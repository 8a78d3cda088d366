package io.opsagent.core.diagnosis;

import java.util.List;

/** The result of a diagnosis: findings ordered root causes first, then by severity. */
public record Diagnosis(List<Finding> findings) {
    public Diagnosis {
        findings = List.copyOf(findings);
    }

    public boolean hasCritical() {
        return findings.stream().anyMatch(f -> f.severity() == Severity.CRITICAL);
    }
}
