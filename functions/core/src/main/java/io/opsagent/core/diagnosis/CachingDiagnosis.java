package io.opsagent.core.diagnosis;

import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.input.InputException;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The diagnosis a running product asks: {@link DiagnosisEngine} results remembered per snapshot (by identity,
 * weakly: a snapshot's entries go when the snapshot does). A dump is read once and asked many questions; a live
 * cluster gives a new snapshot per read, so nothing stale is served.
 *
 * <p>One per conversation engine ({@code ConversationEngine#diagnosis}): the system prompt, the {@code diagnose}
 * tool (through its {@code ToolContext}) and the workloads API all read this one, so a workload is diagnosed once
 * per snapshot however it is asked about.
 */
public final class CachingDiagnosis {
    private final DiagnosisEngine engine;
    private final Map<ClusterSnapshot, Map<String, Diagnosis>> cache = new WeakHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong computed = new java.util.concurrent.atomic.AtomicLong();

    public CachingDiagnosis(DiagnosisEngine engine) {
        this.engine = java.util.Objects.requireNonNull(engine, "engine");
    }

    /** A new cache over the standard analyzers ({@link DiagnosisEngine#standard()}). */
    public static CachingDiagnosis standard() {
        return new CachingDiagnosis(DiagnosisEngine.standard());
    }

    /** The engine behind the cache (for what is not cached: {@link DiagnosisEngine#subject}). */
    public DiagnosisEngine engine() {
        return engine;
    }

    /** How many diagnoses were worked out (not served from the cache) so far. */
    public long computed() {
        return computed.get();
    }

    /** As {@link DiagnosisEngine#diagnose(ClusterSnapshot, String, String)}, remembered. */
    public Diagnosis diagnose(ClusterSnapshot snapshot, String namespace, String workload) throws InputException {
        Map<String, Diagnosis> forSnapshot;
        synchronized (cache) {
            forSnapshot = cache.computeIfAbsent(snapshot, s -> new ConcurrentHashMap<>());
        }
        String key = namespace + "\u0000" + workload;
        Diagnosis d = forSnapshot.get(key);
        if (d == null) {
            d = engine.diagnose(snapshot, namespace, workload);
            Diagnosis raced = forSnapshot.putIfAbsent(key, d);
            if (raced != null) d = raced;
            else computed.incrementAndGet();
        }
        return d;
    }
}
