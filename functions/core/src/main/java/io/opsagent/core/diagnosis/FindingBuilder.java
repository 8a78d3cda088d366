package io.opsagent.core.diagnosis;

import io.opsagent.core.cluster.ObjectKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Builds a {@link Finding} and records, in the {@link AnalysisContext}, the objects it is about. The id it gives
 * is provisional ({@code category/namespace/kind/name/container}); the engine replaces it with the final id.
 */
public final class FindingBuilder {
    private final AnalysisContext ctx;
    private final Category category;
    private final Severity severity;
    private final ObjectKey object;
    private String container;
    private String summary;
    private final List<Evidence> evidence = new ArrayList<>();
    private final List<String> remediation = new ArrayList<>();
    private final Set<ObjectKey> about = new LinkedHashSet<>();
    private final Set<ObjectKey> related = new LinkedHashSet<>();
    private final Set<String> tags = new LinkedHashSet<>();

    FindingBuilder(AnalysisContext ctx, Category category, Severity severity, ObjectKey object) {
        this.ctx = ctx;
        this.category = category;
        this.severity = severity;
        this.object = object;
        about.add(object);
    }

    public FindingBuilder container(String c) {
        this.container = c == null || c.isBlank() ? null : c; // a kubectl get row does not name its containers
        return this;
    }

    public FindingBuilder summary(String s) {
        this.summary = s;
        return this;
    }

    public FindingBuilder evidence(Evidence e) {
        if (e != null && evidence.stream().noneMatch(x -> x.ref().equals(e.ref()) && x.text().equals(e.text()))) {
            evidence.add(e);
        }
        return this;
    }

    public FindingBuilder evidence(Collection<Evidence> es) {
        es.forEach(this::evidence);
        return this;
    }

    public FindingBuilder fix(String step) {
        if (step != null && !remediation.contains(step)) remediation.add(step);
        return this;
    }

    /** Other objects this finding covers (the pods of a workload, the workloads blocked by a quota). */
    public FindingBuilder about(Collection<ObjectKey> keys) {
        about.addAll(keys);
        return this;
    }

    public FindingBuilder about(ObjectKey key) {
        about.add(key);
        return this;
    }

    /** Objects whose findings may explain this one (the node a pod ran on, the quota named in an event). */
    public FindingBuilder related(ObjectKey key) {
        related.add(key);
        return this;
    }

    /** A fact the engine's linking rules read, e.g. {@code liveness} or {@code killed}. */
    public FindingBuilder tag(String t) {
        tags.add(t);
        return this;
    }

    public Finding build() {
        Objects.requireNonNull(summary, "summary");
        String id = provisionalId(category, object, container);
        ctx.register(id, about, related, tags);
        return new Finding(id, category, severity, object.namespace(), object.kind(), object.name(), container,
                summary, evidence, remediation, true, null);
    }

    static String provisionalId(Category c, ObjectKey o, String container) {
        return (c.name() + "/" + (o.namespace() == null ? "" : o.namespace()) + "/" + o.kind() + "/" + o.name()
                + (container == null ? "" : "/" + container)).toLowerCase(Locale.ROOT);
    }
}
