package io.opsagent.core.tools.cluster;

import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.diagnosis.Diagnosis;
import io.opsagent.core.diagnosis.DiagnosisEngine;
import io.opsagent.core.input.InputException;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers diagnoses per snapshot (by identity, weakly: a snapshot's entries go when the snapshot does). A dump
 * is read once and asked many questions; a live cluster gives a new snapshot per read, so nothing stale is served.
 */
public final class CachingDiagnosis {
    private static final CachingDiagnosis SHARED = new CachingDiagnosis(DiagnosisEngine.standard());

    private final DiagnosisEngine engine;
    private final Map<ClusterSnapshot, Map<String, Diagnosis>> cache = new WeakHashMap<>();

    public CachingDiagnosis(DiagnosisEngine engine) {
        this.engine = engine;
    }

    /** The process-wide instance over the default analyzers. */
    public static CachingDiagnosis shared() {
        return SHARED;
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
            forSnapshot.put(key, d);
        }
        return d;
    }
}
