package io.opsagent.core.diagnosis;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Objects;

/**
 * A diagnosed problem with the evidence that proves it and the steps that fix it.
 *
 * <p>{@code rootCause} and {@code causedBy} are set by the engine when it links symptoms (a stuck rollout, a
 * Service without endpoints) to the finding that explains them (the pods are OOMKilled).
 *
 * @param id          stable within one diagnosis, e.g. {@code f-OOMKilled-default-api-7d9-x2-app}
 * @param container   the container concerned, or null
 * @param remediation concrete steps: a kubectl command or the spec change to make
 */
@JsonPropertyOrder({"id", "category", "severity", "namespace", "kind", "name", "container", "summary",
        "evidence", "remediation", "rootCause", "causedBy"})
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Finding(
        String id,
        Category category,
        Severity severity,
        String namespace,
        String kind,
        String name,
        String container,
        String summary,
        List<Evidence> evidence,
        List<String> remediation,
        boolean rootCause,
        String causedBy) {

    public Finding {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(summary, "summary");
        evidence = List.copyOf(evidence);
        remediation = List.copyOf(remediation);
    }
}
