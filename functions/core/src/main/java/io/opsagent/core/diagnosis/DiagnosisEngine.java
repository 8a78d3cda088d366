package io.opsagent.core.diagnosis;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.cluster.ContainerLog;
import io.opsagent.core.cluster.ObjectKey;
import io.opsagent.core.diagnosis.analyzers.Analyzers;
import io.opsagent.core.diagnosis.analyzers.Text;
import io.opsagent.core.diagnosis.logs.LogErrorClassifier;
import io.opsagent.core.diagnosis.logs.LogSignal;
import io.opsagent.core.input.InputException;
import io.opsagent.core.redact.Redactor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Runs every analyzer, links symptoms to root causes, orders and identifies the findings, redacts them, and scopes
 * the result to a namespace or a workload.
 *
 * <p>Order: root causes first, then severity, category, namespace, name, container. Ids are readable and stable,
 * {@code <category>-<namespace>-<name>[-<container>]} in lower case (e.g. {@code oomkilled-shop-checkout-app}).
 */
public final class DiagnosisEngine {
    private static final Set<String> WORKLOAD_KINDS = io.opsagent.core.cluster.KubeKinds.SUBJECTS;

    private final List<Analyzer> analyzers;
    private final Function<ContainerLog, List<LogSignal>> classifier;
    private final Redactor redactor;

    private static final DiagnosisEngine STANDARD = new DiagnosisEngine();

    /** The process-wide engine over the default analyzers (thread-safe, stateless between calls). */
    public static DiagnosisEngine standard() {
        return STANDARD;
    }

    public DiagnosisEngine() {
        this(Analyzers.all(), new LogErrorClassifier()::classify, new Redactor());
    }

    /**
     * @param classifier finds the decisive lines of a container log (normally {@link LogErrorClassifier#classify})
     * @param redactor   applied to every summary, evidence text and remediation step
     */
    public DiagnosisEngine(List<Analyzer> analyzers, Function<ContainerLog, List<LogSignal>> classifier,
                           Redactor redactor) {
        this.analyzers = List.copyOf(analyzers);
        this.classifier = classifier;
        this.redactor = redactor;
    }

    /** Everything wrong in the snapshot. */
    public Diagnosis diagnose(ClusterSnapshot snapshot) {
        Result r = run(snapshot);
        if (snapshot.focus().isEmpty()) return new Diagnosis(r.findings);
        synchronized (r.ctx) {
            return focusFirst(r, snapshot);
        }
    }

    /**
     * Pasted evidence often lists a whole namespace (broken neighbours included) but describes and logs the one
     * workload it is about ({@link ClusterSnapshot#focus()}): the findings about that workload, and what explains
     * them, come first; the neighbours' follow, in their own order, marked as also failing.
     */
    private static Diagnosis focusFirst(Result r, ClusterSnapshot snapshot) {
        Set<ObjectKey> scope = new LinkedHashSet<>(snapshot.focus());
        for (ObjectKey k : snapshot.focus()) {
            if (!k.kind().equals("Pod")) continue;
            snapshot.pods().stream().filter(p -> p.getMetadata().getName().equals(k.name())
                    && Objects.equals(p.getMetadata().getNamespace(), k.namespace())).forEach(p -> scope.addAll(r.ctx.ownerChain(p)));
        }
        List<Finding> first = select(r, scope, f -> scope.contains(new ObjectKey(f.kind(), f.namespace(), f.name())));
        if (first.isEmpty() || first.size() == r.findings.size()) return new Diagnosis(r.findings);
        List<Finding> out = new ArrayList<>(first);
        Set<String> ids = new java.util.HashSet<>();
        first.forEach(f -> ids.add(f.id()));
        Set<String> others = new LinkedHashSet<>();
        r.findings.stream().filter(f -> !ids.contains(f.id())).forEach(f -> {
            out.add(f);
            others.add(f.id());
        });
        return new Diagnosis(out, others);
    }

    /**
     * The findings that explain one workload (Deployment, StatefulSet, DaemonSet, Job, CronJob, Service, Pod,
     * ReplicaSet; also a unique name prefix of pods), including causes that live elsewhere (its pods, their nodes,
     * quotas, the Service's pods). With {@code workload == null}, the findings of one namespace (or everything when
     * {@code namespace} is null too).
     *
     * @param namespace null to search every namespace
     * @throws InputException if no such workload is in the snapshot (the message lists close matches)
     */
    public Diagnosis diagnose(ClusterSnapshot snapshot, String namespace, String workload) throws InputException {
        Result r = run(snapshot);
        synchronized (r.ctx) { // the context's lookup caches are filled lazily and shared with other callers
            return select(r, snapshot, namespace, workload);
        }
    }

    private Diagnosis select(Result r, ClusterSnapshot snapshot, String namespace, String workload) throws InputException {
        if (workload == null || workload.isBlank()) {
            if (namespace == null) {
                // everything: the input's own subject (what it describes and logs in detail) first
                return snapshot.focus().isEmpty() ? new Diagnosis(r.findings) : focusFirst(r, snapshot);
            }
            Set<ObjectKey> scope = new LinkedHashSet<>();
            snapshot.pods().stream().filter(p -> namespace.equals(p.getMetadata().getNamespace()))
                    .forEach(p -> scope.addAll(r.ctx.ownerChain(p)));
            return new Diagnosis(select(r, scope, f -> namespace.equals(f.namespace())));
        }
        Set<ObjectKey> scope = resolve(r.ctx, namespace, workload.strip());
        return new Diagnosis(select(r, scope, f -> false));
    }

    // ---------------------------------------------------------------- running

    /**
     * What a user asked about: the object itself (the first match by name; a pod when the workload is known only
     * through its pods, as in text evidence) and the pods that make it up or back it. Resolution is the same as
     * {@link #diagnose(ClusterSnapshot, String, String)}'s.
     *
     * @throws InputException if no such workload is in the snapshot (the message lists close matches)
     */
    public Subject subject(ClusterSnapshot snapshot, String namespace, String workload) throws InputException {
        if (workload == null || workload.isBlank()) {
            throw new IllegalArgumentException("a workload name is required");
        }
        AnalysisContext ctx = new AnalysisContext(snapshot, classifier);
        Set<ObjectKey> scope = resolve(ctx, namespace, workload.strip());
        List<io.fabric8.kubernetes.api.model.Pod> pods = snapshot.pods().stream()
                .filter(p -> scope.contains(AnalysisContext.key(p))).toList();
        String name = workload.strip();
        HasMetadata object = snapshot.objects()
                .filter(o -> WORKLOAD_KINDS.contains(o.getKind()) && scope.contains(AnalysisContext.key(o)))
                .filter(o -> name.equals(o.getMetadata().getName()) || name.endsWith("/" + o.getMetadata().getName()))
                .findFirst()
                .or(() -> pods.stream().map(p -> (HasMetadata) p).findFirst())
                .orElseGet(() -> snapshot.objects().filter(o -> scope.contains(AnalysisContext.key(o))).findFirst()
                        .orElseThrow());
        return new Subject(object, pods);
    }

    /** The object asked about and its pods. */
    public record Subject(HasMetadata object, List<io.fabric8.kubernetes.api.model.Pod> pods) {
        public Subject {
            pods = List.copyOf(pods);
        }
    }

    private final Object lastLock = new Object();
    private ClusterSnapshot lastSnapshot;
    private Result lastResult;

    private record Result(AnalysisContext ctx, List<Finding> findings, Map<String, Set<ObjectKey>> subjects) {
    }

    /**
     * The whole-cluster analysis of {@code snapshot}, computed once per snapshot: asking about every workload of a
     * snapshot (the workloads list, the agent's tools) would otherwise analyse the whole cluster once per workload.
     * One snapshot is remembered (by identity; a live cluster gives a new snapshot per read).
     */
    private Result run(ClusterSnapshot snapshot) {
        synchronized (lastLock) {
            if (lastSnapshot == snapshot && lastResult != null) return lastResult;
        }
        Result r = analyse(snapshot);
        synchronized (lastLock) {
            lastSnapshot = snapshot;
            lastResult = r;
        }
        return r;
    }

    private Result analyse(ClusterSnapshot snapshot) {
        AnalysisContext ctx = new AnalysisContext(snapshot, classifier);
        List<Finding> raw = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Analyzer a : analyzers) {
            for (Finding f : a.analyze(ctx)) {
                if (seen.add(f.id())) raw.add(f);
            }
        }
        Map<String, String> causeOf = new RootCauseLinker(ctx, raw).link();
        List<Finding> linked = new ArrayList<>();
        for (Finding f : raw) {
            String c = causeOf.get(f.id());
            linked.add(new Finding(f.id(), f.category(), f.severity(), f.namespace(), f.kind(), f.name(), f.container(),
                    f.summary(), f.evidence(), f.remediation(), c == null, c));
        }
        linked.sort(ORDER);
        // final ids, readable and unique
        Map<String, String> newId = new HashMap<>();
        Set<String> used = new LinkedHashSet<>();
        for (Finding f : linked) {
            String base = slug(f);
            String id = base;
            for (int i = 2; !used.add(id); i++) id = base + "-" + i;
            newId.put(f.id(), id);
        }
        List<Finding> out = new ArrayList<>();
        Map<String, Set<ObjectKey>> subjects = new HashMap<>();
        for (Finding f : linked) {
            String id = newId.get(f.id());
            subjects.put(id, ctx.subjects(f.id()));
            out.add(redactor.redact(new Finding(id, f.category(), f.severity(), f.namespace(), f.kind(), f.name(), f.container(),
                    f.summary(), withLogGaps(snapshot, ctx.subjects(f.id()), f), f.remediation(), f.rootCause(),
                    f.causedBy() == null ? null : newId.get(f.causedBy()))));
        }
        return new Result(ctx, List.copyOf(out), subjects);
    }

    /**
     * The finding's evidence, plus one line per log of its pods (its container's, when it names one) that could not
     * be read: no log evidence must not read as clean logs.
     */
    private static List<Evidence> withLogGaps(ClusterSnapshot s, Set<ObjectKey> subjects, Finding f) {
        if (s.logGaps().isEmpty()) return f.evidence();
        List<Evidence> out = new ArrayList<>(f.evidence());
        for (io.opsagent.core.cluster.LogGap g : s.logGaps()) {
            if (subjects.contains(new ObjectKey("Pod", g.namespace(), g.pod()))
                    && (f.container() == null || f.container().equals(g.container()))) {
                out.add(new Evidence(EvidenceSource.LOG, g.ref(), g.describe()));
            }
        }
        return out;
    }

    /** Root causes first, then severity, category, namespace, name, container. */
    static final Comparator<Finding> ORDER = Comparator.comparing((Finding f) -> !f.rootCause())
            .thenComparing(Finding::severity)
            .thenComparing(Finding::category)
            .thenComparing(f -> Objects.toString(f.namespace(), ""))
            .thenComparing(Finding::name)
            .thenComparing(f -> Objects.toString(f.container(), ""));

    private static String slug(Finding f) {
        String s = f.category().name() + "-" + (f.namespace() == null ? "" : f.namespace() + "-") + f.name()
                + (f.container() == null ? "" : "-" + f.container());
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }

    // ---------------------------------------------------------------- scoping

    private static List<Finding> select(Result r, Set<ObjectKey> scope, java.util.function.Predicate<Finding> also) {
        Set<String> nodes = new LinkedHashSet<>();
        for (ObjectKey k : scope) {
            if (k.kind().equals("Pod")) {
                r.ctx.snapshot().pods().stream().filter(p -> p.getMetadata().getName().equals(k.name())
                                && Objects.equals(p.getMetadata().getNamespace(), k.namespace()))
                        .map(p -> p.getSpec() == null ? null : p.getSpec().getNodeName())
                        .filter(Objects::nonNull).forEach(nodes::add);
            }
        }
        Map<String, Finding> byId = new HashMap<>();
        r.findings.forEach(f -> byId.put(f.id(), f));
        Set<String> keep = new LinkedHashSet<>();
        for (Finding f : r.findings) {
            boolean in = also.test(f) || r.subjects.getOrDefault(f.id(), Set.of()).stream().anyMatch(scope::contains)
                    || f.category() == Category.NodeProblem && nodes.contains(f.name());
            if (in) keep.add(f.id());
        }
        // close over causes: what explains a kept finding is kept too
        for (String id : List.copyOf(keep)) {
            Finding f = byId.get(id);
            while (f != null && f.causedBy() != null) {
                keep.add(f.causedBy());
                f = byId.get(f.causedBy());
            }
        }
        return r.findings.stream().filter(f -> keep.contains(f.id())).toList();
    }

    private static Set<ObjectKey> resolve(AnalysisContext ctx, String namespace, String workload) throws InputException {
        ClusterSnapshot s = ctx.snapshot();
        Set<ObjectKey> scope = new LinkedHashSet<>();
        String kind = null;
        String name = workload;
        int slash = workload.indexOf('/');
        if (slash > 0) { // kubectl style: deployment/api, svc/web
            kind = io.opsagent.core.cluster.KubeKinds.kindOf(workload.substring(0, slash));
            if (kind == null || !WORKLOAD_KINDS.contains(kind)) {
                throw new InputException(s.source(), "unknown kind '" + workload.substring(0, slash) + "' in '" + workload
                        + "'; use deployment/, statefulset/, daemonset/, job/, cronjob/, service/ or pod/");
            }
            name = workload.substring(slash + 1);
        }
        String onlyKind = kind;
        String wanted = name;
        List<HasMetadata> targets = s.objects().filter(o -> WORKLOAD_KINDS.contains(o.getKind()))
                .filter(o -> onlyKind == null || onlyKind.equals(o.getKind()))
                .filter(o -> wanted.equals(o.getMetadata().getName()))
                .filter(o -> namespace == null || o.getMetadata().getNamespace() == null
                        || namespace.equals(o.getMetadata().getNamespace()))
                .toList();
        for (HasMetadata t : targets) {
            ObjectKey k = AnalysisContext.key(t);
            scope.add(k);
            if (t instanceof Service svc) {
                ctx.podsSelectedBy(svc).forEach(p -> scope.addAll(ctx.ownerChain(p)));
            } else if (t instanceof Pod p) {
                scope.addAll(ctx.ownerChain(p));
            } else if (t instanceof io.fabric8.kubernetes.api.model.Node) {
                s.pods().stream().filter(p -> p.getSpec() != null && wanted.equals(p.getSpec().getNodeName()))
                        .forEach(p -> scope.add(AnalysisContext.key(p)));
            } else {
                if (t instanceof CronJob cj) ctx.jobsOf(cj).forEach(j -> scope.add(AnalysisContext.key(j)));
                for (Pod p : ctx.podsOf(k)) {
                    List<ObjectKey> chain = ctx.ownerChain(p);
                    // the pod and its owners up to (and including) the target
                    for (ObjectKey c : chain) {
                        scope.add(c);
                        if (c.equals(k)) break;
                    }
                }
                for (var rs : s.replicaSets()) {
                    if (ctx.ownersOf(AnalysisContext.key(rs)).contains(k)) scope.add(AnalysisContext.key(rs));
                }
            }
        }
        if (targets.isEmpty()) {
            // owners known only through pods (text evidence), then a unique name prefix of pods
            for (Pod p : s.pods()) {
                if (namespace != null && !namespace.equals(p.getMetadata().getNamespace())) continue;
                List<ObjectKey> chain = ctx.ownerChain(p);
                if (chain.stream().anyMatch(c -> c.name().equals(wanted) && (onlyKind == null || onlyKind.equals(c.kind())))
                        || onlyKind == null && p.getMetadata().getName().startsWith(wanted + "-")) {
                    scope.addAll(chain);
                }
            }
        }
        if (scope.isEmpty()) {
            throw new InputException(s.source(), WorkloadResolver.notFound(s, namespace, wanted, onlyKind));
        }
        return scope;
    }
}
